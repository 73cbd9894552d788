"""il.build: each Dockerfile instruction, the note's multi-stage Dockerfile end to end, errors
with line numbers, and reproducibility (same Dockerfile + context -> same digest)."""

import json
import os
import subprocess
import sys

import pytest
from paths import PROJECT_ROOT

import imagelib as il
from imagelib import course_examples as examples

ALPINE_APP = {"app.txt": "hello\n", "bin/run.sh": il.File("#!/bin/sh\necho run\n", mode=0o755)}


def build(dockerfile, context=None, **kwargs):
    return il.build(dockerfile, context, **kwargs)


def history_pairs(image):
    return [(h.created_by, h.empty_layer) for h in image.history]


# -- the note's Dockerfile -------------------------------------------------------------------


@pytest.fixture(scope="module")
def note():
    return build(examples.NOTE_DOCKERFILE, examples.web_app())


def test_note_final_image_is_nginx_alpine_plus_one_layer_of_dist(note):
    nginx = il.catalog.get("nginx:alpine")
    assert note.image.layers[:-1] == nginx.layers
    top = note.image.layers[-1]
    assert top.created_by == "COPY /app/dist /usr/share/nginx/html # buildkit"
    files = sorted(e.path for e in top.entries if e.kind == "file")
    assert files[0] == "usr/share/nginx/html/assets/" + files[0].split("/")[-1]
    assert "usr/share/nginx/html/index.html" in files
    assert all(path.startswith("usr/share/nginx/html/") for path in files)


def test_note_final_image_holds_no_node_runtime_sources_or_node_modules(note):
    tree = note.image.rootfs()
    paths = tree.paths()
    assert not any("node_modules" in p for p in paths)
    assert not tree.exists("usr/local/bin/node") and not tree.exists("app")
    assert not any(p.endswith("greet.js") for p in paths)
    html = tree.read_text("usr/share/nginx/html/index.html")
    assert '<script type="module" crossorigin src="/assets/index-' in html


def test_note_build_stage_has_node_modules_and_the_built_dist(note):
    build_stage = note.stages["build"].rootfs()
    assert build_stage.exists("app/node_modules/vite/package.json")
    assert build_stage.exists("app/dist/index.html")
    bundle = [p for p in build_stage.listdir("app/dist/assets") if p.endswith(".js")][0]
    assert "안녕하세요" in build_stage.read_text(f"app/dist/assets/{bundle}")


def test_note_history_matches_what_buildkit_writes(note):
    build_stage = note.stages["build"]
    own = history_pairs(build_stage)[len(il.catalog.get("node:14").history) :]
    assert own == [
        ("WORKDIR /app", False),
        ("COPY package*.json ./ # buildkit", False),
        ("RUN /bin/sh -c npm install # buildkit", False),
        ("COPY . . # buildkit", False),
        ("RUN /bin/sh -c npm run build # buildkit", False),
    ]
    final = history_pairs(note.image)[-3:]
    assert final == [
        ("COPY /app/dist /usr/share/nginx/html # buildkit", False),
        ("EXPOSE [80/tcp]", True),
        ('CMD ["nginx" "-g" "daemon off;"]', True),
    ]
    assert all(h.comment == "buildkit.dockerfile.v0" for h in note.image.history[-3:])
    assert note.image.config.cmd == ("nginx", "-g", "daemon off;")
    assert note.image.config.exposed_ports == ("80/tcp",)


def test_note_steps_report_layers_and_config_only(note):
    kinds = [(s.text, s.kind) for s in note.steps]
    assert kinds[0] == ("FROM node:14 AS build", "베이스")
    assert ("EXPOSE 80", "설정만") in kinds and ("RUN npm install", "레이어") in kinds
    assert note.steps[1].line == 2 and note.step("COPY --from").line == 9
    assert [s.progress for s in note.steps[:2]] == ["build 1/6", "build 2/6"]


