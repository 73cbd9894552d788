"""Shared test settings: reproducible environment and the location of shared test data."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED = PROJECT_ROOT.parent / "shared"
REAL_IMAGES = SHARED / "real-images"
OCI_SCHEMAS = SHARED / "oci-schema"


@pytest.fixture(autouse=True)
def _fixed_epoch(monkeypatch):
    # Digests in tests must not depend on the caller's SOURCE_DATE_EPOCH.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def real_image(name: str) -> Path:
    """Path of a real image archive from ../shared/real-images, or skip the test with the reason."""
    path = REAL_IMAGES / name
    if not path.exists():
        pytest.skip(f"실제 이미지 {name}가 없어 건너뜁니다 (../shared/real-images/ 가 없음)")
    return path
