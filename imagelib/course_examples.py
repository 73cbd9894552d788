"""스터디 노트의 예제: 다단계 빌드 Dockerfile과, 그것으로 빌드할 작은 웹 앱(빌드 컨텍스트).

``NOTE_DOCKERFILE`` 은 스터디 노트에 적힌 그대로입니다. ``web_app()`` 은 그 Dockerfile이 기대하는 모양의
앱입니다: ``package.json`` (vite로 ``npm run build``), ``index.html``, ``src/`` 의 소스.
"""

from __future__ import annotations

import json

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
