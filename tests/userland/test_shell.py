"""The modeled POSIX shell that runs RUN: syntax, file commands, errors, the command registry."""

import pytest

import imagelib as il
from imagelib.userland import ShellError
from imagelib.userland.coreutils import parse_mode
from imagelib.userland.shell import ShellSession, UnknownCommand, parse, tokenize

ENV = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root"}


def session(image="alpine:3.19", cwd="/"):
    return ShellSession(il.Container(il.catalog.get(image)), dict(ENV), cwd)


def run(script, image="alpine:3.19"):
    shell = session(image)
    status = shell.run(script)
    return status, shell.log.decode(), shell


# -- syntax -------------------------------------------------------------------------------------


def test_and_or_semicolon_and_status():
    assert run("true && echo yes || echo no")[1] == "yes\n"
    assert run("false && echo yes || echo no")[1] == "no\n"
    status, out, _ = run("false; echo after; echo $?")
    assert status == 0 and out == "after\n0\n"
    assert run("false")[0] == 1 and run("! false")[0] == 0


def test_set_e_stops_at_the_first_failure_but_not_inside_and_or():
    status, out, _ = run("set -e; false && echo skipped; echo reached; false; echo never")
    assert status == 1 and out == "reached\n"


def test_redirections_and_pipes():
    status, out, shell = run(
        "mkdir -p /w && cd /w && echo one > f && echo two >> f && cat f | cat "
        "&& cat missing 2>/dev/null || echo handled && cat nope > log 2>&1; cat log"
    )
    assert out == "one\ntwo\nhandled\ncat: nope: No such file or directory\n"
    assert shell.fs.read_text("w/f") == "one\ntwo\n"
    assert run("echo x > /no/such/dir/file")[1] == "/bin/sh: can't create /no/such/dir/file: nonexistent directory\n"
    assert run("echo x > /no/such/dir/file", image="debian:bookworm-slim")[1].startswith("/bin/sh: 1: cannot create")


def test_quotes_variables_and_field_splitting():
    script = (
        'A="two words"; B=\'$A\'; printf "%s|" $A; echo; printf "%s|" "$A"; echo; echo $B; '
        'echo ${UNSET:-fallback} ${A:+set} "\\$HOME" ~ ~/x; X=1 printenv X; echo "${X}"'
    )
    status, out, _ = run(script)
    assert out.splitlines() == ["two|words|", "two words|", "$A", "fallback set $HOME /root /root/x", "1", ""]


def test_globs_expand_against_the_image_and_stay_literal_without_matches():
    status, out, _ = run("echo /etc/apk/r* /etc/*.nothing '/etc/apk/r*'")
    assert out == "/etc/apk/repositories /etc/*.nothing /etc/apk/r*\n"
    out = run("cd /etc/apk && echo *")[1]
    assert out.split() == ["repositories", "world"]


def test_subshell_keeps_cd_inside():
    assert run("(cd /etc && pwd); pwd")[1] == "/etc\n/\n"


@pytest.mark.parametrize(
    "script, words",
    [
        ("if true; then echo x; fi", ["if"]),
        ("for f in a; do echo $f; done", ["for"]),
        ("echo $(date)", ["$("]),
        ("echo `date`", ["`"]),
        ("sleep 1 &", ["&"]),
        ("echo 'open", ["'"]),
        ("cat <<EOF", ["<<"]),
        ("&& true", ["&&"]),
    ],
)
def test_unsupported_syntax_is_explained(script, words):
    with pytest.raises(ShellError) as caught:
        parse(script)
    assert all(word in str(caught.value) for word in words)


@pytest.mark.parametrize("expansion", ["${#PATH}", "${1}", "${}"])
def test_unsupported_parameter_expansion_is_explained(expansion):
    with pytest.raises(ShellError) as caught:
        run(f"echo {expansion}")
    assert expansion in str(caught.value)


def test_tokenize_line_continuations_and_comments():
    kinds = [t.kind for t in tokenize("echo a \\\n b # comment\n2>&1")]
    assert kinds == ["word", "word", "word", "op", "redir", "word"]


# -- file commands ------------------------------------------------------------------------------


def test_mkdir_cp_mv_touch_ln_record_into_the_layer():
    status, out, shell = run(
        "mkdir -p /app/src && echo hi > /app/src/a.txt && cp -r /app/src /app/copy "
        "&& mv /app/copy/a.txt /app/b.txt && touch /app/new && ln -s b.txt /app/link "
        "&& cat /app/link"
    )
    assert status == 0 and out == "hi\n"
    layer = shell.fs.layer()
    assert {"app/src/a.txt", "app/copy", "app/b.txt", "app/new", "app/link"} <= set(layer.paths)
    assert "app/copy/a.txt" not in layer.paths  # moved away in the same RUN: never in the layer


def test_rm_of_a_lower_file_leaves_a_whiteout_and_rm_errors():
    status, out, shell = run("rm /etc/alpine-release && rm -rf /usr/share/apk && rm -f /nothing")
    assert status == 0
    assert sorted(shell.fs.layer().deleted) == ["etc/alpine-release", "usr/share/apk"]
    assert run("rm /nothing")[1] == "rm: cannot remove '/nothing': No such file or directory\n"
    assert "Is a directory" in run("rm /etc")[1]
    assert "dangerous" in run("rm -rf /")[1]


