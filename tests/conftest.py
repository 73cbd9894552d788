"""Shared test settings: reproducible environment and the location of shared test data."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# Tests are in folders that mirror the package; the helpers several folders share are in support/.
sys.path.insert(0, str(Path(__file__).resolve().parent / "support"))

from paths import OCI_SCHEMAS, PROJECT_ROOT, REAL_IMAGES, SHARED  # noqa: E402

__all__ = ["OCI_SCHEMAS", "PROJECT_ROOT", "REAL_IMAGES", "SHARED", "real_image"]

# Fixtures shared by several test folders.
pytest_plugins = ["tar_readers", "docker_engine"]


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
