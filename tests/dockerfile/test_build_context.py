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
