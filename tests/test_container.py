import pytest

import imagelib as il
from imagelib.image import Config


def base_image():
    layer = il.Layer.from_files(
        {
            "etc/os-release": "ID=demo\n",
            "app/hello.txt": "hello\n",
            "app/big.bin": b"\0" * 5000,
            "app/cache/a": "1",
            "app/cache/b": "2",
            "bin": il.Symlink("usr/bin"),
            "usr/bin/sh": "#!shell",
        },
        created_by="ADD base /",
    )
    return il.Image.scratch().add_layer(layer).with_config(cmd=["/bin/sh"])


def test_reads_fall_through_writes_stay_in_the_container():
    image = base_image()
    box = il.Container(image)
    assert box.read_text("app/hello.txt") == "hello\n"
    box.write("app/hello.txt", "bye\n")
    assert box.read_text("app/hello.txt") == "bye\n"
    assert image.rootfs().read_text("app/hello.txt") == "hello\n"  # the image is unchanged
    assert box.rootfs().entry("app/hello.txt").layer_index == 1


def test_copy_on_write_copies_whole_file_for_a_permission_change():
    box = il.Container(base_image())
    box.chmod("app/big.bin", 0o755)
    layer = box.layer()
    assert layer.entry("app/big.bin").size == 5000 and layer.entry("app/big.bin").mode == 0o755


def test_deleting_a_lower_path_records_a_whiteout_and_own_files_vanish():
    box = il.Container(base_image())
    box.write("tmp/scratch.txt", "temp")
    box.delete("tmp/scratch.txt")
    box.delete("app/hello.txt")
    layer = box.layer()
    assert layer.deleted == ["app/hello.txt"]
    assert "tmp/scratch.txt" not in layer.paths
    assert not box.exists("app/hello.txt")


def test_recreated_directory_becomes_opaque():
    box = il.Container(base_image())
    box.delete("app/cache")
    box.mkdir("app/cache")
    box.write("app/cache/new", "n")
    assert box.listdir("app/cache") == ["new"]
    layer = box.layer()
    assert layer.opaque == ["app/cache"]
    assert box.commit().rootfs().listdir("app/cache") == ["new"]


def test_writes_follow_symlinked_directories():
    box = il.Container(base_image())
    box.write("bin/tool", "T")
    assert box.layer().paths[-1] == "usr/bin/tool"
    assert box.read_text("usr/bin/tool") == "T"


def test_commit_adds_exactly_one_layer_with_history_and_config_changes():
    image = base_image()
    box = il.Container(image)
    box.write("app/hello.txt", "v2\n")
    box.mkdir("data")
    new = box.commit(message="hello v2", changes={"cmd": ["cat", "/app/hello.txt"], "env": {"V": "2"}})
    assert len(new.layers) == len(image.layers) + 1
    assert new.layers[:-1] == image.layers
    assert new.history[-1].comment == "hello v2" and new.history[-1].created_by == "/bin/sh"
    assert new.config.cmd == ("cat", "/app/hello.txt") and new.config.env_dict == {"V": "2"}
    assert new.rootfs().read_text("app/hello.txt") == "v2\n"
    assert image.rootfs().read_text("app/hello.txt") == "hello\n"
    assert sorted(new.layers[-1].paths) == ["app", "app/hello.txt", "data"]


def test_commit_without_file_changes_adds_no_layer_only_a_step_as_docker_does():
    image = base_image()
    new = il.Container(image).commit(message="config only")
    assert new.layers == image.layers
    assert new.history[-1].empty_layer and new.history[-1].comment == "config only"


def test_commit_keeps_the_run_command_and_the_run_environment():
    image = base_image().with_config(env={"PATH": "/usr/bin", "LANG": "C"})
    box = il.Container(image, command=["sh"], env={"PATH": "/bin", "DEBUG": "1"})
    box.write("app/hello.txt", "v2\n")
    new = box.commit(message="by hand", author="Kim <kim@example.com>")
    assert new.config.cmd == ("sh",)
    assert new.config.env == ("PATH=/bin", "DEBUG=1", "LANG=C")  # run -e first, then the image's other keys
    assert new.history[-1].created_by == "sh" and new.history[-1].author == "Kim <kim@example.com>"
    assert new.config_json["author"] == "Kim <kim@example.com>"


def test_a_run_entrypoint_drops_the_image_cmd_and_is_not_in_created_by():
    image = base_image().with_config(cmd=["serve"], entrypoint=["/app/run"], workdir="/app")
    assert il.Container(image).command == ["/app/run", "serve"]
    assert il.Container(image, command=["debug"]).config.entrypoint == ("/app/run",)
    box = il.Container(image, command=["hello"], entrypoint="echo", workdir="/tmp", user="12", labels={"x": "y"})
    new = box.commit()
    assert (new.config.entrypoint, new.config.cmd, new.config.workdir) == (("echo",), ("hello",), "/tmp")
    assert (new.config.user, dict(new.config.labels)) == ("12", {"x": "y"})
    assert new.history[-1].created_by == "hello"


