"""What both output formats share: the document's time and name, derived, never random or now."""

from __future__ import annotations

import json
import os
import uuid
from datetime import datetime, timezone

from ..digest import Digest
from ..errors import ImageLibError

TOOL_NAME = "imagelib"
NAMESPACE_BASE = "https://imagelib.invalid/sbom/"


def created_time() -> str:
    """``SOURCE_DATE_EPOCH`` (reproducible-builds.org) as UTC ISO 8601, or the epoch itself."""
    text = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not text:
        return "1970-01-01T00:00:00Z"
    if not text.isdigit():
        raise ImageLibError(f"SOURCE_DATE_EPOCH는 0 이상의 정수(초)여야 합니다({text!r}를 받았습니다).")
    return datetime.fromtimestamp(int(text), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def document_uuid(image_digest: Digest, kind: str) -> uuid.UUID:
    """A name-based UUID (version 5): the same image and format give the same id everywhere."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{NAMESPACE_BASE}{kind}/{image_digest}")


def tool_version() -> str:
    """imagelib's installed version (from its package metadata), or "" when it is not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("imagelib")
    except PackageNotFoundError:
        return ""


def json_bytes(document: object) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