def test_multi_stage_is_far_smaller_than_single_stage(note):
    single = build(examples.SINGLE_STAGE_DOCKERFILE, examples.web_app())
    multi_size = il.modeled_size(note.image)
    single_size = il.modeled_size(single.image)
    assert multi_size < 50_000_000 < 900_000_000 < single_size
    assert il.modeled_size(note.image.layers[-1]) < 5_000


def test_note_result_is_a_valid_image_that_a_store_round_trips(note):
    store = il.Store()
    digest = store.put(note.image, "my-app:1.0")
    again = store.get("my-app:1.0")
    assert again.digest == digest == note.image.digest
    assert again.rootfs().read_text("usr/share/nginx/html/index.html") == note.image.rootfs().read_text(
        "usr/share/nginx/html/index.html"
    )


# -- instructions ------------------------------------------------------------------------------


def test_copy_glob_chown_and_dest_rules():
    result = build(
        "FROM node:14-alpine\nWORKDIR /srv\nCOPY --chown=node:node *.txt conf/ ./\nCOPY one.txt /renamed.txt\n",
        {"a.txt": "a", "b.txt": "b", "one.txt": "1", "conf/x.ini": "x", "skip.md": "no"},
    )
    tree = result.image.rootfs()
    entry = tree.entry("srv/a.txt")
    assert (entry.entry.uid, entry.entry.gid) == (1000, 1000)
    assert tree.exists("srv/x.ini") and not tree.exists("srv/conf") and not tree.exists("srv/skip.md")
    assert tree.read_text("renamed.txt") == "1"
    assert result.image.history[-2].created_by == "COPY --chown=node:node *.txt conf/ ./ # buildkit"


def test_what_run_creates_belongs_to_the_user_and_what_it_changes_keeps_its_owner():
    result = build(
        "FROM node:14-alpine\nRUN mkdir -p /srv/shared && echo root > /srv/shared/by-root\n"
        "COPY --chown=node:node note.txt /srv/app/conf/note.txt\n"
        "USER node\nRUN echo mine > /srv/app/mine.txt && mkdir -p /srv/app/cache/deep && "
        "ln -s mine.txt /srv/app/link && echo more >> /srv/app/conf/note.txt\n"
        "USER 4242\nRUN echo stranger > /tmp/stranger.txt\n"
        "USER root\nRUN echo again >> /srv/app/mine.txt\n",
        {"note.txt": "note\n"},
    )
    tree = result.image.rootfs()

    def owner(path: str) -> "tuple[int, int]":
        entry = tree.entry(path).entry
        return entry.uid, entry.gid

    assert owner("srv/shared/by-root") == (0, 0)
    assert owner("srv/app") == owner("srv/app/conf") == (1000, 1000)  # folders COPY --chown made
    for path in ("srv/app/mine.txt", "srv/app/cache", "srv/app/cache/deep", "srv/app/link"):
        assert owner(path) == (1000, 1000), path  # node's group comes from /etc/passwd
    assert owner("srv/app/conf/note.txt") == (1000, 1000) and tree.read_text("srv/app/conf/note.txt") == "note\nmore\n"
    assert owner("tmp/stranger.txt") == (4242, 0)  # a uid with no passwd line runs with group 0
    assert owner("srv/app/mine.txt") == (1000, 1000)  # root appending does not take the file over


@pytest.mark.parametrize(
    "run, refused",
    [
        ("echo x > /etc/motd", "/bin/sh: can't create /etc/motd: Permission denied"),
        ("echo x >> /etc/passwd", "/bin/sh: can't create /etc/passwd: Permission denied"),
        ("mkdir -p /opt/app/cache", "can't create directory '/opt/app': Permission denied"),
        ("rm /etc/hostname", "can't remove '/etc/hostname': Permission denied"),
        ("chmod 777 /etc/passwd", "/etc/passwd: Operation not permitted"),
        ("rm /tmp/roots.txt", "can't remove '/tmp/roots.txt': Operation not permitted"),
    ],
)
def test_a_user_who_is_not_root_cannot_write_where_root_did_not_let_it(run, refused):
    # The classic mistake: USER node, then writing outside node's own folders. Docker fails the
    # same way ("Permission denied"); the sticky bit of /tmp keeps others' files there.
    dockerfile = (
        "FROM node:14-alpine\nRUN echo root > /tmp/roots.txt\nUSER node\n"
        f"RUN echo ok > /home/node/ok.txt && echo ok > /tmp/mine.txt && rm /tmp/mine.txt\nRUN {run}\n"
    )
    with pytest.raises(il.BuildError) as caught:
        build(dockerfile)
    assert caught.value.line == 5 and refused in str(caught.value)


