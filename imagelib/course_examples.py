"""스터디 노트의 예제: 다단계 빌드 Dockerfile과, 그것으로 빌드할 작은 웹 앱(빌드 컨텍스트).

``NOTE_DOCKERFILE`` 은 스터디 노트에 적힌 그대로입니다. ``web_app()`` 은 그 Dockerfile이 기대하는 모양의
앱입니다: ``package.json`` (vite로 ``npm run build``), ``index.html``, ``src/`` 의 소스.
"""

from __future__ import annotations

import json

from .entries import Dir, File
from .image import Image
from .layer import Layer

NOTE_DOCKERFILE = """FROM node:14 AS build
WORKDIR /app
COPY package*.json ./
RUN npm install
COPY . .
RUN npm run build

FROM nginx:alpine
COPY --from=build /app/dist /usr/share/nginx/html
EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
"""
"""스터디 노트의 다단계 빌드 Dockerfile(그대로)."""

SINGLE_STAGE_DOCKERFILE = """FROM node:14
WORKDIR /app
COPY package*.json ./
RUN npm install
COPY . .
RUN npm run build
EXPOSE 80
CMD ["npx", "vite", "preview", "--port", "80", "--host"]
"""
"""같은 앱을 단계 하나로(node:14 위에서 빌드하고 그대로 실행) 만드는 Dockerfile: 비교용."""

SCRATCH_DOCKERFILE = """FROM scratch
COPY --chown=1000:1000 --chmod=755 busybox /bin/busybox
USER 1000:1000
ENTRYPOINT ["/bin/busybox"]
CMD ["echo", "안녕하세요"]
"""
"""빈 이미지(``FROM scratch``)에 정적 링크된 실행 파일 하나(busybox)만 넣고 root가 아닌 사용자로 실행하는
Dockerfile. 빌드 컨텍스트에는 ``busybox`` 파일 하나만 있으면 됩니다."""

PACKAGE_JSON = {
    "name": "my-app",
    "version": "1.0.0",
    "private": True,
    "scripts": {"build": "vite build", "preview": "vite preview"},
    "dependencies": {"react": "^18.2.0", "react-dom": "^18.2.0"},
    "devDependencies": {"vite": "^4.5.0"},
}

INDEX_HTML = """<!doctype html>
<html lang="ko">
  <head>
    <meta charset="UTF-8" />
    <title>my-app</title>
  </head>
  <body>
    <div id="root"></div>
    <script type="module" src="/src/main.js"></script>
  </body>
</html>
"""

MAIN_JS = """import { greet } from "./greet.js";
import "./style.css";

// 화면에 인사말을 씁니다.
document.getElementById("root").textContent = greet("도커");
"""

GREET_JS = """export function greet(name) {
  return `안녕하세요, ${name}!`;
}
"""

STYLE_CSS = """body {
  font-family: sans-serif;
  margin: 2rem;
}
"""


def web_app(**changes: str) -> "dict[str, str]":
    """스터디 노트의 Dockerfile로 빌드할 작은 웹 앱(경로 → 내용). ``changes`` 로 파일을 바꾸거나 더합니다.

    예: ``web_app(**{"src/greet.js": "..."})``. 값이 None이면 그 파일을 뺍니다.
    """
    files = {
        "package.json": json.dumps(PACKAGE_JSON, indent=2) + "\n",
        "index.html": INDEX_HTML,
        "src/main.js": MAIN_JS,
        "src/greet.js": GREET_JS,
        "src/style.css": STYLE_CSS,
        "README.md": "# my-app\n\n도커 이미지 강의의 예제 앱입니다.\n",
    }
    for path, content in changes.items():
        if content is None:
            files.pop(path, None)
        else:
            files[path] = content
    return files


def busybox_on_scratch(busybox: bytes) -> Image:
    """``SCRATCH_DOCKERFILE`` 과 같은 이미지를 Dockerfile 없이 직접 만듭니다.

    ``busybox`` 는 정적 링크된 busybox 실행 파일의 바이트입니다(Debian의 busybox-static이 설치한
    ``/bin/busybox`` 같은 것). 빈 이미지에는 동적 로더도 라이브러리도 없으므로 정적 실행 파일만 돌아갑니다.
    파일과 그것이 든 ``/bin`` 은 사용자 1000, 그룹 1000의 것이고(``COPY --chown=1000:1000``),
    권한은 755입니다(``--chmod=755``). 레이어는 ``il.build(SCRATCH_DOCKERFILE, ...)`` 의 것과 바이트까지 같고,
    설정에는 실행에 필요한 USER, ENTRYPOINT, CMD만 적습니다.
    """
    program = Layer.from_files(
        {"bin": Dir(uid=1000, gid=1000), "bin/busybox": File(busybox, mode=0o755, uid=1000, gid=1000)}
    )
    image = Image.scratch().add_layer(program, created_by="COPY busybox /bin/busybox")
    return image.with_config(user="1000:1000", entrypoint=["/bin/busybox"], cmd=["echo", "안녕하세요"])
