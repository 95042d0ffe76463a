"""Making names from the database, and lists of any length, fit one USSD screen.

Names come from commune spreadsheets: diacritics, stray Unicode, newlines and
any length. A screen is 160 GSM-7 characters including the 4-character
"CON "/"END " prefix, and many gateways cut or garble anything beyond.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from flows.encoding import GSM7_BASIC, strip_diacritics

LIMIT = 156
"""Characters a screen's text may use: 160 minus the "CON "/"END " prefix."""

SPACES = re.compile(r"\s+")
NOT_GSM7 = re.compile("[^" + re.escape("".join(sorted(GSM7_BASIC))) + "]")


def clean(text: str | None, limit: int) -> str:
    """A one-line, GSM-7 version of a name, cut to ``limit`` characters.

    Only the basic GSM-7 alphabet is kept: an extension character costs two
    septets and some handsets render it wrongly.
    """
    if not text:
        return ""
    # Three code points a letter at most: a base and two combining marks (ệ).
    plain = strip_diacritics(text[: limit * 3])
    line = " ".join(NOT_GSM7.sub("", SPACES.sub(" ", plain)).split())
    if len(line) <= limit:
        return line
    # Cut between words where one is near: "Nguyen Thi" reads better than "Nguyen Th".
    space = line.rfind(" ", 0, limit + 1)
    return line[: space if space > limit // 2 else limit].rstrip()


def numbered(options: Sequence[str], first: int = 1) -> str:
    return "\n".join(f"{number} {option}" for number, option in enumerate(options, first))


def cut(text: str) -> str:
    """Last line of defence; the screens are written to fit without it."""
    return text[:LIMIT]


def join_fitting(head: str, items: Sequence[str], sep: str, more: str) -> str:
    """``head``, then as many ``items`` as fit, then ``more`` with the count left out.

    For END screens that only inform (phone lists, households to visit), where
    a line cut in the middle would be worse than a count of what is missing.
    """
    for count in range(min(len(items), LIMIT // 2), -1, -1):
        left = len(items) - count
        text = head + "\n" + sep.join([*items[:count], *([more.format(left)] if left else [])])
        if len(text) <= LIMIT:
            return text
    return cut(head)
