"""How an outbound text will travel, and what it will cost.

A single Vietnamese diacritic forces the whole message into UCS-2, which cuts a
segment from 160 characters to 70 and can double or triple what a reminder
costs. The outbound log and the console show this before anything is sent.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

GSM7 = "GSM-7"
UCS2 = "UCS-2"

# GSM 03.38 default alphabet, in table order, without 0x1B (the escape to the
# extension table, never a character of its own).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each costs an escape septet plus its own, so two.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
_GSM7 = GSM7_BASIC | GSM7_EXTENSION

# A concatenated message spends part of each segment on its header (UDH).
_GSM7_SINGLE, _GSM7_PART = 160, 153
_UCS2_SINGLE, _UCS2_PART = 70, 67

# Letters that are not a base letter plus combining marks in Unicode, so
# decomposition alone would leave them in place.
_UNDECOMPOSABLE = str.maketrans({"đ": "d", "Đ": "D"})


@dataclass(frozen=True)
class Measure:
    """What a text costs on the air.

    ``length`` is in septets for GSM-7 (extension characters count 2) and in
    UTF-16 code units for UCS-2, because those are what the segment limits are
    counted in, not Python characters.
    """

    encoding: str
    length: int
    segments: int


def is_gsm7(text: str) -> bool:
    """Whether every character fits the GSM 03.38 alphabet or its extension.

    Telcos do not show diacritics reliably on USSD, and one character outside
    this set turns an SMS into UCS-2.
    """
    return _GSM7.issuperset(text)


def measure(text: str) -> Measure:
    """Encoding, length and segment count of an outbound text.

    Segments are counted as phones split them: an escaped GSM-7 character or a
    UTF-16 surrogate pair is never cut across two segments, so a long text can
    need one segment more than ``ceil(length / 153)`` suggests.
    """
    if is_gsm7(text):
        widths = [2 if char in GSM7_EXTENSION else 1 for char in text]
        return Measure(GSM7, sum(widths), _segments(widths, _GSM7_SINGLE, _GSM7_PART))
    widths = [2 if ord(char) > 0xFFFF else 1 for char in text]
    return Measure(UCS2, sum(widths), _segments(widths, _UCS2_SINGLE, _UCS2_PART))


def strip_diacritics(text: str) -> str:
    """Vietnamese without diacritics, as USSD screens and cheap SMS need it.

    "Sốt, khó thở" becomes "Sot, kho tho": still readable to Vietnamese
    speakers, and GSM-7, so 160 characters a segment instead of 70. Both
    precomposed and combining-mark input (as some keyboards send) are handled.
    Most names and numbers on a screen are ASCII already and are returned as they are.
    """
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text.translate(_UNDECOMPOSABLE))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped)


def _segments(widths: list[int], single: int, part: int) -> int:
    if sum(widths) <= single:
        return 1
    segments, used = 1, 0
    for width in widths:
        if used + width > part:
            segments, used = segments + 1, 0
        used += width
    return segments
