"""imagelib: 진짜 OCI 이미지를 만들고, 들여다보고, 저장하는 작은 파이썬 라이브러리.

도커 엔진 없이도 레이어를 OHP 필름처럼 쌓고, 컨테이너를 커밋하고, 태그를 붙이며
도커 이미지가 실제로 어떻게 이루어져 있는지 배울 수 있습니다.

    import imagelib as il
    layer = il.Layer.from_files({"app/hello.txt": "안녕하세요\\n"})
    img = il.Image.scratch().add_layer(layer)
"""

from . import catalog, modelfile, userland
from .analyze import Analysis, analyze
from .catalog import PullEstimate, pull_time
from .container import Container
from .digest import Digest
from .dockerfile import BuildCache, BuildContext, BuildError, BuildResult, BuildStep, build, build_index
from .entries import Dir, File, Hardlink, Opaque, Symlink, Whiteout
from .errors import (
    DigestMismatchError,
    DiskError,
    ImageFormatError,
    ImageLibError,
    InvalidDigestError,
    InvalidPathError,
    InvalidReferenceError,
    LayerFormatError,
    LimitExceededError,
    PackageRecordError,
    PathNotFoundError,
    ReadOnlyError,
    SkippedEntryWarning,
    TagNotFoundError,
    UnpackError,
    UnsafeEntryError,
    UnsafePathError,
    UnsupportedError,
)
from .filetree import FileTree, TreeDiff, TreeEntry
from .formats import OverlayLayout, layer_from_upperdir, open_index, save, unpack, unpack_overlay
from .formats import open_image as open  # noqa: A001
from .image import Config, History, Image
from .imageindex import ImageIndex
from .layer import Layer
from .limits import Limits
from .modelfile import modeled_download_size, modeled_size
from .oci import Descriptor, Platform
from .reference import Reference, parse_reference
from .registry import (
    AccessDeniedError,
    AuthenticationError,
    PushReport,
    Registry,
    RegistryError,
    RegistryNotFoundError,
    RegistryUnreachableError,
)
from .sbom import SBOM, sbom
from .store import ImageRecord, Store, Usage

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "analyze",
    "sbom",
    "SBOM",
    "PackageRecordError",
    "Config",
    "Container",
    "Descriptor",
    "Digest",
    "DigestMismatchError",
    "Dir",
    "File",
    "FileTree",
    "Hardlink",
    "History",
    "Image",
    "ImageIndex",
    "ImageFormatError",
    "ImageLibError",
    "ImageRecord",
    "InvalidDigestError",
    "InvalidPathError",
    "InvalidReferenceError",
    "Layer",
    "LayerFormatError",
    "Opaque",
    "PathNotFoundError",
    "Platform",
    "ReadOnlyError",
    "Reference",
    "Store",
    "Symlink",
    "TagNotFoundError",
    "TreeDiff",
    "TreeEntry",
    "UnsupportedError",
    "Usage",
    "Whiteout",
    "parse_reference",
    "open",
    "open_index",
    "save",
    "unpack",
    "unpack_overlay",
    "layer_from_upperdir",
    "OverlayLayout",
    "Limits",
    "LimitExceededError",
    "SkippedEntryWarning",
    "UnpackError",
    "UnsafeEntryError",
    "UnsafePathError",
    "DiskError",
    "AccessDeniedError",
    "AuthenticationError",
    "PushReport",
    "Registry",
    "RegistryError",
    "RegistryNotFoundError",
    "RegistryUnreachableError",
    "viz",
    "BuildCache",
    "BuildContext",
    "BuildError",
    "BuildResult",
    "BuildStep",
    "PullEstimate",
    "build",
    "build_index",
    "catalog",
    "modeled_download_size",
    "modeled_size",
    "modelfile",
    "pull_time",
    "userland",
    "oci",
]


def __getattr__(name: str):
    # imagelib.viz pulls in matplotlib and ipywidgets: load it on first use, so the core stays
    # light and importable where only the standard library is present.
    if name == "viz":
        import importlib

        return importlib.import_module(".viz", __name__)
    raise AttributeError(f"module 'imagelib' has no attribute {name!r}")
