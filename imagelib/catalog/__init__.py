"""카탈로그(catalog): Docker Hub의 유명한 베이스 이미지를 흉내 낸 **모형 이미지**들.

``il.catalog.get("node:14-alpine")`` 은 진짜 OCI 이미지(레이어 tar, 설정, 매니페스트가 모두
진짜이고 skopeo 같은 도구가 읽을 수 있음)를 돌려줍니다. 다만 몇백 MB를 노트북에서 만들 수는
없으므로 **큰 파일은 모형 파일**입니다(``imagelib.modelfile``): 내용 대신 실제 이미지에서의
크기를 적어 둔 작은 파일입니다. 그래서

- 레이어 구조(몇 개의 레이어가 어떤 순서로 쌓였는지, 각 레이어를 만든 명령), 대표적인 경로
  (``/usr/local/bin/node``, ``/lib/ld-musl-x86_64.so.1`` …), 작은 설정 파일(``/etc/os-release``,
  ``/etc/passwd`` …), 환경 변수·CMD 같은 설정은 실제 이미지를 따릅니다.
- 이미지와 레이어의 **크기**는 ``il.modeled_size(image)`` (압축 전, ``docker images`` 의
  SIZE와 같은 뜻)와 ``il.modeled_download_size(image)`` (압축 후, Docker Hub가 보여 주는
  크기와 같은 뜻)로 셉니다. ``image.size`` 는 실제로 저장된 작은 바이트 수입니다.
- 플랫폼마다 이미지가 따로 있습니다. arm64 이미지는 Dockerfile과 레이어 구조가 같고, 아키텍처에
  따라 이름이 다른 파일(동적 로더 ``/lib/ld-musl-aarch64.so.1``, ``/lib/ld-linux-aarch64.so.1``,
  ``/usr/lib/aarch64-linux-gnu``, apk 데이터베이스의 ``A:aarch64``)과 설정의 ``architecture``/``variant`` 가
  다릅니다. 크기는 amd64의 값을 그대로 씁니다(``imagelib.catalog.arches``).
- 다이제스트는 실제로 저장된 바이트의 해시이므로 Docker Hub의 진짜 이미지 다이제스트와는 다릅니다.

크기의 출처(모두 linux/amd64, 반올림한 **근삿값**):

- 이미지 전체 크기: 고정한 버전(아래 ``version``)을 ``docker images`` 로 볼 때의 SIZE(압축 전)와
  Docker Hub 태그 페이지의 압축 크기. 예: node:14 약 912MB/345MB, node:14-alpine 약 117MB/39MB,
  nginx:1.25.3 약 187MB, nginx:1.25.3-alpine 약 42.6MB, python:3.12 약 1.02GB, -slim 약 130MB,
  -alpine 약 51.5MB, ubuntu:20.04 72.8MB, debian:bookworm-slim 74.8MB, alpine:3.19 7.38MB,
  busybox:1.36 4.26MB.
- 레이어별 크기: 같은 이미지의 ``docker history`` 와 공식 Dockerfile(docker-library)의 단계를
  따라 나눈 값입니다. 레이어 안 파일들의 크기는 대표 파일의 대략적인 실제 크기를 레이어 합계에
  맞도록 비례 조정한 것입니다.

Node.js 22 이미지(2025년 1월의 22.13.0에 고정)와 그 베이스: ``node:22``, ``node:22-slim``,
``node:22-alpine``, ``gcr.io/distroless/nodejs22-debian12`` (``:nonroot`` 태그는 사용자 65532),
``debian:12.9``, ``debian:12.9-slim``, ``alpine:3.21``. 출처는 ``info(name).sources`` 에 적혀 있습니다.

- 레이어·설정·명령: 공식 Dockerfile(github.com/nodejs/docker-node)과 distroless의 BUILD 파일
  (github.com/GoogleContainerTools/distroless: 레이어는 tar마다 하나, 셸·패키지 관리자 없음,
  dpkg 기록은 ``/var/lib/dpkg/status.d/`` 에 패키지마다 파일 하나).
- 패키지 목록: Docker 공식 이미지의 repo-info 기록(node:22-bookworm-slim, node:22-alpine3.21),
  buildpack-deps:bookworm의 설치 목록을 apt로 풀어 얻은 이름, distroless의 잠금 파일 버전.
  ``il.sbom`` 이 진짜 형식의 기록(apk ``installed``, dpkg ``status``·``status.d/``)을 읽습니다.
- 크기: node:22-slim 222.73MB·node:22-alpine 159.18MB(repo-info), node:22 1.12GB·distroless
  141MB(iximiuz Labs의 ``docker images`` 목록). 압축 크기는 공개된 값을 찾지 못해 비슷한
  카탈로그 이미지의 압축 비율로 **추정**한 값입니다.
- 이 이미지들은 내려받을 수 없는 환경에서 만들었으므로 진짜 엔진과 직접 비교하지 않았습니다.
  자세한 출처와 한계: ``imagelib/catalog/node22.py``.

``latest`` 같은 태그는 시간이 지나면 다른 버전을 가리킵니다. 카탈로그는 한 시점의 버전을
고정해 흉내 냅니다(``info(name).version``).

- ``get(name, platform=None)``: 모형 이미지(기본 linux/amd64), ``index(name)``: 플랫폼마다 이미지가 하나씩
  있는 이미지 인덱스(linux/amd64, linux/arm64/v8), ``platforms(name)``, ``info(name)``: 버전·베이스·공개된
  크기, ``names()``, ``aliases(name)``, ``has(name)``, ``table()``: 카탈로그 요약표
- ``pull_time(image, store=None, bandwidth_mbps=100)``: 이미지를 받을 때 내려받을 양과 시간
  (``il.pull_time`` 과 같음)
"""

from __future__ import annotations

from .base_images import (
    CatalogEntry,
    CatalogError,
    aliases,
    get,
    has,
    images,
    index,
    info,
    names,
    platforms,
    table,
)
from .pulltime import LayerPull, PullEstimate, pull_time

__all__ = [
    "CatalogEntry",
    "CatalogError",
    "LayerPull",
    "PullEstimate",
    "aliases",
    "get",
    "has",
    "images",
    "index",
    "info",
    "names",
    "platforms",
    "pull_time",
    "table",
]