def test_copy_several_sources_needs_a_directory_destination():
    with pytest.raises(il.BuildError) as caught:
        build("FROM alpine\nCOPY a.txt b.txt /target\n", {"a.txt": "a", "b.txt": "b"})
    assert caught.value.line == 2 and "/" in str(caught.value)


def test_add_extracts_a_local_tar_archive():
    archive = il.Layer.from_files({"pkg/readme.txt": "inside\n"}).blob_bytes()
    result = build(
        "FROM alpine\nADD bundle.tar /opt/\nADD note.txt /opt/note.txt\n",
        {"bundle.tar": archive, "note.txt": "plain\n"},
    )
    tree = result.image.rootfs()
    assert tree.read_text("opt/pkg/readme.txt") == "inside\n"
    assert tree.read_text("opt/note.txt") == "plain\n"


def test_env_arg_label_user_workdir_and_substitution():
    result = build(
        'ARG BASE=alpine:3.19\nFROM ${BASE}\nARG NAME=world\nENV GREETING="hello ${NAME}" '
        "B=$NAME\nRUN echo $GREETING > /greet.txt\nUSER nobody\nWORKDIR data\n"
        'LABEL org.example.title="my app"\n',
        build_args={"NAME": "docker"},
    )
    config = result.image.config
    assert config.env_dict["GREETING"] == "hello docker" and config.env_dict["B"] == "docker"
    assert "NAME" not in config.env_dict  # ARG values are not kept in the image
    assert config.user == "nobody" and config.workdir == "/data"
    assert dict(config.labels) == {"org.example.title": "my app"}
    assert result.image.rootfs().read_text("greet.txt") == "hello docker\n"
    pairs = history_pairs(result.image)[-6:]
    assert pairs[0] == ("ARG NAME=docker", True)
    assert pairs[2] == ("RUN |1 NAME=docker /bin/sh -c echo $GREETING > /greet.txt # buildkit", False)
    assert pairs[4] == ("WORKDIR /data", False)


def test_cmd_and_entrypoint_exec_and_shell_forms():
    result = build('FROM alpine\nCMD ["echo", "hi"]\nENTRYPOINT /bin/run.sh --fast\n')
    config = result.image.config
    assert config.cmd == ("echo", "hi")  # CMD set in this stage survives ENTRYPOINT
    assert config.entrypoint == ("/bin/sh", "-c", "/bin/run.sh --fast")
    assert result.image.history[-1].created_by == 'ENTRYPOINT ["/bin/sh" "-c" "/bin/run.sh --fast"]'
    reset = build('FROM nginx:alpine\nENTRYPOINT ["nginx"]\n').image.config
    assert reset.cmd is None  # ENTRYPOINT clears an inherited CMD, as BuildKit does


def test_run_exec_form_and_workdir_on_existing_dir_gives_empty_layer():
    result = build('FROM alpine\nWORKDIR /tmp\nRUN ["mkdir", "-p", "/made"]\n')
    workdir_layer = result.image.layers[-2]
    assert workdir_layer.entries == () and workdir_layer.size == 1024  # an empty tar, as BuildKit keeps
    assert result.image.history[-1].created_by == "RUN mkdir -p /made # buildkit"
    assert result.image.rootfs().entry("made").kind == "dir"


def test_from_scratch_and_copy_gives_path_and_single_layer():
    result = build("FROM scratch\nCOPY app.txt /\n", ALPINE_APP)
    assert len(result.image.layers) == 1
    assert result.image.config.env_dict["PATH"].startswith("/usr/local/sbin")


