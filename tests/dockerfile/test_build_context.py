"""Build context and .dockerignore (moby/patternmatcher rules)."""

import pytest

import imagelib as il
from imagelib.dockerfile import DockerIgnore
from imagelib.pathmatch import go_match, has_wildcard


@pytest.mark.parametrize(
    "pattern, name, expected",
    [
        ("package*.json", "package.json", True),
        ("package*.json", "package-lock.json", True),
        ("*.json", "dir/a.json", False),
        ("?.txt", "a.txt", True),
        ("?.txt", "ab.txt", False),
        ("[a-c].txt", "b.txt", True),
        ("[^a-c].txt", "b.txt", False),
        ("[^a-c].txt", "x.txt", True),
        ("a\\*b", "a*b", True),
        ("a\\*b", "axb", False),
        ("src/*.js", "src/app.js", True),
    ],
)
def test_go_filepath_match(pattern, name, expected):
    assert go_match(pattern, name) is expected


def test_has_wildcard_respects_escapes():
    assert has_wildcard("*.txt") and has_wildcard("a[bc]") and not has_wildcard("a\\*b")
    assert not has_wildcard("plain/path.txt")


RULES = """# comments and blank lines are skipped

node_modules
*.log
**/*.tmp
/dist
docs/**
!docs/keep.md
.git
"""


@pytest.mark.parametrize(
    "path, ignored",
    [
        ("node_modules/react/index.js", True),
        ("server.log", True),
        ("logs/server.log", False),
        ("a/b/c.tmp", True),
        ("c.tmp", True),
        ("dist/app.js", True),
        ("src/dist/app.js", False),
        ("docs/guide/a.md", True),
        ("docs/keep.md", False),
        ("docs", False),
        (".git/HEAD", True),
        ("src/app.js", False),
    ],
)
def test_dockerignore_rules_like_docker(path, ignored):
    assert DockerIgnore(RULES).ignored(path) is ignored


def test_later_rules_win_and_rule_for_explains():
    rules = DockerIgnore("*.md\n!README.md\nREADME.md\n")
    assert rules.ignored("README.md")
    assert rules.rule_for("README.md").line == 3
    assert DockerIgnore("*.md\n!README.md\n").rule_for("README.md").exclusion


def test_bad_pattern_is_a_build_error():
    with pytest.raises(il.BuildError, match="2번째 줄"):
        DockerIgnore("ok\n[unclosed\n")
    with pytest.raises(il.BuildError):
        DockerIgnore("!\n")


def test_context_from_a_mapping_filters_and_reports():
    context = il.BuildContext.load(
        {
            "src/app.js": "x",
            "node_modules/big/index.js": "y" * 1000,
            "debug.log": "z",
            ".dockerignore": "node_modules\n*.log\n",
        }
    )
    assert list(context) == [".dockerignore", "src/app.js"]
    assert context.ignored == ["debug.log", "node_modules/big/index.js"]
    assert context.size == len("x") + len("node_modules\n*.log\n")


def test_ignored_files_never_reach_the_image():
    result = il.build(
        "FROM alpine\nCOPY . /app/\n",
        {
            "app.js": "console.log(1)\n",
            "node_modules/x/index.js": "big\n",
            "secret.env": "TOKEN=1\n",
            ".dockerignore": "node_modules\n*.env\n",
        },
    )
    tree = result.image.rootfs()
    assert tree.exists("app/app.js") and tree.exists("app/.dockerignore")
    assert not tree.exists("app/node_modules") and not tree.exists("app/secret.env")


def test_folder_context_skips_ignored_folders_without_reading_them(tmp_path):
    (tmp_path / "keep.txt").write_text("k", encoding="utf-8")
    (tmp_path / "node_modules" / "pkg").mkdir(parents=True)
    (tmp_path / "node_modules" / "pkg" / "index.js").write_text("x", encoding="utf-8")
    (tmp_path / "node_modules" / "pkg" / "keep.js").write_text("y", encoding="utf-8")
    (tmp_path / ".dockerignore").write_text("node_modules\n!node_modules/pkg/keep.js\n", encoding="utf-8")
    context = il.BuildContext.load(tmp_path)
    assert list(context) == [".dockerignore", "keep.txt", "node_modules/pkg/keep.js"]
    assert "node_modules/pkg/index.js" in context.ignored


def test_bad_contexts():
    with pytest.raises(il.BuildError, match="폴더"):
        il.BuildContext.load("/definitely/not/here")
    with pytest.raises(il.BuildError, match="\\.\\."):
        il.BuildContext.load({"../escape.txt": "x"})
    with pytest.raises(il.BuildError):
        il.BuildContext.load({"a": 42})
    with pytest.raises(il.BuildError, match="밖"):
        il.build("FROM alpine\nCOPY ../outside /\n", {"a": "b"})


