"""Package URLs (purl, github.com/package-url/purl-spec): ``pkg:type/namespace/name@version?qualifiers``."""

from __future__ import annotations

import re
from urllib.parse import quote


def package_url(
    kind: str, name: str, version: str, namespace: str = "", qualifiers: "dict[str, str] | None" = None
) -> str:
    """One purl, each part percent-encoded as the purl specification asks (``:`` may stay as it is)."""
    path = "/".join(quote(part, safe="") for part in (namespace, name) if part)
    text = f"pkg:{kind}/{path}"
    if version:
        text += "@" + quote(version, safe=":")
    pairs = sorted((key, value) for key, value in (qualifiers or {}).items() if value)
    if pairs:
        text += "?" + "&".join(f"{key}={quote(value, safe=':/')}" for key, value in pairs)
    return text


def npm_url(name: str, version: str) -> str:
    scope, _, bare = name.rpartition("/")
    return package_url("npm", bare, version, namespace=scope)


def pypi_url(name: str, version: str) -> str:
    # PyPI names are compared normalized (PEP 503); the purl type pypi asks for the same.
    return package_url("pypi", re.sub(r"[-_.]+", "-", name).lower(), version)
