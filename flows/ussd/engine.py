"""Replaying a USSD session's answers through a tree of screens.

Africa's Talking sends every answer of the session on every call, so instead
of keeping a session anywhere the menu is replayed from the first screen each
time. Replays are cheap (a few closures per answer) and make any web process
able to serve any step. ``0`` (back) and ``00`` (main menu) are stack
operations here, so no screen has to handle them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flows.effects import Effect
from flows.ussd.fit import LIMIT, cut
from flows.ussd.texts import Texts

BACK = "0"
MAIN = "00"

NUMBER = re.compile(r"[0-9]{1,6}")
"""ASCII digits only: ``str.isdigit`` and ``int`` also accept Arabic-Indic and
full-width digits, which no keypad sends and which should get a hint."""


@dataclass(frozen=True)
class Screen:
    """What the web layer answers: ``end`` picks the "END "/"CON " prefix.

    ``answers`` are the answers that still count after back, main menu,
    invalid input and resume are applied; saved, they rebuild this screen if
    the network drops the session.
    """

    text: str
    end: bool
    effects: tuple[Effect, ...] = ()
    answers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Done:
    """An END screen; only these carry effects, so a dropped session records nothing."""

    text: str
    effects: tuple[Effect, ...] = ()


@dataclass(frozen=True)
class Ask:
    """A CON screen and what each answer leads to (``None``: not an option, hint).

    ``greeting`` is dropped first when a hint needs the room. ``zero_is_answer``
    is for the temperature screen, where SPEC §4 makes ``0`` mean "not
    measured"; ``00`` still leads to the main menu there.
    """

    text: str
    hint: str
    answer: Callable[[str], Ask | Done | None]
    greeting: str = ""
    zero_is_answer: bool = False


def number(answer: str, low: int, high: int) -> int | None:
    """The answer as a number within ``low``..``high``, or ``None``."""
    if not NUMBER.fullmatch(answer):
        return None
    value = int(answer)
    return value if low <= value <= high else None


def choice(answer: str, options: int) -> int | None:
    """A menu pick, 1-based; the answer of most screens."""
    return number(answer, 1, options)


def render(ask: Ask, hint: str, texts: Texts, root: bool) -> str:
    """The screen, with the hint in front and as much help around it as fits."""
    footer = "" if root else texts.menu_footer if ask.zero_is_answer else texts.back_footer
    for greeting, tail in ((ask.greeting, footer), ("", footer), ("", "")):
        text = "\n".join(part for part in (hint, greeting, ask.text, tail) if part)
        if len(text) <= LIMIT:
            return text
    return cut(text)


def run(root: Ask, answers: Sequence[str], texts: Texts) -> Screen:
    """Replay ``answers`` from ``root``; the first END reached ends the replay.

    Africa's Talking sends nothing after an END, so answers beyond one can only
    come from a broken client and are ignored rather than recorded twice.
    """
    stack: list[tuple[Ask, str]] = [(root, "")]
    hint = ""
    for raw in answers:
        answer = raw.strip()
        top = stack[-1][0]
        hint = ""
        if answer == MAIN:
            del stack[1:]
        elif answer == BACK and not top.zero_is_answer:
            if len(stack) > 1:
                stack.pop()
        else:
            following = top.answer(answer)
            if following is None:
                hint = top.hint
            elif isinstance(following, Done):
                path = (*(given for _, given in stack[1:]), answer)
                return Screen(cut(following.text), True, following.effects, path)
            else:
                stack.append((following, answer))
    text = render(stack[-1][0], hint, texts, root=len(stack) == 1)
    return Screen(text, False, (), tuple(given for _, given in stack[1:]))
