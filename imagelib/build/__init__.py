"""도커 이미지 빌드의 모형: ``il.build(dockerfile, context)`` 로 진짜 OCI 이미지를 만듭니다.

``il.build`` 는 함수처럼 부르는 모듈입니다::

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

같은 모듈에 빌드와 함께 쓰는 도구가 있습니다.

- ``il.build.BuildCache()``: 빌드 캐시. 여러 빌드에 같은 객체를 주면 바뀌지 않은 단계를 다시 씁니다.
- ``il.build.modeled_size(image)``, ``il.build.modeled_download_size(image)``: 모형 크기.
- ``il.build.pull_time(image, store=None, bandwidth_mbps=100)``: 내려받을 양과 시간.
- ``il.build.register_command(name, func)``: 모형 셸에 명령 더하기(선생님용),
  ``il.build.supported_commands()``: 모형 셸이 아는 명령.
- ``il.build.register_package("apk", ...)``: 모형 패키지 표에 패키지 더하기.
- ``il.catalog``: 모형 베이스 이미지(node:14, nginx:alpine, python:3.12-slim …).
"""

from __future__ import annotations

import sys
import types

from . import catalog, examples, packages  # noqa: F401  (packages registers apk, apt-get, npm, pip …)
from .builder import build as _build
from .cache import BuildCache
from .commands import CommandContext, command_table, register_command, supported_commands, unregister_command
from .context import BuildContext
from .errors import BuildError, ShellError
from .model import declared, model_file, modeled_download_size, modeled_size
from .packages import register_package
from .patterns import DockerIgnore
from .pulltime import PullEstimate, pull_time
from .result import BuildResult, BuildStep

build = _build

__all__ = ["BuildCache", "BuildContext", "BuildError", "BuildResult", "BuildStep", "CommandContext",
           "DockerIgnore", "PullEstimate", "ShellError", "build", "catalog", "command_table", "declared",
           "model_file", "modeled_download_size", "modeled_size", "pull_time", "register_command",
           "register_package", "supported_commands", "unregister_command"]


class _CallableModule(types.ModuleType):
    """Lets ``il.build(...)`` run a build while ``il.build.pull_time`` etc. stay reachable."""

    def __call__(self, dockerfile, context=None, store=None, build_args=None, target=None,
                 cache=None, tag=None) -> BuildResult:
        return _build(dockerfile, context, store=store, build_args=build_args, target=target,
                      cache=cache, tag=tag)


_CallableModule.__call__.__doc__ = _build.__doc__
sys.modules[__name__].__class__ = _CallableModule
