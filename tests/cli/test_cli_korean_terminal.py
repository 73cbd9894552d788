"""python -m imagelib in a Korean terminal: columns by display width, --image by number, legends."""

from __future__ import annotations

import re

import pytest

import imagelib as il
from imagelib.cli import main
from imagelib.display import text_width


def korean_image(extra: str = "") -> il.Image:
    base = il.Layer.from_files(
        {"etc/os-release": "ID=demo\n", "bin/sh": il.File(b"#!", mode=0o755)}, created_by="ADD rootfs.tar /  # 운영체제"
    )
    app = il.Layer.from_files(
        {"var/cache/apt/패키지.deb": b"d" * 9000, "usr/bin/app": b"a" * 1000, "usr/bin/link": il.Symlink("app")},
        created_by="RUN apt-get install app  # 앱 설치",
    )
    clean = il.Layer.from_files({}, deleted=["var/cache/apt/패키지.deb"], created_by="RUN rm -f /var/cache/apt/*.deb")
    image = il.Image.scratch().add_layer(base).add_layer(app).add_layer(clean)
    if extra:
        image = image.add_layer(il.Layer.from_files({"app/VERSION": extra}, created_by="COPY VERSION /app/"))
    return image


@pytest.fixture
def one_image(tmp_path):
    path = tmp_path / "one.tar"
    il.save(korean_image(), str(path), format="docker-archive", ref="myapp:1.0")
    return str(path)


@pytest.fixture
def two_images(tmp_path):
    store = il.Store()
    store.put(korean_image(), "myapp:1.0")
    store.put(korean_image("2.0\n"), "myapp:2.0")
    path = tmp_path / "two.tar"
    il.save(store, str(path), format="docker-archive")
    return str(path)


def run(capsys, *argv: str) -> "tuple[int, str, str]":
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ends_at(line: str, token: str) -> int:
    """The display column where ``token`` ends in ``line`` (Hangul counts two columns)."""
    start = line.index(token)
    return text_width(line[: start + len(token)])


def starts_at(line: str, token: str) -> int:
    return text_width(line[: line.index(token)])


def test_display_width_counts_hangul_as_two_columns():
    assert text_width("abc") == 3
    assert text_width("크기") == 4
    assert text_width("8개/10.0 KB") == 11


def test_layers_columns_line_up_by_display_width(capsys, one_image):
    code, out, _ = run(capsys, "layers", one_image)
    assert code == 0
    lines = out.splitlines()
    header = next(line for line in lines if "다이제스트" in line)
    rows = [line for line in lines if re.match(r"\s+\d+\s+[0-9a-f]{12}\s", line)]
    assert len(rows) == 3
    for row in rows:
        digest = re.search(r"[0-9a-f]{12}", row).group(0)
        size = re.search(r"\d+(?:\.\d)? [KM]?B", row).group(0)
        assert starts_at(row, digest) == starts_at(header, "다이제스트")
        assert ends_at(row, size) == ends_at(header, "크기")
    steps = [starts_at(row, row.split("  ")[-1]) for row in rows]
    assert len(set(steps)) == 1, out


def test_analyze_columns_line_up_by_display_width(capsys, one_image):
    code, out, _ = run(capsys, "analyze", one_image)
    assert code == 0
    lines = out.splitlines()
    header = next(line for line in lines if "추가" in line and "삭제" in line)
    first = lines[lines.index(header) + 1]
    second = lines[lines.index(header) + 2]
    third = lines[lines.index(header) + 3]
    added = re.search(r"\d+개/\S+ K?B", second).group(0)  # Korean count and size: wider than len()
    removed = re.search(r"\d+개/\S+ K?B", third).group(0)
    assert ends_at(second, added) == ends_at(header, "추가")
    assert ends_at(third, removed) == ends_at(header, "삭제")
    created = [starts_at(row, "ADD" if "ADD" in row else "RUN") for row in (first, second, third)]
    assert len(set(created)) == 1 and created[0] == starts_at(header, "만든 단계"), out


def test_help_columns_line_up_with_korean_metavars(capsys):
    with pytest.raises(SystemExit):
        main(["analyze", "--help"])
    out = capsys.readouterr().out
    lines = out.splitlines()
    helps = {
        option: starts_at(line, text)
        for option, text in [("--image", "파일에 이미지가"), ("--json", "결과를 JSON"), ("--top", "보여 줄")]
        for line in lines
        if line.lstrip().startswith(option + " ") and text in line
    }
    assert len(helps) == 3 and len(set(helps.values())) == 1, out


def test_image_by_number_as_the_help_promises(capsys, two_images):
    code, out, err = run(capsys, "layers", two_images, "--image", "1")
    assert code == 0, err
    assert "COPY VERSION /app/" in out and "레이어 4개" in out
    code, out, err = run(capsys, "layers", two_images, "--image", "0")
    assert code == 0, err
    assert "레이어 3개" in out
    code, _, err = run(capsys, "layers", two_images, "--image", "2")
    assert code == 2 and "--image 2" in err and "0부터 1까지" in err


def test_several_images_error_speaks_the_command_line(capsys, two_images):
    code, out, err = run(capsys, "layers", two_images)
    assert code == 2 and out == ""
    assert "--image myapp:1.0" in err and "0 = myapp:1.0" in err and "1 = myapp:2.0" in err
    assert "ref=" not in err and "il.open" not in err


def test_tree_explains_its_marks(capsys, one_image):
    code, out, _ = run(capsys, "tree", one_image)
    assert code == 0 and "link -> app" in out and "[L1]" in out
    legend = out.splitlines()[-1]
    assert "[L번호]" in legend and "->" in legend and "=>" in legend and "심볼릭 링크" in legend
    with pytest.raises(SystemExit):
        main(["tree", "--help"])
    assert "하드 링크" in capsys.readouterr().out


def test_broken_tar_is_explained_in_korean(capsys, tmp_path):
    broken = tmp_path / "broken.tar"
    broken.write_bytes(bytes(range(256)) * 8)
    code, _, err = run(capsys, "layers", str(broken))
    assert code == 2
    assert "invalid header" not in err and not re.search(r"\([a-z][a-z ]+\)", err), err


def test_no_waste_says_none_not_zero_of_zero(capsys, tmp_path):
    path = tmp_path / "clean.tar"
    clean = il.Image.scratch().add_layer(il.Layer.from_files({"app/a": "a"}, created_by="COPY a /app/"))
    il.save(clean, str(path), format="docker-archive", ref="clean:1")
    code, out, _ = run(capsys, "analyze", str(path))
    assert code == 0
    assert "0개 중 0개" not in out and "낭비가 큰 경로: 없음" in out
