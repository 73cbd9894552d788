"""빌더(builder): Dockerfile을 한 줄씩 실행해 진짜 OCI 이미지를 만듭니다.

각 명령은 도커(BuildKit)가 기록하는 것과 같은 모양으로 이미지에 남습니다.

- ``COPY``, ``ADD``, ``RUN``, ``WORKDIR`` → 새 **레이어** 하나와 ``history`` 한 줄
  (``created_by`` 예: ``COPY package*.json ./ # buildkit``, ``RUN /bin/sh -c npm install # buildkit``).
- ``ENV``, ``ARG``, ``LABEL``, ``EXPOSE``, ``USER``, ``CMD``, ``ENTRYPOINT``, ``VOLUME``,
  ``STOPSIGNAL`` → 설정(config)만 바꾸고 ``history`` 에 ``empty_layer: true`` 인 줄을 남깁니다.
- ``FROM`` → 베이스 이미지의 레이어와 기록을 그대로 이어받습니다(보관소, 카탈로그, ``scratch``,
  앞 단계).
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .. import catalog
from ..commit_changes import exec_form, port_specs
from ..container import Container
from ..entries import Dir, Entry, File
from ..errors import ImageLibError
from ..image import ConfigChanges, Image
from ..imageindex import ImageIndex
from ..layer import Layer
from ..oci import DEFAULT_PLATFORM, Platform
from ..pathmatch import compile_match, has_wildcard
from ..reference import parse_reference
from ..store import Store
from ..userland import ShellError, ShellSession
from ..userland.shell import DEFAULT_PATH
from .cache import BuildCache, cache_key
from .context import BuildContext, TreeSource
from .errors import BuildError
from .parse import (
    Dockerfile,
    Instruction,
    Stage,
    expand,
    expand_words,
    key_values,
    parse_dockerfile,
    process_word,
)
from .result import LAYER_KEYWORDS, BuildResult, BuildStep
from .secrets import SecretMount, load_secrets, looks_like_secret, parse_mount, secret_name_warning

if TYPE_CHECKING:
    from typing_extensions import Unpack

COMMENT = "buildkit.dockerfile.v0"
MAX_LINKS = 40
# The modeled builder machine: BuildKit's BUILDPLATFORM is the platform of the node that builds.
BUILD_PLATFORM = DEFAULT_PLATFORM


def platform_args(target: Platform, build: Platform = BUILD_PLATFORM) -> "dict[str, str]":
    """BuildKit이 전역 범위에 자동으로 두는 ARG들(``TARGETPLATFORM``, ``TARGETARCH`` …).

    단계 안에서 쓰려면 ``ARG TARGETARCH`` 처럼 값 없이 다시 선언해야 하고, ``FROM`` 줄에서는 그냥
    쓸 수 있습니다. ``BUILDPLATFORM`` 은 빌드하는 기계(모형에서는 linux/amd64)입니다.
    """
    return {
        "TARGETPLATFORM": str(target),
        "TARGETOS": target.os,
        "TARGETARCH": target.architecture,
        "TARGETVARIANT": target.variant,
        "BUILDPLATFORM": str(build),
        "BUILDOS": build.os,
        "BUILDARCH": build.architecture,
        "BUILDVARIANT": build.variant,
    }


def go_quote(items: "list[str]") -> str:
    """Go의 ``fmt.Sprintf("%q", []string)`` 처럼: ``["nginx" "-g" "daemon off;"]``."""
    return "[" + " ".join(json.dumps(item, ensure_ascii=False) for item in items) + "]"


@dataclass
class _StageState:
    stage: Stage
    image: Image
    key: str
    total: int
    args: "dict[str, str | None]" = field(default_factory=dict)
    cmd_set: bool = False
    counter: int = 0

    @property
    def env(self) -> "dict[str, str]":
        """Variables for Dockerfile substitution and RUN: ARG values, overridden by ENV."""
        values = {k: v for k, v in self.args.items() if v is not None}
        values.update(self.image.config.env_dict)
        return values

    @property
    def workdir(self) -> str:
        return self.image.config.workdir or "/"

    @property
    def user(self) -> str:
        return self.image.config.user


class _Builder:
    def __init__(
        self,
        dockerfile: Dockerfile,
        context: BuildContext,
        store: "Store | None",
        build_args: "Mapping[str, str]",
        target: "str | None",
        cache: BuildCache,
        secrets: "Mapping[str, bytes] | None" = None,
        platform: "Platform | None" = None,
    ) -> None:
        self.dockerfile, self.context, self.store = dockerfile, context, store
        # None: no --platform given (BuildKit's implicit target); the image keeps its base's platform.
        self.platform = platform
        self.secrets = dict(secrets or {})
        self.build_args = {str(k): str(v) for k, v in build_args.items()}
        self.used_args: "set[str]" = set()
        self.cache = cache
        self.steps: "list[BuildStep]" = []
        self.warnings: "list[str]" = []
        self.done: "dict[int, _StageState]" = {}
        self.global_args = self._global_args()
        self.target = self._target(target)

    # -- planning -------------------------------------------------------------------------

    def _global_args(self) -> "dict[str, str | None]":
        automatic = platform_args(self.platform or DEFAULT_PLATFORM)
        for key in automatic.keys() & self.build_args.keys():
            automatic[key] = self.build_args[key]
            self.used_args.add(key)
        values: "dict[str, str | None]" = dict(automatic)
        for instruction in self.dockerfile.global_args:
            known = {k: v for k, v in values.items() if v is not None}
            for key, default in key_values(instruction, known):
                self._warn_secret_name(instruction, key)
                if key in self.build_args:
                    values[key] = self.build_args[key]
                    self.used_args.add(key)
                elif default is not None or key not in automatic:
                    # Without a value the automatic one stays, as in the current frontend (Docker 20.10's emptied it).
                    values[key] = default
        return values

    def _target(self, target: "str | None") -> Stage:
        if target is None:
            return self.dockerfile.stages[-1]
        found = self.dockerfile.stage(target)
        if found is None:
            names = [s.name for s in self.dockerfile.stages if s.name]
            raise BuildError(f"target 단계 {target!r}가 없습니다. 있는 단계 이름: {', '.join(names) or '(없음)'}")
        return found

    def _base_ref(self, stage: Stage) -> str:
        env = {k: v for k, v in self.global_args.items() if v is not None}
        base = expand(stage.base, env)
        if not base:
            raise BuildError(
                f"FROM {stage.base}: 베이스 이미지 이름이 비었습니다(ARG 값을 확인하세요).", stage.line, "FROM"
            )
        return base

    def _stage_ref(self, ref: str, before: int) -> "Stage | None":
        found = self.dockerfile.stage(ref)
        if found is not None and found.index >= before:
            return None if not ref.isdigit() and found.index == before else found
        return found

    def _reachable(self) -> "list[Stage]":
        needed: "set[int]" = set()

        def visit(stage: Stage) -> None:
            if stage.index in needed:
                return
            needed.add(stage.index)
            base = self._stage_ref(self._base_ref(stage), stage.index)
            if base is not None and base.index < stage.index:
                visit(base)
            for instruction in stage.instructions:
                source = instruction.flag("from") if instruction.keyword == "COPY" else None
                if source:
                    found = self.dockerfile.stage(source)
                    if found is not None and found.index != stage.index:
                        if found.index > stage.index:
                            raise instruction.error(
                                f"--from={source}: 그 단계는 이 단계보다 뒤에 있습니다. "
                                "앞에서 정의한 단계만 쓸 수 있습니다."
                            )
                        visit(found)

        visit(self.target)
        return [stage for stage in self.dockerfile.stages if stage.index in needed]

    # -- running --------------------------------------------------------------------------

    def run(self) -> BuildResult:
        stages = self._reachable()
        for stage in stages:
            state = self._from(stage)
            for instruction in stage.instructions:
                try:
                    self._dispatch(state, instruction)
                except BuildError as error:
                    if error.line is None:
                        raise BuildError(error.detail, instruction.line, instruction.keyword) from None
                    raise
                except ImageLibError as error:
                    raise BuildError(str(error), instruction.line, instruction.keyword) from None
            self.done[stage.index] = state
        unused = sorted(set(self.build_args) - self.used_args)
        if unused:
            self.warnings.append(
                f"쓰이지 않은 build_args가 있습니다: {', '.join(unused)} (Dockerfile에 같은 이름의 ARG가 없습니다)"
            )
        final = self.done[self.target.index]
        names = {self.done[i].stage.label: self.done[i].image for i in sorted(self.done)}
        return BuildResult(
            self._with_target_platform(final.image),
            tuple(self.steps),
            names,
            self.target.label,
            tuple(self.warnings),
            tuple(self.context.ignored),
        )

    def _with_target_platform(self, image: Image) -> Image:
        """With --platform, the image's config states the target platform, as BuildKit writes it.

        The variant of the base stays when the target names none on the same os/architecture, and
        the result is normalized (arm64/v8 is written as arm64 with no variant).
        """
        if self.platform is None:
            return image
        target = self.platform
        variant = (
            image.config_json.get("variant", "")
            if image.platform.split("/")[:2] == [target.os, target.architecture]
            else ""
        )
        stated = Platform(
            target.os, target.architecture, target.variant or (variant if isinstance(variant, str) else "")
        )
        stated = stated.normalized()
        if image.platform == str(stated):
            return image
        return image.with_platform(stated.architecture, stated.os, stated.variant or None)

    def _record(
        self,
        state: _StageState,
        instruction: Instruction,
        created_by: str,
        layer: "Layer | None",
        cache: "str | None",
        output: str = "",
        counted: bool = True,
    ) -> None:
        progress = ""
        if counted and (instruction.keyword in LAYER_KEYWORDS or instruction.keyword == "FROM"):
            state.counter += 1
            width = len(str(state.total))
            label = f"{state.stage.label} " if len(self.dockerfile.stages) > 1 else ""
            progress = f"{label}{state.counter:>{width}}/{state.total}"
        self.steps.append(
            BuildStep(
                len(self.steps) + 1,
                state.stage.label,
                instruction.keyword,
                instruction.text,
                instruction.line,
                created_by,
                layer,
                cache,
                output,
                state.image,
                progress,
            )
        )

    # -- FROM -----------------------------------------------------------------------------

    def _from(self, stage: Stage) -> _StageState:
        ref = self._base_ref(stage)
        from_stage = self._stage_ref(ref, stage.index)
        total = sum(1 for i in stage.instructions if i.keyword in LAYER_KEYWORDS)
        if from_stage is not None and from_stage.index in self.done:
            parent = self.done[from_stage.index]
            state = _StageState(stage, parent.image, parent.key, total, dict(parent.args))
            created_by, counted = f"FROM {from_stage.label}", False
        else:
            image, shown = self._base_image(ref, stage, self._stage_platform(stage))
            counted = shown != "scratch"
            state = _StageState(stage, image, cache_key("FROM", str(image.digest)), total + counted)
            created_by = f"FROM {shown}"
        if "PATH" not in state.image.config.env_dict:
            state.image = state.image.with_config(env={"PATH": DEFAULT_PATH})
        self._record(state, stage.instruction, created_by, None, None, counted=counted)
        return state

    def _stage_platform(self, stage: Stage) -> "Platform | None":
        """The platform a stage's base is resolved for: FROM --platform, else the build's --platform."""
        flag = stage.instruction.flag("platform")
        if flag is None:
            return self.platform
        env = {k: v for k, v in self.global_args.items() if v is not None}
        text = expand(flag, env)
        if not text:
            raise BuildError(
                f"FROM --platform={flag}: 플랫폼 값이 비었습니다(ARG 값을 확인하세요).", stage.line, "FROM"
            )
        try:
            return Platform.parse(text).normalized()
        except ImageLibError as error:
            raise BuildError(str(error), stage.line, "FROM") from None

    def _base_image(self, ref: str, stage: Stage, platform: "Platform | None" = None) -> "tuple[Image, str]":
        if ref.lower() == "scratch":
            # BuildKit starts from an empty config with WorkingDir "/" (PATH is added in _from)
            empty = (
                Image.scratch()
                if platform is None
                else Image.scratch(platform.architecture, platform.os, platform.variant)
            )
            return empty.with_config(workdir="/"), "scratch"
        try:
            reference = parse_reference(ref)
        except ImageLibError as error:
            raise BuildError(f"베이스 이미지 이름 {ref!r}이(가) 잘못되었습니다: {error}", stage.line, "FROM") from None
        image = self._lookup_image(reference, platform, stage)
        if image is None:
            stored = ", ".join(self.store.tags()) if self.store is not None else ""
            raise BuildError(
                f"베이스 이미지 {reference.familiar!r}를 찾을 수 없습니다(unknown base image). 모형 빌더는 "
                f"인터넷에서 내려받지 않고 보관소(store)와 카탈로그에서만 찾습니다. 카탈로그: "
                f"{', '.join(catalog.names())}" + (f"; 보관소: {stored}" if stored else ""),
                stage.line,
                "FROM",
            )
        return (
            image,
            f"docker.io/{reference.repository}:{reference.tag}"
            if reference.registry == "docker.io" and reference.digest is None
            else str(reference),
        )

    def _lookup_image(self, reference, platform: "Platform | None", stage: Stage) -> "Image | None":
        stored: "ImageLibError | None" = None  # the store has the name, but not for this platform
        if self.store is not None:
            try:
                return self.store.get(reference, platform)
            except ImageLibError as error:
                stored = error if platform is not None and reference in self.store else None
        try:
            if reference.digest is not None:
                found = _catalog_by_digest(reference, platform)
            else:
                found = catalog.get(reference.familiar, platform) if catalog.has(reference.familiar) else None
        except ImageLibError as error:  # the catalog has the name, but not for this platform
            raise BuildError(str(error), stage.line, "FROM") from None
        if found is None and stored is not None:
            raise BuildError(str(stored), stage.line, "FROM")
        return found

    # -- dispatch -------------------------------------------------------------------------

    def _dispatch(self, state: _StageState, instruction: Instruction) -> None:
        handler = getattr(self, "_do_" + instruction.keyword.lower())
        handler(state, instruction)

    def _config_step(
        self, state: _StageState, instruction: Instruction, created_by: str, **changes: "Unpack[ConfigChanges]"
    ) -> None:
        image = state.image.with_config(**changes) if changes else state.image
        state.image = image.with_history(created_by, COMMENT)
        self._record(state, instruction, created_by, None, None)

    def _do_arg(self, state: _StageState, instruction: Instruction) -> None:
        shown = []
        for key, default in key_values(instruction, state.env):
            value: "str | None"
            if key in self.build_args:
                value = self.build_args[key]
                self.used_args.add(key)
            elif default is not None:
                value = default
            else:
                value = self.global_args.get(key)
            state.args[key] = value
            self._warn_secret_name(instruction, key)
            shown.append(key if value is None else f"{key}={value}")
        self._config_step(state, instruction, "ARG " + " ".join(shown))

    def _do_env(self, state: _StageState, instruction: Instruction) -> None:
        pairs = key_values(instruction, state.env)
        for key, _ in pairs:
            self._warn_secret_name(instruction, key)
        self._config_step(state, instruction, "ENV " + " ".join(f"{k}={v}" for k, v in pairs), env=dict(pairs))

    def _warn_secret_name(self, instruction: Instruction, name: str) -> None:
        if looks_like_secret(name):
            self.warnings.append(secret_name_warning(instruction.line, instruction.keyword, name))

    def _do_label(self, state: _StageState, instruction: Instruction) -> None:
        pairs = key_values(instruction, state.env)
        self._config_step(state, instruction, "LABEL " + " ".join(f"{k}={v}" for k, v in pairs), labels=dict(pairs))

    def _do_expose(self, state: _StageState, instruction: Instruction) -> None:
        ports = []
        for word in expand_words(instruction.value, state.env):
            spec = port_specs(word)
            if spec is None:
                raise instruction.error(f"EXPOSE의 포트 {word!r}이(가) 잘못되었습니다. 예: EXPOSE 80, EXPOSE 53/udp")
            ports += spec
        # Current BuildKit prints the port list ("EXPOSE [80/tcp]"); older releases printed a Go
        # map ("EXPOSE map[80/tcp:{}]"), which is what the catalog's nginx history shows.
        self._config_step(state, instruction, f"EXPOSE [{' '.join(ports)}]", exposed_ports=ports)

    def _do_user(self, state: _StageState, instruction: Instruction) -> None:
        user = expand(instruction.value, state.env)
        self._config_step(state, instruction, f"USER {user}", user=user)

    def _do_stopsignal(self, state: _StageState, instruction: Instruction) -> None:
        signal = expand(instruction.value, state.env)
        self._config_step(state, instruction, f"STOPSIGNAL {signal}", stop_signal=signal)

    def _do_volume(self, state: _StageState, instruction: Instruction) -> None:
        volumes = exec_form(instruction.value) or expand_words(instruction.value, state.env)
        self._config_step(state, instruction, f"VOLUME [{' '.join(volumes)}]", volumes=volumes)

    def _command_line(self, state: _StageState, instruction: Instruction) -> "list[str]":
        words = exec_form(instruction.value)
        if words is not None:
            return words
        if instruction.value.startswith("["):
            self.warnings.append(
                f"{instruction.line}번째 줄: {instruction.keyword}의 값이 JSON 배열처럼 "
                "보이지만 올바른 JSON이 아니어서 셸 형식으로 처리했습니다(큰따옴표와 쉼표를 "
                "확인하세요)."
            )
        return ["/bin/sh", "-c", instruction.value]

    def _do_cmd(self, state: _StageState, instruction: Instruction) -> None:
        cmd = self._command_line(state, instruction)
        state.cmd_set = True
        self._config_step(state, instruction, f"CMD {go_quote(cmd)}", cmd=cmd)

    def _do_entrypoint(self, state: _StageState, instruction: Instruction) -> None:
        entrypoint = self._command_line(state, instruction)
        changes: ConfigChanges = {"entrypoint": entrypoint}
        if not state.cmd_set:
            changes["cmd"] = None
        self._config_step(state, instruction, f"ENTRYPOINT {go_quote(entrypoint)}", **changes)

    # -- steps that make layers -----------------------------------------------------------

    def _layer_step(self, state: _StageState, instruction: Instruction, created_by: str, key: str, make) -> None:
        record = self.cache.get(key)
        if record is not None:
            layer, output, status = record.layer, record.output, "hit"
        else:
            layer, output = make()
            self.cache.put(key, layer, output)
            status = "miss"
        state.image = state.image.add_layer(layer, created_by=created_by, comment=COMMENT)
        state.key = key
        self._record(state, instruction, created_by, state.image.layers[-1], status, output)

    def _do_workdir(self, state: _StageState, instruction: Instruction) -> None:
        path = expand(instruction.value, state.env)
        path = posixpath.normpath(posixpath.join(state.workdir, path))
        path = "/" + path.lstrip("/")
        state.image = state.image.with_config(workdir=path)
        created_by = f"WORKDIR {path}"
        if path == "/":
            state.image = state.image.with_history(created_by, COMMENT)
            self._record(state, instruction, created_by, None, None)
            return
        key = cache_key(state.key, "WORKDIR", path, state.user)

        def make() -> "tuple[Layer, str]":
            box = Container(state.image)
            owner = self._owner(state.image, state.user, instruction) if state.user else (0, 0)
            _make_folders(box, path.strip("/"), owner)
            return box.layer(created_by), ""

        self._layer_step(state, instruction, created_by, key, make)

    def _do_run(self, state: _StageState, instruction: Instruction) -> None:
        words = exec_form(instruction.value)
        argv = words if words is not None else ["/bin/sh", "-c", instruction.value]
        env = dict(state.env)
        # Like BuildKit, the history names the command without its --mount flags, and the cache key
        # holds each secret's id and place but never its content.
        created_by = "RUN " + self._run_string(state, argv, env) + " # buildkit"
        mounts = [parse_mount(value, instruction.line) for name, value in instruction.flags if name == "mount"]
        key = cache_key(state.key, "RUN", created_by, sorted(env.items()), state.workdir, state.user)
        if mounts:
            key = cache_key(key, "secrets", [mount.cache_part for mount in mounts])

        def make() -> "tuple[Layer, str]":
            return self._execute(state, instruction, argv, words is None, env, created_by, mounts)

        self._layer_step(state, instruction, created_by, key, make)

    def _run_string(self, state: _StageState, argv: "list[str]", env: "dict[str, str]") -> str:
        pairs = [f"{k}={env.get(k, v or '')}" for k, v in state.args.items()]
        prefix = [f"|{len(pairs)}"] + pairs if pairs else []
        return " ".join(prefix + argv)

    def _execute(
        self,
        state: _StageState,
        instruction: Instruction,
        argv: "list[str]",
        shell: bool,
        env: "dict[str, str]",
        created_by: str,
        mounts: "list[SecretMount] | None" = None,
    ) -> "tuple[Layer, str]":
        box = Container(state.image)
        mounted = self._mount_secrets(box, mounts or [], state.workdir, instruction)
        if shell and not _has_file(box, "/bin/sh"):
            raise instruction.error(
                "이 이미지에는 /bin/sh가 없어서 셸 형식의 RUN을 실행할 수 없습니다(scratch처럼 빈 이미지 "
                "등). "
                "셸이 있는 베이스 이미지(예: alpine)를 쓰세요."
            )
        env.setdefault("HOME", self._home(state.image, state.user))
        owner = self._owner(state.image, state.user, instruction, process=True) if state.user else (0, 0)
        session = ShellSession(box, env, state.workdir, state.user, owner)
        try:
            status = session.run(argv[2]) if shell else session.run_argv(argv)
        except ShellError as error:
            raise instruction.error(str(error)) from None
        _unmount_secrets(box, mounted)
        output = session.log.decode("utf-8", "replace")
        if status != 0:
            command = " ".join(argv)
            tail = "\n".join(output.rstrip("\n").splitlines()[-12:])
            hint = _hints(session)
            raise instruction.error(
                f'RUN 명령이 실패했습니다(종료 코드 {status}). 도커라면: process "{command}" did not '
                f"complete successfully: exit code: {status}"
                + (f"\n출력:\n{tail}" if tail else "")
                + (f"\n도움말: {hint}" if hint else "")
            )
        return box.layer(created_by), output

    def _mount_secrets(
        self, box: Container, mounts: "list[SecretMount]", workdir: str, instruction: Instruction
    ) -> "list[tuple[str, Entry | None]]":
        """Put each secret file in place for this RUN (a relative target is under the workdir, as in
        BuildKit); returns what each target held before."""
        mounted: "list[tuple[str, Entry | None]]" = []
        for mount in mounts:
            content = self.secrets.get(mount.id)
            if content is None:
                if mount.required:
                    raise instruction.error(
                        f"꼭 있어야 하는(required) 비밀 {mount.id!r}을(를) 받지 못했습니다. "
                        f"il.build(..., secrets={{{mount.id!r}: b'...'}})로 주세요. 도커라면: "
                        f"secret {mount.id} not found: not found"
                    )
                continue
            target = posixpath.normpath(posixpath.join(workdir, mount.target))
            before = box.entry(target).entry if box.exists(target) else None
            # BuildKit 20.10 leaves the mount point's missing parent folders in the layer.
            _make_folders(box, posixpath.dirname(target).strip("/"), (0, 0))
            box.add(File(content, mode=mount.mode, uid=mount.uid, gid=mount.gid, path=target))
            mounted.append((target, before))
        return mounted

    def _home(self, image: Image, user: str) -> str:
        name = (user or "root").split(":")[0]
        for line in _read_text(image, "etc/passwd").splitlines():
            fields = line.split(":")
            if len(fields) > 5 and (fields[0] == name or fields[2] == name):
                return fields[5]
        return "/root"

    def _owner(self, image: Image, spec: str, instruction: Instruction, *, process: bool = False) -> "tuple[int, int]":
        """(uid, gid) of ``user[:group]``. With no group, the user's group in /etc/passwd; failing
        that, the uid again (``COPY --chown``) or 0 for a process (``USER`` then ``RUN``), as runc does."""
        user, _, group = spec.partition(":")
        uid = _resolve(image, user, "etc/passwd", instruction)
        if group:
            gid = _resolve(image, group, "etc/group", instruction)
        else:
            gid = 0 if process else uid
            for line in _read_text(image, "etc/passwd").splitlines():
                fields = line.split(":")
                if len(fields) > 3 and fields[2] == str(uid):
                    gid = int(fields[3])
        return uid, gid

    def _do_copy(self, state: _StageState, instruction: Instruction) -> None:
        self._copy(state, instruction, add=False)

    def _do_add(self, state: _StageState, instruction: Instruction) -> None:
        self._copy(state, instruction, add=True)

    def _copy(self, state: _StageState, instruction: Instruction, add: bool) -> None:
        words = exec_form(instruction.value)
        words = (
            [process_word(w, state.env) for w in words]
            if words is not None
            else expand_words(instruction.value, state.env)
        )
        *patterns, dest = words
        source = self._copy_source(state, instruction)
        chown = instruction.flag("chown")
        chown = expand(chown, state.env) if chown else None
        chmod = instruction.flag("chmod")
        owner = self._owner(state.image, chown, instruction) if chown else (0, 0)
        mode = None
        if chmod:
            if not re.fullmatch(r"[0-7]{3,4}", chmod):
                raise instruction.error(f"--chmod={chmod}: 8진수 권한(예: 755)만 지원합니다.")
            mode = int(chmod, 8)
        items: "list[tuple[str, Entry]]" = []
        wildcard = False
        for pattern in patterns:
            if add and re.match(r"^(https?|git)://", pattern):
                raise instruction.error(
                    f"ADD {pattern}: 모형 빌더는 인터넷에서 내려받지 않습니다. 파일을 빌드 컨텍스트에 넣고 COPY하세요."
                )
            wildcard = wildcard or has_wildcard(pattern)
            items += self._sources(source, pattern, instruction)
        dest_path = dest if dest.startswith("/") else posixpath.join(state.workdir, dest)
        dest_dir = dest.endswith("/") or dest in (".", "..") or _is_dir(state.image, dest_path)
        if len(items) > 1 or (len(patterns) > 1):
            if not dest_dir:
                raise instruction.error(
                    f"원본이 여러 개일 때 대상 {dest!r}은(는) 폴더여야 하고 '/'로 끝나야 "
                    "합니다(예: COPY a.txt b.txt /app/)."
                )
        if not items and wildcard:
            self.warnings.append(
                f"{instruction.line}번째 줄: {' '.join(patterns)}에 맞는 파일이 없어 "
                "아무것도 복사하지 않았습니다(BuildKit도 오류를 내지 않습니다)."
            )
        entries = self._plan_copy(items, source, dest_path, dest_dir, owner, mode, add, instruction)
        flags = "".join(f" --{name}={value}" for name, value in (("chown", chown), ("chmod", chmod)) if value)
        created_by = f"{instruction.keyword}{flags} {' '.join(patterns)} {dest} # buildkit"
        checksum = _checksum(entries)
        key = cache_key(state.key, instruction.keyword, created_by, posixpath.normpath(dest_path), checksum)

        def make() -> "tuple[Layer, str]":
            box = Container(state.image)
            for entry in entries:
                if entry.kind == "dir" and _is_dir_in(box, entry.path):
                    node = box.entry(entry.path, follow_symlinks=True)
                    if (node.mode, node.entry.uid, node.entry.gid) == (entry.mode, entry.uid, entry.gid):
                        continue
                if owner != (0, 0):  # BuildKit gives the folders COPY --chown makes to that owner
                    _make_folders(box, posixpath.dirname(entry.path), owner)
                box.add(entry)
            return box.layer(created_by), ""

        self._layer_step(state, instruction, created_by, key, make)

    def _copy_source(self, state: _StageState, instruction: Instruction):
        ref = instruction.flag("from")
        if not ref:
            return self.context
        stage = self.dockerfile.stage(ref)
        if stage is not None:
            if stage.index == state.stage.index or stage.index not in self.done:
                raise instruction.error(
                    f"--from={ref}: 그 단계는 아직 만들어지지 않았습니다. 앞에서 정의한 다른 단계의 이름을 쓰세요."
                )
            done = self.done[stage.index]
            return TreeSource(done.image.rootfs(), f"단계 {stage.label!r}")
        try:
            image = self._lookup_image(parse_reference(ref), self.platform, state.stage)
        except ImageLibError:
            image = None
        if image is None:
            raise instruction.error(f"--from={ref}: 그런 단계도, 보관소·카탈로그의 이미지도 없습니다.")
        return TreeSource(image.rootfs(), f"이미지 {ref!r}")

    def _sources(self, source, pattern: str, instruction: Instruction) -> "list[tuple[str, Entry]]":
        if _escapes(pattern):
            raise instruction.error(f"{pattern!r}: 빌드 컨텍스트 밖의 파일은 복사할 수 없습니다.")
        clean = posixpath.normpath("/" + pattern).lstrip("/")
        paths = _glob(source, clean) if has_wildcard(clean) else [clean]
        return [(path, self._source_entry(source, path, instruction)) for path in paths]

    def _source_entry(self, source, path: str, instruction: Instruction) -> Entry:
        """The entry to copy from ``path``, symlinks followed; a missing or dangling one is an error."""
        entry = _follow(source, path)
        if entry is None:
            where = source.label
            hint = ""
            if source is self.context and any(p == path or p.startswith(path + "/") for p in self.context.ignored):
                hint = " .dockerignore가 이 파일을 빌드 컨텍스트에서 제외했습니다."
            raise instruction.error(f'복사할 원본 "/{path}"이(가) {where}에 없습니다(not found).{hint}')
        return entry

    def _plan_copy(
        self,
        items,
        source,
        dest_path: str,
        dest_dir: bool,
        owner: "tuple[int, int]",
        mode: "int | None",
        add: bool,
        instruction: Instruction,
    ) -> "list[Entry]":
        uid, gid = owner
        planned: "dict[str, Entry]" = {}

        def put(entry: Entry, path: str) -> None:
            path = posixpath.normpath(path).lstrip("/")
            if not path:
                return
            new_mode = mode if mode is not None and entry.kind != "symlink" else entry.mode
            planned[path] = replace(entry, uid=uid, gid=gid, mode=new_mode).at(path)

        for src, entry in items:
            if entry.kind == "dir":
                for rel, child in _walk_source(source, src):
                    put(_copyable(child), posixpath.join(dest_path, rel))
                continue
            target = posixpath.join(dest_path, posixpath.basename(src)) if dest_dir else dest_path
            if add and entry.kind == "file":
                archive = _archive(entry)
                if archive is not None:
                    base = dest_path
                    for child in archive.entries:
                        if child.kind in ("file", "dir", "symlink"):
                            put(_copyable(child), posixpath.join(base, child.path))
                    continue
            put(_copyable(entry), target)
        return [planned[p] for p in sorted(planned, key=lambda p: (p.count("/"), p))]


def _escapes(pattern: str) -> bool:
    depth = 0
    for part in pattern.split("/"):
        if part == "..":
            depth -= 1
            if depth < 0:
                return True
        elif part not in ("", "."):
            depth += 1
    return False


def _copyable(entry: Entry) -> Entry:
    if isinstance(entry, File) and not isinstance(entry.data, bytes):
        return File(entry.read(), mode=entry.mode, uid=entry.uid, gid=entry.gid, path=entry.path)
    return entry


def _archive(entry: File) -> "Layer | None":
    data = entry.read()
    if not (data[:2] == b"\x1f\x8b" or data[257:262] == b"ustar"):
        return None
    try:
        return Layer.from_tar(data)
    except ImageLibError:
        return None


def _checksum(entries: "list[Entry]") -> str:
    digest = hashlib.sha256()
    for entry in entries:
        payload = entry.read() if isinstance(entry, File) else getattr(entry, "target", "")
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        digest.update(
            json.dumps(
                [entry.path, entry.kind, entry.mode, entry.uid, entry.gid, hashlib.sha256(payload).hexdigest()]
            ).encode("utf-8")
        )
    return digest.hexdigest()


def _follow(source, path: str) -> "Entry | None":
    for _ in range(MAX_LINKS):
        entry = source.entry(path)
        if entry is None or entry.kind != "symlink":
            return entry
        target = entry.target
        path = posixpath.normpath(
            target if target.startswith("/") else posixpath.join(posixpath.dirname("/" + path), target)
        ).lstrip("/")
    return None


def _glob(source, pattern: str) -> "list[str]":
    matches = [""]
    for component in pattern.split("/"):
        regex = compile_match(component) if has_wildcard(component) else None
        found = []
        for base in matches:
            if regex is None:
                candidate = f"{base}/{component}" if base else component
                if source.entry(candidate) is not None:
                    found.append(candidate)
                continue
            for name in source.listdir(base):
                if regex.match(name):
                    found.append(f"{base}/{name}" if base else name)
        matches = found
    return sorted(matches)


def _walk_source(source, top: str) -> "list[tuple[str, Entry]]":
    """Every entry below ``top`` as (path relative to top, entry), parents before children."""
    found: "list[tuple[str, Entry]]" = []

    def visit(path: str, prefix: str) -> None:
        for name in source.listdir(path):
            child = f"{path}/{name}" if path else name
            entry = source.entry(child)
            if entry is None:
                continue
            rel = f"{prefix}/{name}" if prefix else name
            found.append((rel, entry))
            if entry.kind == "dir":
                visit(child, rel)

    visit(top, "")
    return found


def _unmount_secrets(box: Container, mounted: "list[tuple[str, Entry | None]]") -> None:
    """Take the secret files away again, giving back what a mount covered (the model writes that
    file back into this RUN's layer; BuildKit leaves it untouched in the layer below)."""
    for target, before in reversed(mounted):
        if box.exists(target):
            box.delete(target)
        if before is not None:
            box.add(before.at(target))


def _has_file(box: Container, path: str) -> bool:
    try:
        return box.entry(path.lstrip("/"), follow_symlinks=True).kind in ("file", "hardlink")
    except ImageLibError:
        return False


def _make_folders(box: Container, folder: str, owner: "tuple[int, int]") -> None:
    """Make ``folder`` and its missing parents, 0755 and owned by ``owner`` (folders already there stay)."""
    parts = folder.split("/") if folder else []
    for depth in range(1, len(parts) + 1):
        current = "/".join(parts[:depth])
        if not box.exists(current):
            box.add(Dir(path=current, uid=owner[0], gid=owner[1]))


def _is_dir_in(box: Container, path: str) -> bool:
    try:
        return box.entry(path, follow_symlinks=True).kind == "dir"
    except ImageLibError:
        return False


def _is_dir(image: Image, path: str) -> bool:
    path = path.strip("/")
    if not path:
        return True
    try:
        return image.rootfs().entry(path).kind == "dir"
    except ImageLibError:
        return False


def _read_text(image: Image, path: str) -> str:
    try:
        return image.rootfs().read_text(path)
    except (ImageLibError, UnicodeDecodeError):
        return ""


def _resolve(image: Image, name: str, database: str, instruction: Instruction) -> int:
    if name.isdigit():
        return int(name)
    for line in _read_text(image, database).splitlines():
        fields = line.split(":")
        if len(fields) > 2 and fields[0] == name:
            return int(fields[2])
    what = "사용자" if database.endswith("passwd") else "그룹"
    raise instruction.error(
        f"{what} {name!r}를 이미지의 /{database}에서 찾을 수 없습니다(unable to find "
        f"{'user' if what == '사용자' else 'group'} {name}). 숫자 ID를 쓰거나 먼저 "
        f"만드세요."
    )


def _hints(session: ShellSession) -> str:
    hints = []
    for missing in session.missing:
        if missing.reason == "loader":
            hints.append(
                f"{missing.name} 실행 파일은 있지만 그것이 찾는 동적 로더 {missing.detail}가 "
                f"이미지에 "
                "없습니다. glibc용으로 만든 프로그램을 musl(Alpine) 이미지에서 실행하려 한 것입니다"
                "(셸은 이것을 'not found'라고만 알려 줍니다)."
            )
        elif missing.reason == "interpreter":
            hints.append(f"{missing.name}을(를) 실행하려면 {missing.detail}이(가) 필요한데 이미지에 없습니다.")
        elif missing.name == "apt-get" or missing.name == "apt":
            hints.append("이 이미지에는 apt-get이 없습니다. Alpine 계열이면 'apk add --no-cache 패키지'를 쓰세요.")
        elif missing.name == "apk":
            hints.append(
                "이 이미지에는 apk가 없습니다. Debian/Ubuntu 계열이면 'apt-get update && apt-get "
                "install "
                "-y 패키지'를 쓰세요."
            )
        else:
            hints.append(
                f"이 이미지의 PATH에는 {missing.name}이(가) 없습니다. 그 프로그램을 설치하거나 "
                "그것이 있는 베이스 이미지를 쓰세요."
            )
    return " ".join(dict.fromkeys(hints))


def _catalog_by_digest(reference, platform: "Platform | None") -> "Image | None":
    """A catalog image named by digest: an index digest picks the platform, a manifest digest is that image."""
    for name in catalog.names():
        if parse_reference(catalog.info(name).name).repository != reference.repository:
            continue
        index = catalog.index(name)
        if index.digest == reference.digest:
            return index.image(platform)
        for image in index.images:
            if image.digest == reference.digest:
                return image
    return None


def _read_dockerfile(dockerfile: "str | os.PathLike") -> str:
    if isinstance(dockerfile, os.PathLike):
        try:
            with open(dockerfile, encoding="utf-8") as handle:
                dockerfile = handle.read()
        except OSError as error:
            raise BuildError(f"Dockerfile {os.fspath(dockerfile)!r}을(를) 읽을 수 없습니다({error}).") from None
    if not isinstance(dockerfile, str) or not dockerfile.strip():
        raise BuildError("Dockerfile이 비어 있습니다. 'FROM 베이스이미지'부터 적으세요.")
    return dockerfile


def _target_platform(platform: "str | Platform | None") -> "Platform | None":
    if platform is None:
        return None
    try:
        return Platform.parse(platform).normalized()
    except ImageLibError as error:
        raise BuildError(str(error)) from None


def build(
    dockerfile: "str | os.PathLike",
    context: "BuildContext | Mapping | str | os.PathLike | None" = None,
    *,
    store: "Store | None" = None,
    build_args: "Mapping[str, str] | None" = None,
    target: "str | None" = None,
    cache: "BuildCache | None" = None,
    tag: "str | None" = None,
    secrets: "Mapping[str, bytes | str | os.PathLike] | None" = None,
    platform: "str | Platform | None" = None,
) -> BuildResult:
    """Dockerfile로 이미지를 만듭니다(``docker build`` 의 모형). 결과는 :class:`BuildResult`.

    - ``dockerfile``: Dockerfile 글(str) 또는 파일 경로(pathlib.Path).
    - ``context``: 빌드 컨텍스트. ``{"경로": "내용"}`` 사전이나 폴더 경로. ``.dockerignore`` 를 따릅니다.
    - ``store``: 베이스 이미지를 먼저 찾을 보관소. 주면 만든 이미지도 여기에 넣습니다(``tag`` 이름으로).
    - ``build_args``: ``--build-arg`` 와 같은 ARG 값들.
    - ``target``: 여러 단계 중 여기까지만 빌드(``--target``).
    - ``cache``: :class:`BuildCache`. 같은 객체를 다시 주면 바뀌지 않은 단계는 캐시에서 가져옵니다.
      주지 않으면 캐시 없이 빌드합니다(``--no-cache``).
    - ``secrets``: ``--secret id=이름,src=파일`` 과 같은 빌드 비밀. ``{"npmrc": b"내용"}`` 또는
      ``{"npmrc": "파일 경로"}``. ``RUN --mount=type=secret,id=npmrc`` 인 RUN에서만
      ``/run/secrets/npmrc`` (또는 ``target=`` 경로)에 보이고, 레이어·history·캐시 키에는 남지 않습니다.
    - ``platform``: ``--platform`` 과 같은 대상 플랫폼(예: ``"linux/arm64"``). 베이스 이미지를 그 플랫폼의
      것으로 고르고, 만든 이미지의 설정에 그 플랫폼을 적습니다. 주지 않으면 베이스 이미지의 플랫폼
      (카탈로그는 linux/amd64)입니다. ``FROM --platform=...`` 은 그 단계의 베이스만 바꿉니다.
      BuildKit처럼 ``TARGETPLATFORM``, ``TARGETOS``, ``TARGETARCH``, ``TARGETVARIANT``, ``BUILDPLATFORM``,
      ``BUILDOS``, ``BUILDARCH``, ``BUILDVARIANT`` ARG가 전역 범위에 자동으로 있습니다.

    베이스 이미지는 보관소 → 카탈로그(``il.catalog``) 순서로 찾고, 인터넷에서 내려받지 않습니다.
    RUN은 모형 셸에서 실행됩니다(``il.userland.supported_commands()``).
    """
    dockerfile = _read_dockerfile(dockerfile)
    if cache is not None and not isinstance(cache, BuildCache):
        raise BuildError(f"cache에는 il.BuildCache()를 주세요({type(cache).__name__}를 받았습니다).")
    if store is not None and not isinstance(store, Store):
        raise BuildError(f"store에는 il.Store를 주세요({type(store).__name__}를 받았습니다).")
    parsed = parse_dockerfile(dockerfile)
    builder = _Builder(
        parsed,
        BuildContext.load(context),
        store,
        build_args or {},
        target,
        cache if cache is not None else BuildCache(),
        load_secrets(secrets),
        _target_platform(platform),
    )
    result = builder.run()
    if store is not None:
        store.put(result.image, tag)
    elif tag is not None:
        raise BuildError("tag를 붙이려면 store도 주세요: il.build(..., store=store, tag='myapp:1.0')")
    return result


def build_index(
    dockerfile: "str | os.PathLike",
    context: "BuildContext | Mapping | str | os.PathLike | None" = None,
    *,
    platforms: "Sequence[str | Platform]",
    store: "Store | None" = None,
    build_args: "Mapping[str, str] | None" = None,
    target: "str | None" = None,
    cache: "BuildCache | None" = None,
    tag: "str | None" = None,
    secrets: "Mapping[str, bytes | str | os.PathLike] | None" = None,
) -> ImageIndex:
    """플랫폼마다 한 번씩 빌드해 이미지 인덱스 하나로 묶습니다(``docker buildx build --platform a,b`` 의 모형).

    ``platforms`` 의 순서대로 ``il.build(..., platform=p)`` 를 하고, 만든 이미지들로
    ``il.ImageIndex.of`` 를 만듭니다. ``store`` 와 ``tag`` 를 주면 인덱스를 그 이름으로 넣습니다
    (``docker push`` 하면 태그가 인덱스를 가리키는 것처럼). 나머지 인자는 ``il.build`` 와 같습니다.
    """
    if isinstance(platforms, str) or not platforms:
        raise BuildError("platforms에는 플랫폼 목록을 주세요. 예: platforms=['linux/amd64', 'linux/arm64']")
    if store is None and tag is not None:
        raise BuildError("tag를 붙이려면 store도 주세요: il.build_index(..., store=store, tag='myapp:1.0')")
    shared = cache if cache is not None else BuildCache()
    images = [
        build(
            dockerfile,
            context,
            store=store,
            build_args=build_args,
            target=target,
            cache=shared,
            secrets=secrets,
            platform=platform,
        ).image
        for platform in platforms
    ]
    index = ImageIndex.of(images)
    if store is not None:
        store.put(index, tag)
    return index