# moby/patternmatcher's own TestMatches table (patternmatcher_test.go), the expected results its Go
# code gives; the two cases that match the path "/" are left out (a context path is never "/").
PATTERNMATCHER_CASES = [
    ("**", "file", True),
    ("**", "file/", True),
    ("**/", "file", True),
    ("**/", "file/", True),
    ("**", "dir/file", True),
    ("**/", "dir/file", True),
    ("**", "dir/file/", True),
    ("**/", "dir/file/", True),
    ("**/**", "dir/file", True),
    ("**/**", "dir/file/", True),
    ("dir/**", "dir/file", True),
    ("dir/**", "dir/file/", True),
    ("dir/**", "dir/dir2/file", True),
    ("dir/**", "dir/dir2/file/", True),
    ("**/dir", "dir", True),
    ("**/dir", "dir/file", True),
    ("**/dir2/*", "dir/dir2/file", True),
    ("**/dir2/*", "dir/dir2/file/", True),
    ("**/dir2/**", "dir/dir2/dir3/file", True),
    ("**/dir2/**", "dir/dir2/dir3/file/", True),
    ("**file", "file", True),
    ("**file", "dir/file", True),
    ("**/file", "dir/file", True),
    ("**file", "dir/dir/file", True),
    ("**/file", "dir/dir/file", True),
    ("**/file*", "dir/dir/file", True),
    ("**/file*", "dir/dir/file.txt", True),
    ("**/file*txt", "dir/dir/file.txt", True),
    ("**/file*.txt", "dir/dir/file.txt", True),
    ("**/file*.txt*", "dir/dir/file.txt", True),
    ("**/**/*.txt", "dir/dir/file.txt", True),
    ("**/**/*.txt2", "dir/dir/file.txt", False),
    ("**/*.txt", "file.txt", True),
    ("**/**/*.txt", "file.txt", True),
    ("a**/*.txt", "a/file.txt", True),
    ("a**/*.txt", "a/dir/file.txt", True),
    ("a**/*.txt", "a/dir/dir/file.txt", True),
    ("a/*.txt", "a/dir/file.txt", False),
    ("a/*.txt", "a/file.txt", True),
    ("a/*.txt**", "a/file.txt", True),
    ("a[b-d]e", "ae", False),
    ("a[b-d]e", "ace", True),
    ("a[b-d]e", "aae", False),
    ("a[^b-d]e", "aze", True),
    (".*", ".foo", True),
    (".*", "foo", False),
    ("abc.def", "abcdef", False),
    ("abc.def", "abc.def", True),
    ("abc.def", "abcZdef", False),
    ("abc?def", "abcZdef", True),
    ("abc?def", "abcdef", False),
    ("a\\\\", "a\\", True),
    ("**/foo/bar", "foo/bar", True),
    ("**/foo/bar", "dir/foo/bar", True),
    ("**/foo/bar", "dir/dir2/foo/bar", True),
    ("abc/**", "abc", False),
    ("abc/**", "abc/def", True),
    ("abc/**", "abc/def/ghi", True),
    ("**/.foo", ".foo", True),
    ("**/.foo", "bar.foo", False),
    ("a(b)c/def", "a(b)c/def", True),
    ("a(b)c/def", "a(b)c/xyz", False),
    ("a.|)$(}+{bc", "a.|)$(}+{bc", True),
    (
        "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
        "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
        True,
    ),
    ("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", True),
]

PATTERNMATCHER_MULTI_CASES = [
    (["**", "!util/docker/web"], "util/docker/web/foo", False),
    (["**", "!util/docker/web", "util/docker/web/foo"], "util/docker/web/foo", True),
    (
        ["**", "!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl"],
        "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
        False,
    ),
    (["**", "!dist/*.whl"], "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", False),
]


@pytest.mark.parametrize("pattern, path, expected", PATTERNMATCHER_CASES)
def test_patterns_match_as_patternmatcher_matches(pattern, path, expected):
    assert DockerIgnore(pattern).ignored(path) is expected


@pytest.mark.parametrize("patterns, path, expected", PATTERNMATCHER_MULTI_CASES)
def test_exceptions_match_as_patternmatcher_matches(patterns, path, expected):
    assert DockerIgnore.from_patterns(patterns).ignored(path) is expected


def test_patterns_are_anchored_at_the_context_root():
    rules = DockerIgnore("*.log\n")
    assert rules.ignored("a.log") and not rules.ignored("logs/a.log")
    assert DockerIgnore("**/*.log\n").ignored("logs/deep/a.log")


def test_docker_enters_an_excluded_folder_only_for_an_exception_that_starts_with_it():
    rules = DockerIgnore("build\n!**/keep.txt\n")
    assert not rules.ignored("build/keep.txt")  # the patterns alone would keep it
    assert rules.excluded("build/keep.txt")  # but Docker never looks inside build/
    entered = DockerIgnore("build\n!build/keep.txt\n")
    assert not entered.excluded("build/keep.txt") and entered.excluded("build/other.txt")
    context = il.BuildContext.load(
        {"build/keep.txt": "k", "src/keep.txt": "s", ".dockerignore": "build\n!**/keep.txt\n"}
    )
    assert list(context) == [".dockerignore", "src/keep.txt"]


def test_a_trailing_backslash_is_refused_as_docker_refuses_it():
    with pytest.raises(il.BuildError, match="1번째 줄"):
        DockerIgnore("a\\\n")