def test_commit_changes_in_dockerfile_syntax():
    box = il.Container(base_image(), command=["sh"])
    new = box.commit(
        changes=[
            'CMD ["python3", "-m", "http.server"]',
            "ENV PORT=8080",
            'ENTRYPOINT ["x"]',
            "WORKDIR app",
            "EXPOSE 80 443/udp",
            'LABEL a=b c="d e"',
            "USER 1000",
            "VOLUME /data",
            "ONBUILD RUN ls",
        ]
    )
    assert new.config.cmd == ("python3", "-m", "http.server")  # a CMD before ENTRYPOINT stays
    assert new.config.entrypoint == ("x",) and new.config.env_dict["PORT"] == "8080"
    assert new.config.workdir == "/app" and new.config.user == "1000"
    assert set(new.config.exposed_ports) == {"80/tcp", "443/udp"} and new.config.volumes == ("/data",)
    assert dict(new.config.labels) == {"a": "b", "c": "d e"}
    assert new.config_json["config"]["OnBuild"] == ["RUN ls"]
    shell_form = box.commit(changes=["ENTRYPOINT /bin/app"])
    assert shell_form.config.entrypoint == ("/bin/sh", "-c", "/bin/app") and shell_form.config.cmd is None


@pytest.mark.parametrize(
    "change, error",
    [
        ("RUN apt-get update", il.ImageLibError),
        ("FROM scratch", il.ImageLibError),
        ("CMD", il.ImageLibError),
        ('LABEL a="open', il.ImageLibError),
        ("EXPOSE http", il.ImageLibError),
        ("ENV HOME=$PWD", il.UnsupportedError),
        ("HEALTHCHECK CMD true", il.UnsupportedError),
    ],
)
def test_commit_refuses_changes_docker_refuses_or_imagelib_does_not_model(change, error):
    with pytest.raises(error) as raised:
        il.Container(base_image()).commit(changes=[change])
    assert change.split()[0] in str(raised.value)


def test_diff_is_like_docker_diff():
    box = il.Container(base_image())
    box.write("app/hello.txt", "x")
    box.write("app/new", "y")
    box.delete("etc/os-release")
    diff = box.diff()
    assert diff.added == ("app/new",) and diff.modified == ("app/hello.txt",)
    assert diff.deleted == ("etc/os-release",)
    assert "C /app/hello.txt" in str(diff)


def test_container_errors_are_korean():
    box = il.Container(base_image())
    with pytest.raises(il.PathNotFoundError):
        box.delete("no/such/file")
    with pytest.raises(il.ImageLibError):
        box.write("app", "a directory cannot become text")
    with pytest.raises(il.ImageLibError):
        box.commit(changes={"colour": "blue"})
    with pytest.raises(il.ImageLibError):
        il.Container("nginx")


def test_writing_an_existing_file_keeps_its_owner_and_mode():
    image = il.Image.scratch().add_layer(
        il.Layer.from_files({"home/app/notes.txt": il.File("old\n", mode=0o640, uid=1000, gid=1000)})
    )
    box = il.Container(image)
    box.write("/home/app/notes.txt", "new\n")
    box.write("/home/app/fresh.txt", "fresh\n")
    written = box.commit().rootfs()
    kept = written.entry("home/app/notes.txt").entry
    assert (kept.uid, kept.gid, kept.mode) == (1000, 1000, 0o640)
    fresh = written.entry("home/app/fresh.txt").entry
    assert (fresh.uid, fresh.gid, fresh.mode) == (0, 0, 0o644)


def test_commit_does_not_carry_the_parent_containers_record_nor_its_onbuild():
    # the fields Docker 20.10 wrote when it made the parent, as il.open reads them
    parent = il.Image(
        config=Config.from_json(
            {"Cmd": ["sh"], "Hostname": "f" * 12, "Image": "sha256:" + "e" * 64, "OnBuild": ["RUN ls"]}
        ),
        extra={"container": "f" * 64, "container_config": {"Cmd": ["make"]}, "docker_version": "20.10.24"},
    )
    committed = il.Container(parent).commit().config_json
    assert not {"container", "container_config", "docker_version"} & set(committed)
    assert committed["config"] == {"Cmd": ["sh"]}


@pytest.mark.parametrize("word", ["0", "70000", "90-80", "80/ftp"])
def test_commit_changes_and_build_refuse_the_same_expose_words(word):
    base = il.Image.scratch().add_layer(il.Layer.from_files({"a": "1"}))
    with pytest.raises(il.ImageLibError, match="포트"):
        il.Container(base).commit(changes=[f"EXPOSE {word}"])
    with pytest.raises(il.BuildError, match="포트"):
        il.build(f"FROM scratch\nEXPOSE {word}\n", {})