def test_mkdir_without_p_and_cp_without_r():
    assert "File exists" in run("mkdir /etc")[1]
    assert "No such file" in run("mkdir /a/b")[1]
    assert "omitting directory" in run("cp /etc /x")[1]


def test_chmod_and_chown_copy_the_whole_file_up():
    status, out, shell = run(
        "chmod +x /etc/alpine-release && chown nobody:nobody /etc/os-release && ls -l /etc/alpine-release"
    )
    assert out.startswith("-rwxr-xr-x")
    layer = shell.fs.layer()
    assert layer.entry("etc/alpine-release").mode == 0o755
    owner = layer.entry("etc/os-release")
    assert (owner.uid, owner.gid) == (65534, 65534)
    assert "invalid user" in run("chown ghost /etc/os-release")[1]


@pytest.mark.parametrize(
    "text, current, expected",
    [
        ("755", 0o644, 0o755),
        ("u+x", 0o644, 0o744),
        ("go-w", 0o666, 0o644),
        ("a=r", 0o777, 0o444),
        ("+x", 0o644, 0o755),
        ("u+x,g+w", 0o600, 0o720),
    ],
)
def test_parse_mode(text, current, expected):
    assert parse_mode(text, current, is_dir=False) == expected


def test_ls_shows_declared_sizes_of_model_files():
    out = run("ls -l /bin/busybox /lib")[1]
    size = il.modelfile.declared(il.catalog.get("alpine:3.19").rootfs().entry("bin/busybox")).size
    assert str(size) in out and "ld-musl-x86_64.so.1" in out


def test_test_builtin():
    assert (
        run(
            "[ -f /etc/os-release ] && [ -d /etc ] && [ ! -e /nope ] && test a = a && "
            "[ 3 -gt 2 ] && [ -z '' ] && echo ok"
        )[1]
        == "ok\n"
    )


def test_running_a_shell_script_from_the_image():
    status, out, _ = run("printf '#!/bin/sh\\necho from script\\n' > /s.sh && chmod 755 /s.sh && /s.sh")
    assert status == 0 and out == "from script\n"
    assert "Permission denied" in run("printf 'x' > /t.sh && /t.sh")[1]


# -- commands and images ------------------------------------------------------------------------


def test_unknown_command_lists_what_is_supported():
    with pytest.raises(UnknownCommand) as caught:
        run("make all")
    assert "make" in str(caught.value) and "mkdir" in str(caught.value)
    assert "register_command" in str(caught.value)


def test_a_known_command_missing_from_the_image_is_not_found():
    status, out, shell = run("apt-get update")
    assert status == 127 and out == "/bin/sh: apt-get: not found\n"  # BusyBox ash, Alpine's /bin/sh
    assert shell.missing[0].name == "apt-get"
    assert run("apk --version", image="debian:bookworm-slim")[:2] == (127, "/bin/sh: 1: apk: not found\n")  # dash


def test_glibc_program_on_musl_is_not_found_because_of_the_loader():
    box = il.Container(il.catalog.get("alpine:3.19"))
    node = il.catalog.get("node:14").rootfs().entry("usr/local/bin/node")
    box.add(il.File(node.read_bytes(), mode=0o755, path="usr/local/bin/node"))
    shell = ShellSession(box, dict(ENV))
    assert shell.run("node --version") == 127
    assert shell.missing[-1].reason == "loader"
    assert shell.missing[-1].detail == "/lib64/ld-linux-x86-64.so.2"


def test_teacher_registered_command_runs_and_can_be_removed():
    @il.userland.register_command("hello", help="인사 파일")
    def hello(ctx):
        ctx.write("greeting.txt", f"안녕하세요 {' '.join(ctx.args)}\n")
        ctx.out("made\n")
        return 0

    try:
        status, out, shell = run("mkdir /g && cd /g && hello 여러분")
        assert status == 0 and out == "made\n"
        assert shell.fs.read_text("g/greeting.txt") == "안녕하세요 여러분\n"
        assert "hello" in il.userland.supported_commands()
        with pytest.raises(ShellError, match="replace"):
            il.userland.register_command("hello", hello)
        result = il.build("FROM scratch\nCOPY x /x\n", {"x": "1"})
        assert result.image  # registering does not disturb other builds
    finally:
        il.userland.unregister_command("hello")
    assert "hello" not in il.userland.supported_commands()
    with pytest.raises(ShellError):
        il.userland.unregister_command("hello")


def test_registered_command_failure_stops_the_build():
    il.userland.register_command("fails", lambda ctx: ctx.fail("나빠요", 3))
    try:
        with pytest.raises(il.BuildError, match="종료 코드 3"):
            il.build("FROM alpine\nRUN fails\n")
    finally:
        il.userland.unregister_command("fails")


def test_busybox_image_uses_hard_links_for_its_commands():
    status, out, shell = run("mkdir -p /x && echo ok > /x/f && cat /x/f", image="busybox")
    assert status == 0 and out == "ok\n"
    assert il.catalog.get("busybox").rootfs().entry("bin/ls").kind == "hardlink"
