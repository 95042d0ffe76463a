"""Every USSD text is written in both languages a screen shows, with the same fields."""

from __future__ import annotations

import string

import pytest

from flows.ussd.texts import EN, VI, WORDING, Wording, texts_for


def _shape(text: str | tuple[str, ...]) -> object:
    """How many ``{}`` fields a text has, or how many options a list holds."""
    if isinstance(text, tuple):
        return ("options", len(text))
    return sum(1 for _, name, _, _ in string.Formatter().parse(text) if name is not None)


@pytest.mark.parametrize("name", sorted(WORDING))
def test_every_text_has_both_languages_with_the_same_fields(name: str) -> None:
    wording = WORDING[name]
    texts = (wording.vi, wording.en)
    assert all(texts) and all(
        option.strip() for text in texts for option in ([text] if isinstance(text, str) else text)
    ), texts
    assert _shape(wording.vi) == _shape(wording.en), texts


def test_a_language_cannot_be_left_out() -> None:
    with pytest.raises(TypeError):
        Wording(vi="Cam on!")  # type: ignore[call-arg]


def test_the_menus_read_each_language_from_its_side() -> None:
    assert texts_for("en") is EN and texts_for("vi") is VI and texts_for("vi-accents") is VI
    assert all(getattr(EN, name) == wording.en for name, wording in WORDING.items())
    assert all(getattr(VI, name) == wording.vi for name, wording in WORDING.items())
