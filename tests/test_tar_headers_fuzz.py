"""Fuzzing the extended tar header combinations: the fast reader and the tarfile fallback agree.

Any sequence of GNU long names and links, PAX and global PAX headers in front of a member must be
read the same by both readers (the same names and link targets) or refused by both. The cases
checked against umoci and GNU tar one by one are in test_tar_headers.py.
"""

from __future__ import annotations

import contextlib
import tarfile

from hostile_archives import blocks_tar, global_pax, header, long_link, long_name, pax
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tar_readers import tarfile_fallback_only

import imagelib as il
from imagelib.errors import ImageLibError

SHORT = st.sampled_from(["a", "b/c", "a/b/c", "same"])
NAMES = st.one_of(SHORT, st.sampled_from(["d" * 120, "b/" + "e" * 110]))
EXTENDED = st.one_of(
    NAMES.map(long_name),
    NAMES.map(long_link),
    NAMES.map(lambda name: pax(path=name)),
    NAMES.map(lambda name: pax(linkpath=name)),
    st.just(pax(uid="7")),
    st.just(global_pax(comment="made by git archive")),
    NAMES.map(lambda name: global_pax(path=name)),
)
MEMBERS = st.one_of(
    SHORT.map(lambda name: header(name, data=b"data\n")),
    st.tuples(SHORT, SHORT).map(lambda pair: header(pair[0], tarfile.SYMTYPE, link=pair[1])),
    st.tuples(SHORT, SHORT).map(lambda pair: header(pair[0], tarfile.LNKTYPE, link=pair[1])),
)


def read(data: bytes, fallback: bool) -> "list[tuple[str, str]] | str":
    """Names and link targets as imagelib reads them, or "refused"."""
    with tarfile_fallback_only() if fallback else contextlib.nullcontext():
        try:
            layer = il.Layer.from_tar(data)
        except ImageLibError:
            return "refused"
    return [(entry.path, str(getattr(entry, "target", ""))) for entry in layer.entries]


@settings(
    max_examples=300, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.lists(st.tuples(st.lists(EXTENDED, max_size=3), MEMBERS), min_size=1, max_size=3))
def test_fast_reader_and_fallback_read_every_header_combination_alike(members):
    data = blocks_tar(*(block for extended, member in members for block in [*extended, member]))
    assert read(data, fallback=False) == read(data, fallback=True)
