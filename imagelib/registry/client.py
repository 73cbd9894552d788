"""Registry: a client of the OCI Distribution API (``docker push`` / ``docker pull`` without Docker)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import BinaryIO, cast
from urllib.parse import quote, urlsplit

from ..blob import Blob
from ..digest import CHUNK_SIZE, Digest, verify
from ..errors import (
    DigestMismatchError,
    ImageFormatError,
    ImageLibError,
    InvalidReferenceError,
    LimitExceededError,
    RegistryError,
    RegistryNotFoundError,
    UnsupportedError,
)
from ..image import Image
from ..imageindex import ImageIndex
from ..layer import Layer
from ..limits import DEFAULT_LIMITS, image_entry_budget
from ..oci import (
    DEFAULT_PLATFORM,
    DOCKER_MANIFEST,
    DOCKER_MANIFEST_LIST,
    OCI_INDEX,
    OCI_MANIFEST,
    Descriptor,
    Index,
    Manifest,
    Platform,
    best_match,
    load_json,
    parse_document,
)
from ..reference import DEFAULT_REGISTRY, DEFAULT_TAG, Reference, parse_reference
from . import bounds
from .auth import Authenticator
from .progress import CountingReader, ProgressBar, progress_bar
from .report import PushReport
from .transport import Body, Response, Transport

# What a pull accepts, in the Accept header.
ACCEPTED_TYPES = (OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST)
# Blobs bigger than this are sent in several PATCH requests of this size.
DEFAULT_CHUNK_SIZE = 16 << 20
_DOCKER_HUB_HOSTS = ("registry-1.docker.io", "index.docker.io", "docker.io")
_NEXT_LINK_RE = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class Registry:
    """진짜 레지스트리(registry)와 이야기하는 클라이언트: push, pull, 태그 목록, 삭제.

    ``Registry("http://127.0.0.1:5000")`` 처럼 주소를 주고, 로그인이 필요하면
    ``username`` 과 ``password`` 를 줍니다. 받은 매니페스트와 블롭은 모두 다이제스트로
    검사하므로, 레지스트리가 다른 바이트를 돌려주면 DigestMismatchError가 납니다.

    - ``retries``, ``backoff``: 연결 오류나 5xx 응답이면 ``backoff`` 초부터 두 배씩 기다리며
      최대 ``retries`` 번 다시 합니다(4xx 응답은 다시 하지 않습니다).
    - ``timeout``: 연결과 읽기 한 번을 기다리는 최대 시간(초).
    - ``deadline``: 응답 하나를 기다리는 최대 시간(초, 기본 120). 한 바이트씩 흘려 보내는 서버도
      이 시간 안에 답을 끝내야 합니다. 큰 블롭은 1 MiB를 받을 때마다 이 시간이 다시 주어집니다.
    - ``chunk_size``: 이보다 큰 블롭은 여러 조각(PATCH)으로 나누어 올립니다.
    - ``progress``: True면 진행 막대를 보이고, False면 숨기고, None(기본)이면 터미널에서
      큰 블롭(32 MB 이상)을 옮길 때만 보입니다.
    """

    def __init__(
        self,
        url: str,
        username: "str | None" = None,
        password: "str | None" = None,
        *,
        retries: int = 3,
        backoff: float = 0.5,
        timeout: float = 60.0,
        deadline: float = bounds.DEFAULT_DEADLINE,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        progress: "bool | None" = None,
    ) -> None:
        parts = urlsplit(url if isinstance(url, str) else "")
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise RegistryError(
                f"레지스트리 주소 {url!r}가 잘못되었습니다. 'http://127.0.0.1:5000'이나 "
                "'https://registry.example.com'처럼 http:// 또는 https://로 시작하는 주소를 주세요."
            )
        if chunk_size < 1:
            raise RegistryError(f"chunk_size는 1 이상이어야 합니다({chunk_size}를 받았습니다).")
        if (
            isinstance(deadline, bool)
            or not isinstance(deadline, (int, float))
            or not math.isfinite(deadline)
            or deadline <= 0
        ):
            raise RegistryError(f"deadline은 0보다 큰 초(seconds) 수여야 합니다({deadline!r}를 받았습니다).")
        self.url = f"{parts.scheme}://{parts.netloc}"
        self.host = parts.netloc
        self.chunk_size = chunk_size
        self.progress = progress
        auth = Authenticator(username, password, self.url)
        self._http = Transport(self.url, auth, retries=retries, backoff=backoff, timeout=timeout, deadline=deadline)
        self._known: "dict[Digest, set[str]]" = {}

    # -- asking the registry --------------------------------------------------------------

    def ping(self) -> bool:
        """레지스트리가 응답하고 (필요하면) 로그인이 되는지 ``GET /v2/`` 로 확인합니다."""
        self._http.request("GET", "/v2/", what="API 확인(/v2/)")
        return True

    def blob_exists(self, repository: str, digest: "Digest | str") -> bool:
        """저장소에 그 블롭이 있는지(``HEAD /v2/<저장소>/blobs/<다이제스트>``)."""
        name = self._reference(repository).repository
        response = self._http.request(
            "HEAD", f"/v2/{name}/blobs/{Digest.parse(digest)}", scopes=_pull(name), ok=(200, 404), what=f"블롭 {digest}"
        )
        return response.status == 200

    def manifest(self, ref: "str | Reference") -> "Manifest | Index":
        """참조가 가리키는 매니페스트(또는 인덱스)를 받아 다이제스트를 검사한 뒤 돌려줍니다.

        ``il.oci.Manifest`` 나 ``il.oci.Index`` 입니다(``.is_index`` 로 구별).
        """
        reference = self._reference(ref)
        return self._get_manifest(
            reference.repository, reference.digest or reference.tag or DEFAULT_TAG, _short(reference)
        )

    def resolve(self, ref: "str | Reference") -> Digest:
        """태그가 지금 가리키는 매니페스트 다이제스트(``docker buildx imagetools inspect`` 의 Digest)."""
        return self.manifest(ref).digest

    def tags(self, repository: str, page_size: "int | None" = None) -> "list[str]":
        """저장소의 태그 목록, 정렬됨(``GET /v2/<저장소>/tags/list``; 여러 쪽이면 모두 모읍니다)."""
        name = self._reference(repository).repository
        tags = self._paged(f"/v2/{name}/tags/list", "tags", _pull(name), page_size, f"저장소 {name}의 태그 목록")
        return sorted(tags)

    def repositories(self, page_size: "int | None" = None) -> "list[str]":
        """레지스트리의 저장소 목록, 정렬됨(``GET /v2/_catalog``)."""
        names = self._paged("/v2/_catalog", "repositories", ("registry:catalog:*",), page_size, "저장소 목록(_catalog)")
        return sorted(names)

    # -- pull -----------------------------------------------------------------------------

    def pull(self, ref: "str | Reference", platform: "str | None" = None) -> Image:
        """이미지를 내려받습니다(``docker pull``). 매니페스트·설정·레이어의 다이제스트를 모두 검사합니다.

        참조가 여러 플랫폼의 인덱스를 가리키면 ``platform`` (기본 ``linux/amd64``, 그것이 없고
        이미지가 하나뿐이면 그 하나)을 고릅니다. 큰 레이어는 메모리 대신 임시 파일에 받습니다.
        """
        reference = self._reference(ref)
        name = reference.repository
        document = self.manifest(reference)
        if isinstance(document, Index):
            chosen = _choose_platform(document, platform, _short(reference))
            document = self._get_manifest(name, chosen.digest, _short(reference))
            if isinstance(document, Index):
                raise UnsupportedError(f"{_short(reference)}: 인덱스 안의 인덱스는 지원하지 않습니다.")
        return self._pull_image(name, document, _short(reference))

    def pull_index(self, ref: "str | Reference") -> ImageIndex:
        """이미지 인덱스를 모든 플랫폼의 이미지와 함께 내려받습니다(``skopeo copy --all`` 처럼).

        인덱스 바이트는 받은 그대로 간직하므로 ``index.digest`` 는 레지스트리의 다이제스트와 같습니다.
        참조가 인덱스가 아니라 이미지 하나를 가리키면 ImageFormatError를 냅니다(그때는 ``pull``).
        """
        reference = self._reference(ref)
        name = reference.repository
        document = self.manifest(reference)
        if not isinstance(document, Index):
            raise ImageFormatError(
                f"{_short(reference)}는 이미지 인덱스가 아니라 플랫폼 하나의 이미지입니다. pull(ref)로 받으세요."
            )
        images = []
        for entry in document.images():
            manifest = self._get_manifest(name, entry.digest, f"{_short(reference)}의 {entry.platform or entry.digest}")
            if isinstance(manifest, Index):
                raise UnsupportedError(f"{_short(reference)}: 인덱스 안의 인덱스는 지원하지 않습니다.")
            images.append(self._pull_image(name, manifest, _short(reference)))
        return ImageIndex(document, images)

    def _pull_image(self, name: str, manifest: Manifest, label: str) -> Image:
        """The image of a fetched manifest: config and layers downloaded and verified."""
        if manifest.config.size > bounds.MAX_CONFIG_BYTES:
            raise LimitExceededError(
                f"{label}의 이미지 설정(config)이 {manifest.config.size:,}바이트라고 적혀 있습니다. "
                f"설정은 {bounds.MAX_CONFIG_BYTES >> 20} MiB를 넘지 않으므로(containers/image와 같은 한도) "
                "받지 않습니다. 망가졌거나 악의적인 매니페스트일 수 있습니다."
            )
        config_bytes = self._fetch_blob(name, manifest.config, "이미지 설정(config)").read()
        with image_entry_budget(DEFAULT_LIMITS, f"레지스트리 {self.url}의 이미지 {label}"):
            layers = [
                Layer.from_tar(self._fetch_blob(name, d, f"레이어 {i}"), media_type=d.media_type or None)
                for i, d in enumerate(manifest.layers)
            ]
        image = Image.from_parts(manifest, config_bytes, layers)
        self._remember(name, [manifest.config.digest] + [layer.digest for layer in layers])
        return image

    def _get_manifest(self, name: str, target: "Digest | str", label: str) -> "Manifest | Index":
        response = self._http.request(
            "GET",
            f"/v2/{name}/manifests/{target}",
            scopes=_pull(name),
            headers={"Accept": ", ".join(ACCEPTED_TYPES)},
            what=f"이미지 {label}",
            limit=bounds.MAX_MANIFEST_BYTES,
            body_what=f"이미지 {label}의 매니페스트",
        )
        data = response.body
        digest = Digest.of_bytes(data)
        if isinstance(target, Digest):
            verify(digest, len(data), target, None, f"레지스트리에서 받은 매니페스트 {label}")
        claimed = response.header("Docker-Content-Digest")
        if claimed and Digest.parse(claimed) != digest:
            raise DigestMismatchError(
                f"레지스트리 {self.url}가 {label}의 다이제스트가 {claimed}라고 했지만 받은 매니페스트 "
                f"바이트의 해시는 {digest}입니다. 레지스트리가 다른 내용을 돌려주었습니다."
            )
        content_type = response.header("Content-Type") or ""
        return parse_document(data, f"레지스트리 {self.url}의 {label} 매니페스트", content_type, digest)

    def _fetch_blob(self, name: str, descriptor: Descriptor, what: str) -> Blob:
        digest, size = descriptor.digest, descriptor.size

        def once() -> Blob:
            with self._http.request(
                "GET",
                f"/v2/{name}/blobs/{digest}",
                scopes=_pull(name),
                stream=True,
                retry=False,
                what=f"{what} 블롭 {digest}",
            ) as response:
                bar = progress_bar(self.progress, size, f"{digest.short} 내려받기")
                try:
                    blob = Blob.spool(lambda out: _copy_limited(response.stream, out, size + 1, bar), size_hint=size)
                finally:
                    bar.close()
            verify(blob.digest, blob.size, digest, size, f"레지스트리 {self.url}에서 받은 {what} 블롭")
            return blob

        return self._http.retrying(once)

    # -- push -----------------------------------------------------------------------------

    def push(
        self, image: "Image | ImageIndex", ref: "str | Reference", mount_from: "str | Iterable[str]" = ()
    ) -> PushReport:
        """이미지를 올립니다(``docker push``): 레지스트리에 없는 블롭만 올리고 매니페스트를 붙입니다.

        이미지 인덱스(``il.ImageIndex``)를 주면 플랫폼마다의 이미지를 매니페스트 다이제스트로 먼저
        올리고, 마지막에 인덱스를 ``ref`` 의 태그(또는 다이제스트)로 올립니다(``docker buildx --push`` 처럼).

        같은 레지스트리의 다른 저장소에 이미 있는 블롭은 다시 보내지 않고 연결(mount)합니다.
        어느 저장소에서 연결할지는 이 클라이언트가 올리거나 받은 기록과 ``mount_from`` 으로 정합니다.
        """
        if isinstance(image, ImageIndex):
            return self._push_index(image, ref, mount_from)
        if not isinstance(image, Image):
            raise ImageLibError(f"push에는 il.Image나 il.ImageIndex가 필요합니다({type(image).__name__}를 받았습니다).")
        reference = self._reference(ref)
        name = reference.repository
        if reference.digest is not None and reference.digest != image.digest:
            raise InvalidReferenceError(
                f"참조 {_short(reference)}의 다이제스트가 이미지의 다이제스트 {image.digest}와 다릅니다. "
                "다이제스트로 올릴 때는 그 이미지의 다이제스트를 쓰세요."
            )
        sources = [mount_from] if isinstance(mount_from, str) else list(mount_from)
        sources = [self._reference(s).repository for s in sources]
        outcome: "dict[str, list[Descriptor]]" = {"uploaded": [], "skipped": [], "mounted": []}
        sent = 0
        for descriptor, opener in image.blobs():
            kind, count = self._push_blob(name, descriptor, opener, sources)
            outcome[kind].append(descriptor)
            sent += count
        target = reference.tag if reference.tag is not None else str(image.digest)
        sent += self._put_manifest(name, target, image)
        self._remember(name, [d.digest for group in outcome.values() for d in group])
        return PushReport(
            str(reference),
            image.digest,
            tuple(outcome["uploaded"]),
            tuple(outcome["skipped"]),
            tuple(outcome["mounted"]),
            sent,
        )

    def _push_blob(
        self, name: str, descriptor: Descriptor, opener: Callable[[], BinaryIO], sources: "list[str]"
    ) -> "tuple[str, int]":
        if self.blob_exists(name, descriptor.digest):
            return "skipped", 0
        candidates = [s for s in sources + sorted(self._known.get(descriptor.digest, ())) if s != name]
        session = None
        if candidates:
            source = candidates[0]
            response = self._http.request(
                "POST",
                f"/v2/{name}/blobs/uploads/?mount={quote(str(descriptor.digest))}&from={source}",
                scopes=_push(name) + _pull(source),
                ok=(201, 202),
                what=f"블롭 {descriptor.digest} 연결",
            )
            if response.status == 201:
                return "mounted", 0
            session = response.header("Location")
        return "uploaded", self._upload(name, descriptor, opener, session)

    def _upload(self, name: str, descriptor: Descriptor, opener: Callable[[], BinaryIO], session: "str | None") -> int:
        """Upload one blob (whole, or in chunks); a failed attempt restarts in a new session.

        Returns the bytes that went over the wire, those of failed attempts included.
        """
        meter = _Meter(self.progress, descriptor)

        def once() -> None:
            nonlocal session
            location, session = session or self._start_upload(name), None
            if descriptor.size <= self.chunk_size:
                body = (lambda: cast(BinaryIO, CountingReader(opener(), meter.update)), descriptor.size)
                response = self._finish_upload(name, location, descriptor, body)
            else:
                location = self._send_chunks(name, location, opener, meter)
                response = self._finish_upload(name, location, descriptor, b"")
            claimed = response.header("Docker-Content-Digest")
            if claimed and Digest.parse(claimed) != descriptor.digest:
                raise DigestMismatchError(
                    f"레지스트리 {self.url}가 블롭 {descriptor.digest}를 {claimed}로 저장했다고 답했습니다."
                )

        try:
            self._http.retrying(once)
        finally:
            meter.close()
        return meter.count

    def _start_upload(self, name: str) -> str:
        response = self._http.request(
            "POST",
            f"/v2/{name}/blobs/uploads/",
            scopes=_push(name),
            ok=(202,),
            retry=False,
            what=f"저장소 {name}의 업로드 시작",
        )
        return _location(response, self.url)

    def _send_chunks(self, name: str, location: str, opener: Callable[[], BinaryIO], meter: "_Meter") -> str:
        offset = 0
        with opener() as stream:
            while chunk := _read_up_to(stream, self.chunk_size):
                headers = {
                    "Content-Type": "application/octet-stream",
                    "Content-Range": f"{offset}-{offset + len(chunk) - 1}",
                }
                meter.update(len(chunk))
                response = self._http.request(
                    "PATCH",
                    location,
                    headers=headers,
                    body=chunk,
                    scopes=_push(name),
                    ok=(202,),
                    retry=False,
                    what=f"저장소 {name}의 블롭 조각 올리기",
                )
                location = _location(response, self.url)
                offset += len(chunk)
        return location

    def _finish_upload(self, name: str, location: str, descriptor: Descriptor, body: Body) -> Response:
        separator = "&" if "?" in location else "?"
        return self._http.request(
            "PUT",
            f"{location}{separator}digest={quote(str(descriptor.digest))}",
            headers={"Content-Type": "application/octet-stream"},
            body=body,
            scopes=_push(name),
            ok=(201, 204),
            retry=False,
            what=f"블롭 {descriptor.digest} 올리기",
        )

    def _push_index(self, index: ImageIndex, ref: "str | Reference", mount_from: "str | Iterable[str]") -> PushReport:
        reference = self._reference(ref)
        if reference.digest is not None and reference.digest != index.digest:
            raise InvalidReferenceError(
                f"참조 {_short(reference)}의 다이제스트가 이미지 인덱스의 다이제스트 {index.digest}와 다릅니다."
            )
        by_digest = replace(reference, tag=None)
        reports = [self.push(image, by_digest.with_digest(image.digest), mount_from) for image in index.images]
        name = reference.repository
        target = reference.tag if reference.tag is not None else str(index.digest)
        sent = sum(report.bytes_sent for report in reports)
        sent += self._put_document(name, target, index.data, index.media_type, index.digest)
        return PushReport(
            str(reference),
            index.digest,
            tuple(d for report in reports for d in report.uploaded),
            tuple(d for report in reports for d in report.skipped),
            tuple(d for report in reports for d in report.mounted),
            sent,
        )

    def _put_manifest(self, name: str, target: str, image: Image) -> int:
        return self._put_document(name, target, image.manifest_bytes, image.manifest_media_type, image.digest)

    def _put_document(self, name: str, target: str, data: bytes, media_type: str, digest: Digest) -> int:
        response = self._http.request(
            "PUT",
            f"/v2/{name}/manifests/{target}",
            body=data,
            headers={"Content-Type": media_type},
            scopes=_push(name),
            ok=(201, 200, 204),
            what=f"매니페스트 {name}:{target}",
        )
        claimed = response.header("Docker-Content-Digest")
        if claimed and Digest.parse(claimed) != digest:
            raise DigestMismatchError(
                f"레지스트리 {self.url}가 매니페스트를 {claimed}로 저장했다고 답했지만 보낸 바이트의 "
                f"다이제스트는 {digest}입니다."
            )
        return len(data)

    # -- delete ---------------------------------------------------------------------------

    def delete(self, ref: "str | Reference") -> Digest:
        """매니페스트를 다이제스트로 지웁니다(태그를 주면 먼저 다이제스트로 바꿉니다).

        그 매니페스트를 가리키던 태그도 함께 사라집니다. 레지스트리가 삭제를 허용해야 합니다
        (distribution 레지스트리는 설정의 ``storage: delete: enabled: true``).
        """
        reference = self._reference(ref)
        digest = reference.digest or self.resolve(reference)
        self._delete(
            f"/v2/{reference.repository}/manifests/{digest}",
            reference.repository,
            f"이미지 {reference.repository}@{digest}",
        )
        return digest

    def delete_blob(self, repository: str, digest: "Digest | str") -> None:
        """저장소에서 블롭 하나를 지웁니다(레지스트리가 허용할 때)."""
        name = self._reference(repository).repository
        digest = Digest.parse(digest)
        self._delete(f"/v2/{name}/blobs/{digest}", name, f"블롭 {digest}")
        self._known.get(digest, set()).discard(name)

    def _delete(self, path: str, name: str, what: str) -> None:
        response = self._http.request(
            "DELETE", path, scopes=(f"repository:{name}:delete",), ok=(200, 202, 405), what=what
        )
        if response.status == 405:
            raise UnsupportedError(
                f"레지스트리 {self.url}가 {what}의 삭제를 허용하지 않습니다(HTTP 405). distribution "
                "레지스트리라면 설정에 'storage: delete: enabled: true'를 넣어야 합니다."
            )

    # -- helpers --------------------------------------------------------------------------

    def _reference(self, ref: "str | Reference") -> Reference:
        """A reference on this registry: 'demo/app:v1' is taken as relative to this registry."""
        reference = parse_reference(ref)
        if reference.registry == self.host:
            return reference
        explicit = isinstance(ref, Reference) or ref.split("/", 1)[0] in ("docker.io", "index.docker.io")
        if reference.registry == DEFAULT_REGISTRY and (not explicit or self.host in _DOCKER_HUB_HOSTS):
            return replace(reference, registry=self.host)
        raise InvalidReferenceError(
            f"참조 {str(ref)!r}는 레지스트리 {reference.registry}를 가리키는데 이 클라이언트는 "
            f"{self.host}({self.url})에 연결되어 있습니다. '{self.host}/{reference.repository}'처럼 "
            f"같은 레지스트리를 쓰거나 il.Registry('http://{reference.registry}')를 만드세요."
        )

    def _paged(self, path: str, key: str, scopes: "tuple[str, ...]", page_size: "int | None", what: str) -> "list[str]":
        """All pages of a listing, following ``Link: <…>; rel="next"``, within bounds.

        A page seen before, more than ``bounds.MAX_PAGES`` pages or more than
        ``bounds.MAX_LIST_BYTES`` together stop the listing with an error.
        """
        items: "list[str]" = []
        url: "str | None" = path + (f"?n={int(page_size)}" if page_size else "")
        seen: "set[str]" = set()
        total = 0
        while url:
            absolute = self._http.url(url)
            if absolute in seen:
                raise RegistryError(
                    f"{what}: 레지스트리 {self.url}가 이미 받은 같은 쪽({absolute})을 다음 쪽(Link)으로 "
                    "다시 가리킵니다. 끝나지 않는 목록이라 그만 받습니다."
                )
            if len(seen) >= bounds.MAX_PAGES:
                raise RegistryError(
                    f"{what}: 레지스트리 {self.url}의 목록이 {bounds.MAX_PAGES}쪽을 넘어 그만 받습니다. "
                    "page_size를 크게 해 보세요."
                )
            seen.add(absolute)
            response = self._http.request("GET", url, scopes=scopes, what=what, limit=bounds.MAX_PAGE_BYTES)
            total += len(response.body)
            if total > bounds.MAX_LIST_BYTES:
                raise bounds.too_big(f"{what}(모든 쪽을 합친 크기)", bounds.MAX_LIST_BYTES)
            items += _names(response.body, key, f"레지스트리 {self.url}의 {what}")
            match = _NEXT_LINK_RE.search(response.header("Link") or "")
            url = match.group(1) if match else None
        return items

    def _remember(self, name: str, digests: Iterable[Digest]) -> None:
        for digest in digests:
            self._known.setdefault(digest, set()).add(name)

    def __repr__(self) -> str:
        return f"<Registry {self.url}>"


class _Meter:
    """Counts the bytes of one blob's upload and moves its progress bar."""

    def __init__(self, setting: "bool | None", descriptor: Descriptor) -> None:
        self.count = 0
        self._bar = progress_bar(setting, descriptor.size, f"{descriptor.digest.short} 올리기")

    def update(self, count: int) -> None:
        self.count += count
        self._bar.update(count)

    def close(self) -> None:
        self._bar.close()


