"""Every screen fits 160 GSM-7 characters with its prefix, whatever is typed.

The walk visits every screen reachable with a keypad's usual answers, for
every caller and language, including contexts whose names and lists are far
too long; hypothesis then throws anything at it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace

from hypothesis import example, given, settings
from hypothesis import strategies as st

from flows.encoding import GSM7_BASIC
from flows.ussd import Context, Screen, step
from tests.flows.ussd.contexts import CALLERS, CROWDED, LANGUAGES

PREFIX = len("CON ")
ANSWERS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "00", "x", "13", "385", "hd012")
INVALID = "x"
DEPTH = 9


def check(screen: Screen) -> None:
    assert screen.text
    assert len(screen.text) + PREFIX <= 160, screen.text
    assert set(screen.text) <= GSM7_BASIC, screen.text
    assert not screen.effects or screen.end


def options(text: str) -> list[str]:
    return [line for line in text.split("\n") if line[:1] in "123456789"]


def walk(context: Context) -> int:
    """Breadth first over effective answers: two paths that leave the same answers
    standing reach the same screen, so each is expanded once."""
    seen: set[tuple[str, ...]] = set()
    queue: deque[tuple[str, ...]] = deque([()])
    screens = 0
    while queue:
        path = queue.popleft()
        parent = step("*".join(path), context)
        for answer in ANSWERS:
            screen = step("*".join((*path, answer)), context)
            check(screen)
            screens += 1
            if answer == INVALID:
                keeps_every_option(parent, screen)
            if not screen.end and screen.answers not in seen and len(path) < DEPTH:
                seen.add(screen.answers)
                queue.append(screen.answers)
    return screens


def keeps_every_option(before: Screen, hinted: Screen) -> None:
    """The hint never pushes an option off the screen, nor changes the answers."""
    assert not hinted.end
    assert hinted.answers == before.answers
    assert set(options(before.text)) <= set(options(hinted.text)), hinted.text


def test_every_reachable_screen_fits() -> None:
    screens = 0
    for context in (*CALLERS, *CROWDED):
        # "vi-accents" shows "vi" on USSD (test_household checks they match).
        for language in ("vi", "en"):
            localized = replace(context, language=language)
            screens += walk(localized)
            # Past the offer, a resumed session shows the screens walked above.
            resumed = replace(localized, resumable=("2", "9", "1"))
            offer = step("", resumed)
            check(offer)
            for answer in ANSWERS:
                check(step(answer, resumed))
            keeps_every_option(offer, step(INVALID, resumed))
    assert screens > 10_000


CALLER = st.sampled_from(["household", "member", "unknown", "", "admin"])
NAME = st.text(max_size=300) | st.none()
ANSWER = st.sampled_from(ANSWERS) | st.text(max_size=30) | st.just("9" * 10_000)
CONTEXT = st.builds(
    Context,
    caller=CALLER,
    language=st.sampled_from([*LANGUAGES, "fr", ""]),
    household_name=NAME,
    team_phones=st.lists(st.tuples(st.text(), st.text()), max_size=40).map(tuple),
    member_name=NAME,
    member_phone=NAME,
    teams=st.lists(st.text(max_size=100), max_size=40).map(tuple),
    places=st.lists(st.text(max_size=100), max_size=40).map(tuple),
    member_households=st.lists(st.tuples(st.text(), st.text()), max_size=40).map(tuple),
    open_cases=st.lists(st.tuples(st.integers(), st.text(), st.text()), max_size=40).map(tuple),
    not_declared=st.lists(st.text(max_size=50), max_size=300).map(tuple),
    own_household=st.booleans(),
    resumable=st.lists(ANSWER, max_size=8).map(tuple),
    communes=st.lists(st.tuples(st.text(), st.text(), st.text(max_size=60)), max_size=60).map(
        tuple
    ),
    commune_known=st.booleans(),
)
TEXT = (
    st.lists(ANSWER, max_size=12).map("*".join)
    | st.text(alphabet="0123456789* ", max_size=40)
    | st.text()
)


@settings(max_examples=300, deadline=None)
@given(text=TEXT, context=CONTEXT)
@example(text="x" * 10_000, context=Context("household"))
@example(text="*".join(["9"] * 5_000), context=Context("unknown", teams=("a",) * 500))
@example(text="2*" + "1" * 10_000, context=Context("household"))
@example(text="\x00\u202e\U0001f600*1", context=Context("member"))
def test_any_input_gives_a_valid_screen(text: str, context: Context) -> None:
    screen = step(text, context)

    check(screen)
    assert step(text, context) == screen  # the same call always answers the same
