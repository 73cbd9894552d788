"""모형 파일(model file): 진짜 내용 대신 "실제 이미지에서의 크기"를 적어 둔 작은 파일.

카탈로그의 베이스 이미지(예: ``node:14`` 약 900MB)를 노트북 셀 하나에서 통째로 만들 수는
없습니다. 그래서 큰 파일(실행 파일, 라이브러리, node_modules …)은 몇백 바이트짜리
**모형 파일**로 저장합니다. 모형 파일은 평범한 텍스트 파일이고, 첫 줄이 ``#imagelib-model v1``
이며 그 아래에 선언된 크기가 적혀 있습니다::

    #imagelib-model v1
    size=73560400        실제 이미지에서 이 파일의 크기(압축 전, 바이트)
    packed=24320000      레지스트리에서 내려받을 때의 크기(gzip 압축 후, 바이트)의 근삿값
    about=...            무엇을 흉내 낸 파일인지

무엇이 진짜이고 무엇이 모형인지는 이렇게 나뉩니다.

- **진짜**: 레이어 tar, 다이제스트, 이미지 설정·매니페스트, 경로와 폴더 구조, 작은 설정
  파일(``/etc/os-release`` 등)의 내용. 다이제스트는 언제나 실제로 저장된 바이트의 해시입니다.
- **모형**: 모형 파일의 내용. "이 이미지가 몇 MB인가"는 저장된 바이트가 아니라 선언된
  크기(``modeled_size``)로 셉니다. 모형이 아닌 파일(여러분이 COPY한 소스 등)은 실제 크기 그대로
  셉니다.

선언된 크기는 파일 내용의 일부이므로 내용 주소(content address)와 함께 움직입니다. 모형 파일을
복사하면(``cp``, ``COPY --from``) 선언된 크기도 함께 복사되고, 보관소에 넣었다 꺼내도 그대로입니다.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .entries import Entry, File, Symlink
from .image import Image
from .layer import Layer

MAGIC = b"#imagelib-model v1\n"
MAX_MODEL_BYTES = 2048
DEFAULT_PACK_RATIO = 0.4
"""압축 크기를 따로 주지 않은 모형 파일의 gzip 압축 비율(실행 파일·라이브러리는 대개 35~45%)."""

NOTE = "note=이 파일은 imagelib의 모형 파일입니다. 진짜 내용 대신 실제 이미지에서의 크기만 적어 두었습니다."


@dataclass(frozen=True)
class Declared:
    """모형 파일에 선언된 값: 실제 크기(size), 내려받을 때의 크기(packed), 그 밖의 항목."""

    size: int
    packed: int
    fields: Mapping[str, str]

    def get(self, key: str, default: str = "") -> str:
        return self.fields.get(key, default)


def model_bytes(size: int, packed: "int | None" = None, **fields: str) -> bytes:
    """모형 파일의 내용(바이트). 같은 인자는 언제나 같은 바이트를 만듭니다."""
    if size < 0:
        raise ValueError("size must not be negative")
    packed = round(size * DEFAULT_PACK_RATIO) if packed is None else packed
    lines = [f"size={int(size)}", f"packed={int(packed)}"]
    lines += [f"{key}={_one_line(value)}" for key, value in sorted(fields.items()) if value]
    lines.append(NOTE)
    data = MAGIC + ("\n".join(lines) + "\n").encode("utf-8")
    if len(data) > MAX_MODEL_BYTES:
        raise ValueError("model file fields are too long")
    return data


def model_file(
    size: int, packed: "int | None" = None, *, mode: int = 0o644, uid: int = 0, gid: int = 0, **fields: str
) -> File:
    """선언된 크기를 가진 모형 파일 항목(il.File). ``fields`` 는 about=, interp= 같은 설명입니다."""
    return File(model_bytes(size, packed, **fields), mode=mode, uid=uid, gid=gid)


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def parse(data: bytes) -> "Declared | None":
    """바이트가 모형 파일이면 선언된 값, 아니면 None."""
    if not data.startswith(MAGIC) or len(data) > MAX_MODEL_BYTES:
        return None
    fields: "dict[str, str]" = {}
    for line in data[len(MAGIC) :].decode("utf-8", "replace").splitlines():
        key, sep, value = line.partition("=")
        if sep:
            fields[key] = value
    try:
        size = int(fields.pop("size"))
        packed = int(fields.pop("packed"))
    except (KeyError, ValueError):
        return None
    fields.pop("note", None)
    return Declared(size, packed, fields)


def declared(entry: object) -> "Declared | None":
    """파일 항목(il.File, TreeEntry)이 모형 파일이면 선언된 값, 아니면 None."""
    source = getattr(entry, "content", None) or getattr(entry, "entry", None) or entry
    if not isinstance(source, File) or source.size > MAX_MODEL_BYTES or source.size < len(MAGIC):
        return None
    return parse(source.read())


@dataclass(frozen=True)
class LayerSize:
    """레이어 하나의 모형 크기: 파일 크기의 합(size)과 내려받을 바이트의 근삿값(download)."""

    size: int
    download: int
    model_files: int
    real_bytes: int


_LAYER_CACHE: "dict[object, LayerSize]" = {}
_CACHE_LIMIT = 4096


def counted_bytes(entry: Entry) -> int:
    """What ``docker images`` counts for an entry: a file's bytes, a symlink's target length (its
    size on disk, as ``du`` sees it), nothing for folders, hard links (one inode) and whiteouts."""
    if isinstance(entry, File):
        return entry.size
    if isinstance(entry, Symlink):
        return len(entry.target.encode("utf-8", "surrogateescape"))
    return 0


def layer_size(layer: Layer) -> LayerSize:
    """레이어의 모형 크기. 모형 파일은 선언된 크기로, 나머지 파일은 실제 크기로 셉니다.

    내려받을 크기(download)는 모형 파일의 ``packed`` 와, 모형이 아닌 파일의 실제 크기(압축하지
    않았다고 보고)를 더한 값입니다. 결과는 레이어의 diff_id로 기억해 두었다가 다시 씁니다.
    """
    cached = _LAYER_CACHE.get(layer.diff_id)
    if cached is not None:
        return cached
    size = download = models = real = 0
    for entry in layer.entries:
        found = declared(entry) if isinstance(entry, File) else None
        if found is None:
            counted = counted_bytes(entry)
            size += counted
            download += counted
            real += counted
        else:
            size += found.size
            download += found.packed
            models += 1
    result = LayerSize(size, download, models, real)
    if len(_LAYER_CACHE) >= _CACHE_LIMIT:
        _LAYER_CACHE.clear()
    _LAYER_CACHE[layer.diff_id] = result
    return result


def _layers(obj: "Layer | Image | Iterable[Layer]") -> "list[Layer]":
    if isinstance(obj, Layer):
        return [obj]
    if isinstance(obj, Image):
        return list(obj.layers)
    return list(obj)


def modeled_size(obj: "Layer | Image | Iterable[Layer]") -> int:
    """이미지(또는 레이어)의 크기를 ``docker images`` 의 SIZE처럼 셉니다(압축 전, 모형 크기 반영).

    카탈로그 이미지의 ``image.size`` 는 실제로 저장된 작은 바이트 수이고, 이 함수는 실제 이미지를
    흉내 낸 크기(예: node:14 약 900MB)를 돌려줍니다.
    """
    return sum(layer_size(layer).size for layer in _layers(obj))


def modeled_download_size(obj: "Layer | Image | Iterable[Layer]") -> int:
    """레지스트리에서 내려받을 바이트(gzip 압축 후)의 근삿값(Docker Hub가 보여 주는 크기와 같은 뜻)."""
    return sum(layer_size(layer).download for layer in _layers(obj))