def _short(reference: Reference) -> str:
    """The reference without the registry (the registry is named in every message anyway)."""
    return str(reference)[len(reference.registry) + 1 :]


def _pull(name: str) -> "tuple[str, ...]":
    return (f"repository:{name}:pull",)


def _push(name: str) -> "tuple[str, ...]":
    return (f"repository:{name}:pull,push",)


def _choose_platform(index: Index, platform: "str | None", label: str) -> Descriptor:
    """The entry ``docker pull --platform`` takes: an exact match, or an older 32-bit arm variant."""
    wanted = Platform.parse(platform) if platform is not None else DEFAULT_PLATFORM
    entries = index.images()
    entry = best_match(entries, wanted)
    if entry is not None:
        return entry
    if platform is None and len(entries) == 1:
        return entries[0]
    available = ", ".join(str(m.platform) for m in entries if m.platform is not None) or "(없음)"
    raise RegistryNotFoundError(
        f"{label}은(는) 여러 플랫폼의 인덱스인데 {wanted} 이미지가 없습니다. "
        f"있는 플랫폼: {available}. pull(ref, platform='linux/arm64')처럼 고르세요."
    )


def _names(body: bytes, key: str, where: str) -> "list[str]":
    """The names under ``key`` of a tag list or catalog page (absent or null: none, as Go reads it)."""
    doc = load_json(body, where)
    values = doc.get(key) if isinstance(doc, dict) else []
    if not isinstance(doc, dict) or not isinstance(values, (list, type(None))):
        raise RegistryError(f"{where}이(가) 형식에 맞지 않습니다({key}는 문자열 목록이어야 합니다).")
    for position, value in enumerate(values or []):
        if not isinstance(value, str):
            raise RegistryError(f"{where}의 {key}[{position}]가 문자열이 아닙니다({value!r:.60}).")
    return list(values or [])


def _location(response: Response, base: str) -> str:
    location = response.header("Location")
    if not location:
        raise RegistryError(f"레지스트리 {base}가 업로드 주소(Location 헤더)를 주지 않았습니다.")
    return location


def _read_up_to(stream: BinaryIO, size: int) -> bytes:
    parts = []
    left = size
    while left > 0:
        data = stream.read(min(left, CHUNK_SIZE))
        if not data:
            break
        parts.append(data)
        left -= len(data)
    return b"".join(parts)


def _copy_limited(source: BinaryIO, out: BinaryIO, limit: int, bar: ProgressBar) -> None:
    """Copy at most ``limit`` bytes (one more than expected is enough to notice a liar)."""
    left = limit
    while left > 0:
        data = source.read(min(left, CHUNK_SIZE))
        if not data:
            return
        out.write(data)
        bar.update(len(data))
        left -= len(data)
