"""The one entry point: answers so far and the caller's context in, a screen out."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flows.ussd.context import Context
from flows.ussd.engine import BACK, MAIN, Ask, Screen, render, run
from flows.ussd.household import household_menu
from flows.ussd.member import member_menu
from flows.ussd.texts import Texts, texts_for
from flows.ussd.unknown import unknown_menu

MENUS: dict[str, Callable[[Context, Texts], Ask]] = {
    "household": household_menu,
    "member": member_menu,
    "unknown": unknown_menu,
}

CONTINUE, RESTART = "1", "2"


def step(text: str, ctx: Context) -> Screen:
    """The screen for Africa's Talking's ``text`` (answers joined by ``*``).

    Pure and replayed from the first screen each call, so any web process can
    serve any step. A caller kind the menus do not know gets the unknown
    caller's menu, which still takes an urgent report.
    """
    texts = texts_for(ctx.language)
    root = MENUS.get(ctx.caller, unknown_menu)(ctx, texts)
    answers = text.split("*") if text else []
    if ctx.resumable:
        saved = run(root, ctx.resumable, texts)
        # Offer to resume only real progress that did not already end (and record).
        if not saved.end and saved.answers:
            return _resume(root, answers, saved, texts)
    return run(root, answers, texts)


def _resume(root: Ask, answers: Sequence[str], saved: Screen, texts: Texts) -> Screen:
    """The offer takes the first answers; its choice is not part of the saved answers.

    ``00`` (main menu) starts again like ``2``. Until the caller chooses, the
    saved answers are handed back unchanged, so a session dropped on the offer
    itself can still be resumed.
    """
    hint = ""
    for index, raw in enumerate(answers):
        answer = raw.strip()
        if answer == CONTINUE:
            return run(root, [*saved.answers, *answers[index + 1 :]], texts)
        if answer in (RESTART, MAIN):
            return run(root, answers[index + 1 :], texts)
        hint = "" if answer == BACK else texts.choose.format(1, 2)
    offer = Ask(texts.resume, texts.choose.format(1, 2), lambda _: None)
    return Screen(render(offer, hint, texts, root=True), False, (), saved.answers)
