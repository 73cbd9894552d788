"""node·npm 모형과 npm 스크립트로 부르는 번들러(vite, webpack).

크기는 패키지의 설치 크기(의존성 포함; packagephobia.com 같은 사이트가 보여 주는 값의 자릿수)입니다.
``npm`` 은 내려받은 파일을 ``~/.npm`` 캐시에 남기고, ``NODE_ENV=production`` 이면 ``npm install`` 이
devDependencies를 건너뛰며, ``npm ci`` 는 package-lock.json이 있어야 합니다(모두 실제와 같음).
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re

from ..context import CommandContext, split_flags
from ..errors import CommandFailed
from ..table import program
from .tables import MB, Package, new_table, pkg, share, version_of

NPM = new_table(
    "npm",
    [
        pkg("react", "18.2.0", 0.32, 0.08, files=["index.js"], count=3),
        pkg("react-dom", "18.2.0", 4.5, 1.2, files=["index.js"], count=2),
        pkg("vite", "4.5.0", 16.0, 6.0, files=["dist/node/index.js"], count=13, bins={"vite": "bin/vite.js"}),
        pkg("@vitejs/plugin-react", "4.2.0", 6.5, 1.9, files=["dist/index.cjs"], count=60),
        pkg("express", "4.18.2", 2.2, 0.6, files=["index.js"], count=58),
        pkg("lodash", "4.17.21", 1.4, 0.32, files=["lodash.js"], count=1),
        pkg("axios", "1.6.2", 2.3, 0.5, files=["index.js"], count=9),
        pkg("dotenv", "16.3.1", 0.08, 0.02, files=["lib/main.js"], count=1),
        pkg("typescript", "5.3.2", 31.5, 5.8, files=["lib/typescript.js"], count=1, bins={"tsc": "bin/tsc"}),
        pkg("webpack", "5.89.0", 18.0, 5.0, files=["lib/index.js"], count=77, bins={"webpack": "bin/webpack.js"}),
        pkg("webpack-cli", "5.1.4", 3.5, 1.0, files=["lib/index.js"], count=40),
        pkg("nodemon", "3.0.2", 3.2, 0.9, files=["lib/nodemon.js"], count=30, bins={"nodemon": "bin/nodemon.js"}),
        pkg("jest", "29.7.0", 30.0, 8.0, files=["build/index.js"], count=270, bins={"jest": "bin/jest.js"}),
    ],
)
NPM_DEFAULT_SIZE = 1 * MB


@program("node", "Node.js (모형): node --version만 실제처럼 답합니다")
def _node(ctx: CommandContext) -> int:
    if ctx.args[:1] in (["--version"], ["-v"]):
        ctx.out(f"v{version_of(ctx, 'node', 'NODE_VERSION') or '0.0.0'}\n")
        return 0
    return ctx.fail("node: 모형 셸은 자바스크립트를 실행하지 않습니다(node --version만 지원).")


def _read_json(ctx: CommandContext, path: str, what: str) -> dict:
    if not ctx.is_file(path):
        raise CommandFailed(
            f"npm ERR! code ENOENT\nnpm ERR! syscall open\nnpm ERR! path {ctx.path(path)}\n"
            f"npm ERR! enoent ENOENT: no such file or directory, open '{ctx.path(path)}'\n"
            f"({what}이(가) 없습니다. COPY로 먼저 넣었는지 확인하세요)",
            254,
        )
    try:
        return json.loads(ctx.read_text(path))
    except ValueError as error:
        raise CommandFailed(f"npm ERR! code EJSONPARSE\nnpm ERR! {ctx.path(path)}: {error}", 1) from None


@program("npm", "Node 패키지 관리자: npm install/ci [--omit=dev], npm run <스크립트>, npm cache clean --force")
def _npm(ctx: CommandContext) -> int:
    ctx.require("node")
    if not ctx.args:
        return ctx.fail("npm: 모형은 install, ci, run, cache clean만 지원합니다.", 1)
    sub, *rest = ctx.args
    if sub in ("-v", "--version"):
        ctx.out(version_of(ctx, "npm", "NPM_VERSION") or "6.14.18")
        ctx.out("\n")
        return 0
    if sub in ("install", "i", "ci", "add"):
        return _npm_install(ctx, sub, rest)
    if sub in ("run", "run-script"):
        return _npm_run(ctx, rest)
    if sub in ("start", "test"):
        return _npm_run(ctx, [sub] + rest)
    if sub == "cache" and rest[:1] == ["clean"]:
        cache = posixpath.join(ctx.env.get("HOME", "/root"), ".npm")
        if ctx.exists(cache):
            ctx.delete(cache)
        return 0
    return ctx.fail(f"npm: 모형은 'npm {sub}'를 지원하지 않습니다(install, ci, run, cache clean만).", 1)


def _npm_install(ctx: CommandContext, sub: str, args: "list[str]") -> int:
    long_flags = [a for a in args if a.startswith("--")]
    _, names = split_flags([a for a in args if not a.startswith("--")], "gDSEP", "npm")
    production = (
        ctx.env.get("NODE_ENV") == "production"
        or "--production" in long_flags
        or "--omit=dev" in long_flags
        or "--only=production" in long_flags
    )
    manifest = _read_json(ctx, "package.json", "package.json")
    if sub == "ci":
        if not ctx.is_file("package-lock.json"):
            return ctx.fail(
                "npm ERR! cipm can only install packages with an existing package-lock.json or "
                "npm-shrinkwrap.json with lockfileVersion >= 1.\n"
                "(npm ci에는 package-lock.json이 필요합니다)",
                1,
            )
        if ctx.exists("node_modules"):
            ctx.delete("node_modules")
    wanted = dict(manifest.get("dependencies") or {})
    if not production:
        wanted.update(manifest.get("devDependencies") or {})
    for name in names:
        package_name, _, version = name.partition("@") if not name.startswith("@") else (name, "", "")
        wanted[package_name] = version or "*"
        manifest.setdefault("dependencies", {})[package_name] = "^" + _npm_package(package_name).version
    added = 0
    cache_size = 0
    for name in sorted(wanted):
        package = _npm_package(name)
        base = f"node_modules/{name}"
        ctx.write(
            f"{base}/package.json",
            json.dumps(
                {"name": name, "version": package.version, "bin": package.bins or None}, indent=2, sort_keys=True
            )
            + "\n",
        )
        for path, size, packed in share(package):
            ctx.write_model(
                f"{base}/{path}",
                size,
                packed,
                about=f"npm 패키지 {name}@{package.version} (의존성 {package.count - 1}개 포함 크기)",
            )
        for command, target in package.bins.items():
            ctx.write(f"{base}/{target}", f"#!/usr/bin/env node\n// {name} {command} (imagelib 모형)\n", mode=0o755)
            link = f"node_modules/.bin/{command}"
            if ctx.lookup(link, follow=False) is not None:
                ctx.delete(link)
            ctx.symlink(link, f"../{name}/{target}")
        added += package.count
        cache_size += package.packed
    lock = {
        "name": manifest.get("name", "app"),
        "version": manifest.get("version", "1.0.0"),
        "lockfileVersion": 1,
        "requires": True,
        "dependencies": {n: {"version": _npm_package(n).version} for n in sorted(wanted)},
    }
    ctx.write("node_modules/.package-lock.json", json.dumps(lock, indent=2) + "\n")
    if not ctx.is_file("package-lock.json") or names:
        ctx.write("package-lock.json", json.dumps(lock, indent=2) + "\n")
    if names:
        ctx.write("package.json", json.dumps(manifest, indent=2) + "\n")
    if cache_size:
        home = ctx.env.get("HOME", "/root")
        digest = hashlib.sha256(json.dumps(sorted(wanted)).encode()).hexdigest()[:16]
        ctx.write_model(
            f"{home}/.npm/_cacache/content-v2/sha512/{digest[:2]}/{digest}",
            cache_size,
            cache_size,
            about="npm이 내려받은 패키지 묶음(tarball) 캐시",
        )
    ctx.out(f"added {added} packages, and audited {added + 1} packages (모형)\n")
    return 0


def _npm_package(name: str) -> Package:
    return NPM.get(name) or Package(
        name,
        "1.0.0",
        NPM_DEFAULT_SIZE,
        NPM_DEFAULT_SIZE // 4,
        ("index.js",),
        (),
        0,
        1,
        {},
        "모형 표에 없는 패키지: 기본 크기 1MB로 셈",
    )


def _npm_run(ctx: CommandContext, args: "list[str]") -> int:
    if not args:
        return ctx.fail("npm ERR! 실행할 스크립트 이름이 없습니다(npm run build처럼).", 1)
    name, extra = args[0], [a for a in args[1:] if a != "--"]
    manifest = _read_json(ctx, "package.json", "package.json")
    scripts = manifest.get("scripts") or {}
    if name not in scripts:
        return ctx.fail(f"npm ERR! missing script: {name}", 1)
    script = " ".join([scripts[name]] + extra)
    ctx.out(f"\n> {manifest.get('name', 'app')}@{manifest.get('version', '1.0.0')} {name} {ctx.cwd}\n> {script}\n\n")
    env = dict(ctx.env)
    env["PATH"] = f"{ctx.path('node_modules/.bin')}:{env.get('PATH', '')}"
    return ctx.run(script, env)


# -- bundlers (run through npm scripts) ----------------------------------------------------

_SOURCE = re.compile(r"\.(m?jsx?|tsx?)$")


def _sources(ctx: CommandContext, folder: str) -> "list[str]":
    found: "list[str]" = []
    if not ctx.is_dir(folder):
        return found
    for name in ctx.listdir(folder):
        path = f"{folder}/{name}"
        if ctx.is_dir(path):
            found += _sources(ctx, path)
        else:
            found.append(path)
    return found


def _hash8(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:8]


def _bundle(ctx: CommandContext, files: "list[str]", pattern: "re.Pattern[str]") -> bytes:
    chunks = []
    for path in files:
        if pattern.search(path):
            text = ctx.read_text(path)
            lines = [line.strip() for line in text.splitlines()]
            kept = [line for line in lines if line and not line.startswith("//")]
            chunks.append(f"/* {path} */\n" + "\n".join(kept))
    return ("\n".join(chunks) + "\n").encode("utf-8") if chunks else b""


def _build_site(ctx: CommandContext, tool: str, out_dir: str, index: "str | None") -> int:
    files = _sources(ctx, "src")
    if not files:
        return ctx.fail(f"{tool}: src/ 폴더에 소스 파일이 없습니다(COPY . . 를 했는지 확인하세요).", 1)
    if ctx.exists(out_dir):
        ctx.delete(out_dir)
    script = _bundle(ctx, files, _SOURCE)
    style = _bundle(ctx, files, re.compile(r"\.css$"))
    js_name = f"assets/index-{_hash8(script)}.js"
    written = [(js_name, script)]
    if style:
        written.append((f"assets/index-{_hash8(style)}.css", style))
    if index is not None:
        html = ctx.read_text(index)
        html = re.sub(
            r'<script[^>]*src="[^"]*"[^>]*>\s*</script>',
            f'<script type="module" crossorigin src="/{js_name}"></script>',
            html,
        )
        if style:
            html = html.replace("</head>", f'  <link rel="stylesheet" href="/{written[1][0]}">\n  </head>')
        written.insert(0, ("index.html", html.encode("utf-8")))
    for name in _sources(ctx, "public"):
        written.append((name[len("public/") :], ctx.read_bytes(name)))
    for name, data in written:
        ctx.write(f"{out_dir}/{name}", data)
    modules = sum(1 for f in files if _SOURCE.search(f) or f.endswith(".css"))
    ctx.out(f"✓ {modules} modules transformed.\n")
    for name, data in written:
        ctx.out(f"{out_dir}/{name:<34} {len(data) / 1000:.2f} kB\n")
    return 0


@program("vite", "vite build: src/와 index.html로 dist/를 만듭니다(모형 번들러; npm install 뒤 npm run build로)")
def _vite(ctx: CommandContext) -> int:
    ctx.require("node")
    if ctx.args[:1] != ["build"]:
        return ctx.fail("vite: 모형은 'vite build'만 지원합니다(개발 서버는 빌드에서 쓰지 않습니다).", 1)
    if not ctx.is_file("index.html"):
        return ctx.fail('error during build:\nCould not resolve entry module "index.html".', 1)
    ctx.out(f"vite v{_npm_package('vite').version} building for production...\n")
    return _build_site(ctx, "vite", "dist", "index.html")


@program("webpack", "webpack: src/로 dist/main.js를 만듭니다(모형 번들러)")
def _webpack(ctx: CommandContext) -> int:
    ctx.require("node")
    index = "public/index.html" if ctx.is_file("public/index.html") else None
    return _build_site(ctx, "webpack", "dist", index)
