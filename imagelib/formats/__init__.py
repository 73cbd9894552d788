"""진짜 이미지 파일: OCI 이미지 레이아웃, OCI 아카이브, ``docker save`` 아카이브 읽기와 쓰기.

- ``il.open(path)``: 어떤 이미지 파일이든 열어 Image로
- ``il.open_index(path)``: OCI 레이아웃이나 tar에 든 이미지 인덱스를 모든 플랫폼과 함께
- ``il.save(img_or_store, path, format=...)``: OCI 레이아웃 폴더, OCI tar, docker-archive tar로 저장
- ``il.unpack(img, folder)``: 컨테이너가 보는 파일들(rootfs)을 진짜 폴더에 풀기
- ``il.formats.list_images(path)``: 파일에 든 이미지 후보 보기
"""

from .choice import ImageChoice
from .opening import list_images, open_image, open_index
from .saving import FORMATS, save
from .unpack import unpack

__all__ = ["FORMATS", "ImageChoice", "list_images", "open_image", "open_index", "save", "unpack"]
