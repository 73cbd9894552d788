"""Dockerfile 엔진: ``il.build(dockerfile, context)`` 로 진짜 OCI 이미지를 만듭니다(``docker build`` 의 모형).

::

    import imagelib as il
    result = il.build('''
    FROM node:14-alpine
    WORKDIR /app
    COPY package*.json ./
    RUN npm install
    COPY . .
    CMD ["node", "server.js"]
    ''', context={"package.json": '{"dependencies": {"express": "^4.18.2"}}', "server.js": "..."})
    result.image          # 만들어진 이미지(il.Image)
    result.steps          # 단계별 기록: 레이어인지 설정만인지, 캐시 적중(CACHED)인지

``il.build(..., platform="linux/arm64")`` 은 ``docker build --platform`` 처럼 그 플랫폼의 베이스 이미지로 빌드하고,
``il.build_index(..., platforms=["linux/amd64", "linux/arm64"])`` 는 ``docker buildx build --platform a,b`` 처럼
플랫폼마다 빌드해 이미지 인덱스(``il.ImageIndex``) 하나로 묶습니다.

빌드와 함께 쓰는 것들(모두 ``il`` 에서 바로 씁니다):

- ``il.BuildCache()``: 빌드 캐시. 여러 빌드에 같은 객체를 주면 바뀌지 않은 단계를 다시 씁니다.
- ``il.BuildContext.load(폴더나 사전)``: 빌드 컨텍스트(``.dockerignore`` 를 따름).
- ``il.BuildResult``, ``il.BuildStep``: 빌드 결과와 단계별 기록, ``il.BuildError``: 빌드 실패.
- ``il.modeled_size(image)``, ``il.modeled_download_size(image)``: 모형 크기(``imagelib.modelfile``).
- ``il.pull_time(image, store=None, bandwidth_mbps=100)``: 내려받을 양과 시간(``il.catalog``).
- ``il.catalog``: 모형 베이스 이미지(node:14, nginx:alpine, python:3.12-slim …).
- ``il.userland``: RUN이 실행되는 모형 셸. 선생님은 여기에 명령과 패키지를 더할 수 있습니다.

모듈: ``parse`` (Dockerfile 읽기), ``context`` 와 ``dockerignore`` (빌드 컨텍스트), ``cache`` (빌드 캐시),
``builder`` (명령 실행), ``result`` (결과와 단계), ``errors`` (BuildError).
"""

from __future__ import annotations

from .builder import build, build_index
from .cache import BuildCache
from .context import BuildContext
from .dockerignore import DockerIgnore
from .errors import BuildError
from .result import BuildResult, BuildStep

__all__ = [
    "BuildCache",
    "BuildContext",
    "BuildError",
    "BuildResult",
    "BuildStep",
    "DockerIgnore",
    "build",
    "build_index",
]
