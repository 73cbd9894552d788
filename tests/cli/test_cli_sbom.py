"""python -m imagelib sbom: the package table aligned by display width, SPDX and CycloneDX bytes."""

from __future__ import annotations

import pytest

import imagelib as il
from imagelib.cli import main
from imagelib.display import text_width


@pytest.fixture
def image_file(tmp_path):
    img = il.build(
        "FROM alpine:3.19\nRUN apk add --no-cache curl\nWORKDIR /app\nCOPY node_modules node_modules\n",
        {"node_modules/사내도구/package.json": '{"name": "사내도구", "version": "1.0.0", "license": "사내 전용"}'},
    ).image
    path = tmp_path / "image.tar"
    il.save(img, path, format="docker-archive")
    return img, path


def test_table_columns_line_up_by_display_width(image_file, capsys):
    img, path = image_file
    assert main(["sbom", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    header, rows, summary = lines[0], lines[1:-1], lines[-1]
    starts = {text_width(header[: header.index("기록 파일")])}
    starts |= {text_width(row[: row.index("  /") + 2]) for row in rows}
    assert len(starts) == 1, lines
    assert any("사내도구" in row and "사내 전용" in row for row in rows)
    counts = il.sbom(img).count()
    assert summary == f"패키지 {sum(counts.values())}개 (apk {counts['apk']}개, npm 1개)"


@pytest.mark.parametrize("form", ["spdx", "cyclonedx"])
def test_json_formats_are_the_sbom_bytes(image_file, capsysbinary, form):
    img, path = image_file
    assert main(["sbom", str(path), "--format", form]) == 0
    sbom = il.sbom(il.open(path))
    assert capsysbinary.readouterr().out == (sbom.to_spdx() if form == "spdx" else sbom.to_cyclonedx())
    # the archive holds the same image the builder made
    assert sbom.image_digest == img.digest


def test_an_image_without_package_records_says_so(tmp_path, capsys):
    path = tmp_path / "plain.tar"
    il.save(il.Image.scratch().add_layer(il.Layer.from_files({"hello.txt": "hi"})), path, format="docker-archive")
    assert main(["sbom", str(path), "--format", "table"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "패키지 0개: 이미지에 패키지 기록이 없습니다"
    assert main(["sbom", str(path), "--format", "spdx"]) == 0


def test_a_broken_record_is_a_one_line_korean_error(tmp_path, capsys):
    path = tmp_path / "broken.tar"
    layer = il.Layer.from_files({"lib/apk/db/installed": "P:musl\nnot a field\n"})
    il.save(il.Image.scratch().add_layer(layer), path, format="docker-archive")
    assert main(["sbom", str(path)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("오류: ") and "/lib/apk/db/installed" in error and error.count("\n") == 1


def test_recorded_text_cannot_break_the_table_or_drive_the_terminal(tmp_path, capsys):
    metadata = (
        "Metadata-Version: 2.1\nName: evil\x1b[2J\nVersion: 1.0\n"
        "License: Permission is hereby granted, free of charge, to any person\n"
        "        obtaining a copy of this software and associated documentation files\n"
    )
    layer = il.Layer.from_files({"site/evil-1.0.dist-info/METADATA": metadata})
    path = tmp_path / "evil.tar"
    il.save(il.Image.scratch().add_layer(layer), path, format="docker-archive")
    assert main(["sbom", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    lines = out.splitlines()
    assert len(lines) == 3  # header, the one package, the count
    assert "Permission is hereby" in lines[1] and "…" in lines[1] and lines[1].endswith("METADATA")
