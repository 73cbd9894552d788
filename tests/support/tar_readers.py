"""Reading a layer with imagelib's fast tar reader or forcing its tarfile fallback."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from unittest import mock

import pytest

from imagelib import layerscan
from imagelib.fasttar import UnusualTar


def refuse_every_tar(stream: object) -> Iterator[object]:
    """A fast reader that hands every layer to the fallback."""
    raise UnusualTar("forced")
    yield  # pragma: no cover


@contextlib.contextmanager
def tarfile_fallback_only() -> Iterator[None]:
    """Inside this block, layers are read by the tarfile fallback only."""
    with mock.patch.object(layerscan, "read_members", refuse_every_tar):
        yield


@pytest.fixture(params=["fast", "tarfile"])
def reader(request: pytest.FixtureRequest) -> Iterator[str]:
    """Runs a test once with the fast reader and once with the tarfile fallback only."""
    if request.param == "tarfile":
        with tarfile_fallback_only():
            yield request.param
    else:
        yield request.param
