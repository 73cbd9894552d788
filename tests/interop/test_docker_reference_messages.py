"""What the real ``docker`` prints about references, as notebook 04 states it: a pull without a tag
says ``Using default tag: latest`` and ends with the full reference it pulled; an upper-case repository
name is refused with ``invalid reference format: repository name must be lowercase``, which
``il.parse_reference`` refuses too.
"""

from __future__ import annotations

import pytest
from formats_helpers import gzip_layers
from registry_server import FAST

import imagelib as il

pytestmark = pytest.mark.interop

# The real registry fixture (Debian's docker-registry) lives in tests/support/registry_server.py.
pytest_plugins = ["registry_server"]


def test_a_pull_without_a_tag_uses_latest_and_prints_the_full_reference(docker, local_registry):
    image = gzip_layers(il.Image.scratch().add_layer(il.Layer.from_files({"hello.txt": "hello\n"})))
    il.Registry(local_registry.url, **FAST).push(image, f"{local_registry.host}/imagelib-ref/app:latest")
    printed = docker("pull", f"{local_registry.host}/imagelib-ref/app").splitlines()
    assert printed[0] == "Using default tag: latest"
    assert printed[-1] == f"{local_registry.host}/imagelib-ref/app:latest"
    assert printed[-1] == str(il.parse_reference(f"{local_registry.host}/imagelib-ref/app"))


def test_docker_and_imagelib_refuse_an_upper_case_repository_name(docker, busybox):
    with pytest.raises(AssertionError, match="invalid reference format: repository name must be lowercase"):
        docker("tag", "busybox-base:1", "MyApp:1.0")
    with pytest.raises(il.InvalidReferenceError):
        il.parse_reference("MyApp:1.0")