def test_from_scratch_sets_the_working_dir_buildkit_gives_an_empty_image():
    # BuildKit starts FROM scratch from a config with WorkingDir "/" and PATH (its emptyImage);
    # Docker 20.10's BuildKit writes it into the image (tests/interop/test_scratch_static_images_run.py)
    scratch = build("FROM scratch\nCOPY app.txt /\n", ALPINE_APP).image
    assert scratch.config.workdir == "/" and scratch.config_json["config"]["WorkingDir"] == "/"
    assert build("FROM scratch\nWORKDIR /srv\n").image.config.workdir == "/srv"
    assert build("FROM alpine\n").image.config.workdir == il.catalog.get("alpine").config.workdir


def test_busybox_on_scratch_has_the_layer_il_build_makes_of_the_scratch_dockerfile():
    program = b"\x7fELF stands in for a static busybox"
    by_hand = examples.busybox_on_scratch(program)
    built = build(examples.SCRATCH_DOCKERFILE, {"busybox": il.File(program, mode=0o644)}).image
    assert [layer.diff_id for layer in by_hand.layers] == [layer.diff_id for layer in built.layers]
    assert [(e.path, e.mode, e.uid, e.gid) for e in built.layers[0].entries] == [
        ("bin", 0o755, 1000, 1000),
        ("bin/busybox", 0o755, 1000, 1000),
    ]
    for setting in ("user", "entrypoint", "cmd"):
        assert getattr(by_hand.config, setting) == getattr(built.config, setting)


def test_from_digest_reference_and_store_first():
    alpine = il.catalog.get("alpine:3.19")
    by_digest = build(f"FROM alpine@{alpine.digest}\n")
    assert by_digest.image.layers == alpine.layers
    store = il.Store()
    store.put(il.catalog.get("busybox"), "alpine:3.19")  # the store wins over the catalog
    from_store = build("FROM alpine:3.19\nCOPY app.txt /\n", ALPINE_APP, store=store, tag="demo:1")
    assert from_store.image.layers[0] == il.catalog.get("busybox").layers[0]
    assert store.get("demo:1").digest == from_store.image.digest


def test_target_builds_only_the_needed_stages():
    dockerfile = "FROM alpine AS one\nRUN touch /one\nFROM alpine AS two\nRUN touch /two\nFROM one\n"
    result = build(dockerfile, target="one")
    assert set(result.stages) == {"one"} and result.image.rootfs().exists("one")
    last = build(dockerfile)
    assert set(last.stages) == {"one", "stage-2"}  # stage "two" is not reachable: skipped


def test_deleting_a_lower_file_in_run_records_a_whiteout():
    result = build("FROM alpine\nRUN rm -rf /etc/apk/repositories /usr/share/apk\n")
    layer = result.image.layers[-1]
    assert sorted(layer.deleted) == ["etc/apk/repositories", "usr/share/apk"]
    assert not result.image.rootfs().exists("etc/apk/repositories")


def test_dockerfile_from_a_path_and_a_folder_context(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine\nCOPY . /src/\n", encoding="utf-8")
    (tmp_path / "keep.txt").write_text("keep", encoding="utf-8")
    (tmp_path / "run.sh").write_text("#!/bin/sh\n", encoding="utf-8")
    os.chmod(tmp_path / "run.sh", 0o755)
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "a.log").write_text("noise", encoding="utf-8")
    (tmp_path / ".dockerignore").write_text("logs\nDockerfile\n", encoding="utf-8")
    result = il.build(tmp_path / "Dockerfile", tmp_path)
    tree = result.image.rootfs()
    assert tree.read_text("src/keep.txt") == "keep" and tree.entry("src/run.sh").mode == 0o755
    assert not tree.exists("src/logs") and not tree.exists("src/Dockerfile")
    assert sorted(result.ignored) == ["Dockerfile", "logs"]


# -- errors with line numbers ------------------------------------------------------------------


