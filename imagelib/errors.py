"""imagelib의 오류 가족(error family).

사용자가 일으킬 수 있는 모든 실패는 ``ImageLibError`` 의 하위 클래스로 알려 줍니다.
메시지는 한국어이며, 무엇이 잘못되었는지(어떤 항목인지)와 어떻게 하면 되는지를 말합니다.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class ImageLibError(Exception):
    """imagelib가 내는 모든 오류의 조상입니다. ``except il.ImageLibError`` 하나로 모두 잡힙니다."""


class InvalidReferenceError(ImageLibError, ValueError):
    """이미지 참조(reference, 예: ``nginx:latest``)의 형식이 잘못되었습니다."""


class InvalidDigestError(ImageLibError, ValueError):
    """다이제스트(digest) 문자열의 형식이 잘못되었습니다."""


class DigestMismatchError(ImageLibError):
    """내용의 해시가 기대한 다이제스트나 크기와 다릅니다(손상되었거나 바뀐 데이터)."""


class InvalidPathError(ImageLibError, ValueError):
    """이미지 안의 경로가 잘못되었습니다(빈 경로, ``..`` 로 루트를 벗어나는 경로 등)."""


class PathNotFoundError(ImageLibError, LookupError):
    """파일 트리나 컨테이너에 그런 경로가 없습니다."""


class NotADirectoryError_(ImageLibError):
    """폴더가 아닌 것을 폴더처럼 쓰려고 했습니다."""


class ReadOnlyError(ImageLibError, AttributeError):
    """이미지와 레이어는 읽기 전용(read-only)입니다. 바꾸려면 컨테이너를 쓰세요."""


class LayerFormatError(ImageLibError):
    """레이어 tar 아카이브를 읽을 수 없거나 형식이 잘못되었습니다."""


class ImageFormatError(ImageLibError):
    """이미지 설정(config)이나 매니페스트(manifest)의 형식이 잘못되었습니다."""


class TagNotFoundError(ImageLibError, LookupError):
    """보관소(Store)에 그런 이름(태그)이나 다이제스트의 이미지가 없습니다."""


class UnsupportedError(ImageLibError, ValueError):
    """imagelib가 아직 지원하지 않는 값이나 형식입니다."""


class RegistryError(ImageLibError):
    """레지스트리(registry)와 주고받다가 실패했습니다(상태 코드와 레지스트리의 설명을 함께 알려 줍니다)."""


class RegistryUnreachableError(RegistryError):
    """레지스트리에 연결할 수 없습니다(주소·포트가 틀렸거나 레지스트리가 꺼져 있음)."""


class AuthenticationError(RegistryError):
    """레지스트리가 로그인(인증, authentication)을 요구하거나 사용자 이름·비밀번호가 틀렸습니다(HTTP 401)."""


class AccessDeniedError(RegistryError):
    """로그인은 되었지만 그 저장소에 그 일을 할 권한이 없습니다(HTTP 403)."""


class RegistryNotFoundError(RegistryError, LookupError):
    """레지스트리에 그런 저장소·태그·다이제스트·블롭이 없습니다(HTTP 404)."""


class AmbiguousImageError(ImageLibError, LookupError):
    """파일에 이미지(또는 플랫폼)가 여럿이라 어느 것을 열지 정할 수 없습니다. ref=나 platform=으로 고르세요."""


class UnsafePathError(InvalidPathError):
    """이미지의 경로나 링크가 대상 폴더 밖을 가리킵니다. 안전을 위해 풀지 않습니다."""


class UnsafeEntryError(LayerFormatError, UnsafePathError):
    """레이어 tar에 위험한 항목이 있습니다(루트를 벗어나는 경로, 드라이브 문자, 루트를 바꾸는 항목 등)."""


class LimitExceededError(ImageLibError):
    """읽던 이미지·레이어가 한도(il.Limits)를 넘었습니다(압축 폭탄, 너무 많은 항목, 너무 큰 JSON 등)."""


class DiskError(ImageLibError, OSError):
    """디스크에 쓰지 못했습니다(빈 공간이 없음, 쓸 권한이 없음, 읽기 전용 등). 이미 저장된 것은 그대로 있습니다.

    ``OSError`` 이기도 하므로 ``errno`` (예: ``errno.ENOSPC``)로 원인을 가릴 수 있습니다.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class PackageRecordError(ImageLibError):
    """이미지 안의 패키지 기록(apk·dpkg 데이터베이스, package.json, METADATA)이 망가져 읽을 수 없습니다."""


class SkippedEntryWarning(UserWarning):
    """레이어의 항목 하나를 건너뛰었다는 경고(장치 파일, FIFO처럼 imagelib가 담지 않는 것)."""


class UnpackError(ImageLibError):
    """이미지를 폴더에 풀다가 실패했습니다(디스크 공간, 권한, 너무 긴 이름 등). 실패한 레이어는 되돌립니다."""


# extra of pyproject.toml's [project.optional-dependencies] -> the top-level modules it installs
OPTIONAL_MODULES = {"viz": ("matplotlib", "ipywidgets", "koreanize_matplotlib"), "progress": ("tqdm",)}


@contextmanager
def needs_extra(extra: str, needed_for: str) -> Iterator[None]:
    """안에서 선택 패키지(extra)의 모듈이 없으면, 무엇을 설치할지 알려 주는 UnsupportedError를 냅니다.

    ``with needs_extra("viz", "imagelib.viz의 그림"): import matplotlib``
    """
    try:
        yield
    except ModuleNotFoundError as error:
        package = (error.name or "").partition(".")[0]
        if package not in OPTIONAL_MODULES[extra]:
            raise  # installed, but something inside it is missing: the original error says what
        raise UnsupportedError(
            f"{needed_for}에는 {package} 패키지가 필요한데 설치되어 있지 않습니다. "
            f"pip install 'imagelib[{extra}]' 로 설치하세요(코스 전체는 pip install -r requirements.txt)."
        ) from None
