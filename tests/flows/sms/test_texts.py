"""Every SMS message is written in every language, with the same fields in each."""

from __future__ import annotations

import string
from dataclasses import fields

import pytest

from flows.report import LANGUAGES
from flows.sms.texts import REPLIES, Said


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_a_said_names_exactly_the_households_languages() -> None:
    assert {field.name.replace("_", "-") for field in fields(Said)} == set(LANGUAGES)


@pytest.mark.parametrize("name", sorted(REPLIES))
def test_every_reply_has_every_language_with_the_same_fields(name: str) -> None:
    said = REPLIES[name]
    texts = {language: said.in_language(language) for language in LANGUAGES}
    assert all(text.strip() for text in texts.values()), texts
    assert len({frozenset(_fields(text)) for text in texts.values()}) == 1, texts


def test_a_language_cannot_be_left_out() -> None:
    with pytest.raises(TypeError):
        Said(vi="Cam on!", en="Thank you!")  # type: ignore[call-arg]
