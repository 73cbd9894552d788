"""License texts as recorded by package managers, and whether one is an SPDX license expression.

apk records ``L:MIT`` or ``L:GPL-2.0-or-later AND MIT`` but also older free text such as
``MIT BSD GPL2+``; npm and Python metadata hold anything. Only an expression made of SPDX license
identifiers is written as one; anything else is kept as the text it is (a named license).
"""

from __future__ import annotations

import re

# A subset of the SPDX License List (current, non-deprecated identifiers) that covers what
# Alpine, Debian, npm and PyPI packages commonly record; an identifier outside it is kept as text.
SPDX_IDS = frozenset(
    """
    0BSD AFL-2.1 AGPL-3.0-only AGPL-3.0-or-later Apache-1.1 Apache-2.0 Artistic-1.0 Artistic-1.0-Perl
    Artistic-2.0 BlueOak-1.0.0 BSD-1-Clause BSD-2-Clause BSD-3-Clause BSD-4-Clause BSL-1.0 bzip2-1.0.6
    CC-BY-3.0 CC-BY-4.0 CC-BY-SA-4.0 CC0-1.0 curl EPL-1.0 EPL-2.0 FTL GFDL-1.3-or-later GPL-1.0-or-later
    GPL-2.0-only GPL-2.0-or-later GPL-3.0-only GPL-3.0-or-later HPND ICU IJG ISC LGPL-2.0-only
    LGPL-2.0-or-later LGPL-2.1-only LGPL-2.1-or-later LGPL-3.0-only LGPL-3.0-or-later Libpng libtiff
    MIT MIT-0 MPL-1.1 MPL-2.0 NCSA OFL-1.1 OLDAP-2.8 OpenSSL PHP-3.01 PostgreSQL PSF-2.0 Python-2.0
    Ruby Sleepycat Unicode-3.0 Unicode-DFS-2016 Unlicense Vim W3C WTFPL X11 Zlib ZPL-2.1
    """.split()
)
SPDX_EXCEPTIONS = frozenset(
    "Autoconf-exception-3.0 Bison-exception-2.2 Classpath-exception-2.0 GCC-exception-3.1 LLVM-exception "
    "OpenSSL-exception".split()
)

_TOKEN = re.compile(r"\(|\)|[^\s()]+")


def is_spdx_expression(text: str) -> bool:
    """True if ``text`` is an SPDX license expression of known identifiers (``MIT OR Apache-2.0``)."""
    tokens = _TOKEN.findall(text)
    position, ok = _expression(tokens, 0)
    return ok and position == len(tokens)


def _expression(tokens: "list[str]", position: int) -> "tuple[int, bool]":
    position, ok = _term(tokens, position)
    while ok and position < len(tokens) and tokens[position] in ("AND", "OR"):
        position, ok = _term(tokens, position + 1)
    return position, ok


def _term(tokens: "list[str]", position: int) -> "tuple[int, bool]":
    if position >= len(tokens):
        return position, False
    if tokens[position] == "(":
        position, ok = _expression(tokens, position + 1)
        if not ok or position >= len(tokens) or tokens[position] != ")":
            return position, False
        return position + 1, True
    if tokens[position] not in SPDX_IDS:
        return position, False
    position += 1
    if position < len(tokens) and tokens[position] == "WITH":
        if position + 1 >= len(tokens) or tokens[position + 1] not in SPDX_EXCEPTIONS:
            return position, False
        position += 2
    return position, True
