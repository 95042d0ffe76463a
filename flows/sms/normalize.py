"""Turning whatever a phone sent into plain words and numbers.

Households type on keypads in every way: upper case, with or without
Vietnamese diacritics (precomposed or as combining marks), full-width digits
from some input methods, separators of any kind, emoji. Everything the grammar
matches on is first folded here, so the vocabulary is written once, in ASCII.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_LENGTH = 480
"""Longer texts are not read: three concatenated GSM-7 segments hold 459
characters, so anything past this is not a keypad reply but a forwarded
message or a machine, and reading it would only waste time."""

# Letters with no combining mark to drop, after case folding. "ð" (eth) is
# what several legacy Vietnamese keyboard layouts send for "đ".
_BARRED = str.maketrans({"đ": "d", "ð": "d"})

# Runs of ASCII digits, or runs of letters of any script: a foreign word must
# stay one unknown word, not dissolve into separators around valid digits.
_TOKEN = re.compile(r"[0-9]+|[^\W\d_]+")


@dataclass(frozen=True)
class Token:
    """A word or a number, with the text that separated it from the one before.

    ``gap`` tells ``38,5`` (a temperature) from ``38, 5`` (two numbers).
    """

    text: str
    gap: str
    end: int

    @property
    def is_number(self) -> bool:
        # Not str.isdigit: "❶" is a digit to Python but a letter to the tokenizer.
        return "0" <= self.text[0] <= "9"


def clean(text: str) -> str:
    """The text as typed, minus what no person meant to send.

    Compatibility forms are unified (full-width digits and letters, "℃"),
    every script's decimal digits become ASCII, invisible format characters
    (zero-width spaces, bidi marks) go, and other controls become spaces.
    Diacritics stay: a resolution note is kept as the member wrote it.
    """
    kept: list[str] = []
    for char in unicodedata.normalize("NFKC", text):
        category = unicodedata.category(char)
        if category == "Nd":
            kept.append(str(unicodedata.decimal(char)))
        elif category == "Cf":
            continue
        elif category[0] == "C" or char.isspace():
            kept.append(" ")
        else:
            kept.append(char)
    return " ".join("".join(kept).split())


def fold(cleaned: str) -> str:
    """Lower case without diacritics, so "Sốt", "SOT" and "sot" read the same."""
    decomposed = unicodedata.normalize("NFD", cleaned.casefold().translate(_BARRED))
    bare = "".join(char for char in decomposed if unicodedata.category(char)[0] != "M")
    return unicodedata.normalize("NFC", bare)


def tokenize(folded: str) -> list[Token]:
    """Words and numbers; everything between them is a separator."""
    tokens: list[Token] = []
    previous_end = 0
    for match in _TOKEN.finditer(folded):
        tokens.append(Token(match.group(), folded[previous_end : match.start()], match.end()))
        previous_end = match.end()
    return tokens


def number(digits: str) -> int:
    """The value of a digit run, capped so a thousand digits cost nothing.

    No count, temperature or case number has ten digits; past nine the exact
    value never matters, only that it is too big.
    """
    significant = digits.lstrip("0")
    return int(significant or "0") if len(significant) <= 9 else 10**9