@pytest.mark.parametrize(
    "dockerfile, line, words",
    [
        ("FROM alpine\n\nCOPPY a b\n", 3, ["COPPY", "COPY"]),
        ("FROM alpine\nCOPY missing.txt /\n", 2, ["missing.txt", "not found"]),
        ("FROM nosuch:1.0\n", 1, ["nosuch:1.0", "unknown base image"]),
        ("FROM alpine\nRUN gcc main.c\n", 2, ["gcc", "apk", "mkdir"]),
        ("FROM alpine\nEXPOSE eighty\n", 2, ["eighty"]),
        ("FROM alpine\nCOPY only-one\n", 2, ["대상"]),
        ("FROM alpine\nRUN --mount=type=cache,target=/x true\n", 2, ["--mount"]),
        ("FROM alpine\nHEALTHCHECK CMD true\n", 2, ["HEALTHCHECK"]),
        ("FROM alpine\nENV\n", 2, ["ENV"]),
        ("FROM alpine\nRUN echo 'unclosed\n", 2, ["'"]),
        ("FROM alpine\nRUN apt-get update\n", 2, ["apt-get", "apk add"]),
        ("FROM alpine\nRUN false\n", 2, ["종료 코드 1"]),
        ("FROM alpine AS first\nCOPY --from=later /x /x\nFROM alpine AS later\nFROM first\n", 2, ["later"]),
    ],
)
def test_errors_are_korean_and_name_the_line(dockerfile, line, words):
    with pytest.raises(il.BuildError) as caught:
        build(dockerfile, {"a": "x"})
    message = str(caught.value)
    assert caught.value.line == line and message.startswith(f"Dockerfile {line}번째 줄")
    for word in words:
        assert word in message


def test_errors_without_a_line():
    with pytest.raises(il.BuildError, match="비어"):
        build("   \n")
    with pytest.raises(il.BuildError, match="FROM"):
        build("# only a comment\n")
    with pytest.raises(il.BuildError, match="target"):
        build("FROM alpine AS a\n", target="b")
    assert issubclass(il.BuildError, il.ImageLibError)


def test_missing_copy_source_explains_dockerignore():
    with pytest.raises(il.BuildError, match=".dockerignore"):
        build("FROM alpine\nCOPY secret.env /\n", {"secret.env": "x", ".dockerignore": "*.env\n"})


@pytest.mark.parametrize("source", ["link", "l*"])
def test_a_dangling_symlink_to_copy_is_not_found_by_name_or_by_wildcard(source):
    with pytest.raises(il.BuildError, match="not found") as caught:
        build(f"FROM alpine\nCOPY {source} /x/\n", {"link": il.Symlink("missing"), "a": "x"})
    assert caught.value.line == 2 and '"/link"' in str(caught.value)


def test_warnings_for_unused_build_args_and_empty_wildcards():
    result = build("FROM alpine\nCOPY *.none /x/\n", {"a": "b"}, build_args={"NOPE": "1"})
    assert any("NOPE" in w for w in result.warnings) and any("*.none" in w for w in result.warnings)


# -- reproducibility ---------------------------------------------------------------------------


def test_same_dockerfile_and_context_give_the_same_digest(note):
    again = build(examples.NOTE_DOCKERFILE, examples.web_app())
    assert again.image.digest == note.image.digest
    assert again.stages["build"].digest == note.stages["build"].digest


def test_changing_one_source_file_changes_the_digest(note):
    changed = build(examples.NOTE_DOCKERFILE, examples.web_app(**{"src/greet.js": "export {};\n"}))
    assert changed.image.digest != note.image.digest
    assert changed.image.layers[:-1] == note.image.layers[:-1]


PROBE = """
import json, imagelib as il
from imagelib import course_examples as examples
result = il.build(examples.NOTE_DOCKERFILE, examples.web_app())
print(json.dumps({"final": str(result.image.digest), "build": str(result.stages["build"].digest),
                  "node": str(il.catalog.get("node:14").digest)}))
"""


@pytest.mark.parametrize("seed", ["0", "777"])
def test_same_digests_in_another_process(note, seed):
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONHASHSEED"] = seed
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120, cwd=PROJECT_ROOT
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "final": str(note.image.digest),
        "build": str(note.stages["build"].digest),
        "node": str(il.catalog.get("node:14").digest),
    }
