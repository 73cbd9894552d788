"""Where the project and the shared test data are, for every test folder."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED = PROJECT_ROOT.parent / "shared"
REAL_IMAGES = SHARED / "real-images"
OCI_SCHEMAS = SHARED / "oci-schema"
