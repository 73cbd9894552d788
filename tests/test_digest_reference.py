import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

import imagelib as il
from imagelib.digest import Digest


def test_digest_of_bytes_is_sha256_of_exact_bytes():
    data = "안녕하세요\n".encode()
    assert str(Digest.of_bytes(data)) == "sha256:" + hashlib.sha256(data).hexdigest()


def test_digest_parse_round_trip_and_string_equality():
    text = "sha256:" + hashlib.sha256(b"x").hexdigest()
    digest = Digest.parse(text)
    assert digest == text and str(digest) == text and digest.short == text[7:19]
    assert hash(digest) == hash(text)


@pytest.mark.parametrize(
    "bad", ["", "sha256:", "sha256:abc", "sha256:" + "A" * 64, "md5:" + "a" * 32, "sha256:" + "g" * 64, "a" * 64]
)
def test_digest_parse_refuses_malformed(bad):
    with pytest.raises(il.InvalidDigestError):
        Digest.parse(bad)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("nginx", "docker.io/library/nginx:latest"),
        ("nginx:1.25", "docker.io/library/nginx:1.25"),
        ("index.docker.io/x", "docker.io/library/x:latest"),
        ("docker.io/x", "docker.io/library/x:latest"),
        ("docker.io/library/x:1", "docker.io/library/x:1"),
        ("myuser/app", "docker.io/myuser/app:latest"),
        ("ghcr.io/owner/app:v1", "ghcr.io/owner/app:v1"),
        ("localhost/app", "localhost/app:latest"),
        ("localhost:5000/app", "localhost:5000/app:latest"),
        ("127.0.0.1:5000/demo/app:v1", "127.0.0.1:5000/demo/app:v1"),
        ("[::1]:5000/x", "[::1]:5000/x:latest"),
        ("Registry/app", "Registry/app:latest"),
        ("localhost:5000", "docker.io/library/localhost:5000"),
    ],
)
def test_reference_normalization(text, expected):
    assert str(il.parse_reference(text)) == expected


def test_reference_parts_and_familiar():
    digest = "sha256:" + "a" * 64
    ref = il.parse_reference(f"nginx:1.25@{digest}")
    assert (ref.registry, ref.repository, ref.tag, ref.digest) == ("docker.io", "library/nginx", "1.25", digest)
    assert ref.familiar == f"nginx:1.25@{digest}"
    only_digest = il.parse_reference(f"nginx@{digest}")
    assert only_digest.tag is None and str(only_digest) == f"docker.io/library/nginx@{digest}"
    assert il.parse_reference("myuser/app").familiar == "myuser/app:latest"
    assert il.parse_reference("docker.io/library/a/b").familiar == "library/a/b:latest"
    assert il.parse_reference("[::1]:5000/x").registry == "[::1]:5000"
    # a Docker Hub repository whose first part looks like a host keeps docker.io in the short form
    assert il.parse_reference("docker.io/my.org/x").familiar == "docker.io/my.org/x:latest"


@pytest.mark.parametrize(
    "bad, words",
    [
        ("", "비어"),
        ("NGINX", "대문자"),
        ("docker.io/MyUser/app", "대문자"),
        ("nginx:" + "t" * 129, "128"),
        ("a/" + "b" * 260, "255"),
        ("nginx@sha256:" + "A" * 64, "대문자"),
        ("nginx@sha256:abc", "다이제스트"),
        ("https://registry.example.com/app", "http"),
        ("nginx:bad tag", "태그"),
        ("a" * 64, "이미지 ID"),
    ],
)
def test_reference_refusals_are_korean_errors_naming_the_problem(bad, words):
    with pytest.raises(il.InvalidReferenceError) as info:
        il.parse_reference(bad)
    assert isinstance(info.value, il.ImageLibError)
    assert words in str(info.value)


_component = st.from_regex(r"[a-z0-9]{1,6}(?:[._-][a-z0-9]{1,4})?", fullmatch=True)
_tag = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}", fullmatch=True)
_registry = st.sampled_from(
    ["", "docker.io/", "ghcr.io/", "localhost:5000/", "127.0.0.1:5000/", "[::1]:5000/", "registry.example.com/"]
)


@given(
    _registry,
    st.lists(_component, min_size=1, max_size=3),
    st.one_of(st.none(), _tag),
    st.one_of(st.none(), st.binary(min_size=1, max_size=8)),
)
def test_reference_round_trips_through_str_and_familiar(registry, parts, tag, digest_seed):
    text = registry + "/".join(parts)
    if tag is not None:
        text += ":" + tag
    if digest_seed is not None:
        text += "@" + str(Digest.of_bytes(digest_seed))
    ref = il.parse_reference(text)
    assert il.parse_reference(str(ref)) == ref
    assert il.parse_reference(ref.familiar) == ref
