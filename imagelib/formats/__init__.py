"""진짜 이미지 파일: OCI 이미지 레이아웃, OCI 아카이브, ``docker save`` 아카이브 읽기와 쓰기.

- ``il.open(path)``: 어떤 이미지 파일이든 열어 Image로
- ``il.open_index(path)``: OCI 레이아웃이나 tar에 든 이미지 인덱스를 모든 플랫폼과 함께
- ``il.save(img_or_store, path, format=...)``: OCI 레이아웃 폴더, OCI tar, docker-archive tar로 저장
- ``il.unpack(img, folder)``: 컨테이너가 보는 파일들(rootfs)을 진짜 폴더에 풀기
- ``il.unpack_overlay(img, folder)``: 도커의 overlay2처럼 레이어마다 따로 풀기(``il.layer_from_upperdir`` 는 그 반대)
- ``il.formats.list_images(path)``: 파일에 든 이미지 후보 보기
"""

from .choice import ImageChoice
from .opening import list_images, open_image, open_index
from .overlay import OverlayLayer, OverlayLayout, layer_from_upperdir, unpack_overlay
from .saving import FORMATS, save
from .unpack import unpack

__all__ = [
    "FORMATS",
    "ImageChoice",
    "OverlayLayer",
    "OverlayLayout",
    "layer_from_upperdir",
    "list_images",
    "open_image",
    "open_index",
    "save",
    "unpack",
    "unpack_overlay",
]
