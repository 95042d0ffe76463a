"""The menu of a number the gateway does not know.

Never turned away from an urgent report (SPEC §4): symptoms go straight to the
commune health station, and the number can ask to become a household.
"""

from __future__ import annotations

from flows.effects import Register
from flows.ussd.confirm import unknown_done
from flows.ussd.context import Context
from flows.ussd.engine import Ask, Done, choice, number
from flows.ussd.fit import clean, numbered
from flows.ussd.lists import LABEL, pick
from flows.ussd.recording import MAX_PEOPLE, Recording, language_menu
from flows.ussd.texts import Texts


def unknown_menu(ctx: Context, texts: Texts) -> Ask:
    """1 report symptoms, 2 register, 3 language."""
    recording = Recording(texts, ctx.places, lambda report: unknown_done(report, texts))
    options = (*texts.unknown_options, texts.language_option)

    def answer(given: str) -> Ask | Done | None:
        picked = choice(given, len(options))
        if picked == 1:
            return recording.symptoms()
        if picked == 2:
            return register(ctx, texts)
        if picked == 3:
            return language_menu(texts, ctx.language)
        return None

    hint = texts.choose.format(1, len(options))
    return Ask(numbered(options), hint, answer, texts.unknown_greeting)


def register(ctx: Context, texts: Texts) -> Ask | Done:
    """Village or team from the numbered list, then household size; staff confirm later."""
    if not ctx.teams:
        return Done(texts.no_teams)
    labels = [clean(team, LABEL) for team in ctx.teams]
    return pick(texts, texts.pick_team, labels, lambda index: _size(ctx.teams[index], texts))


def _size(team: str, texts: Texts) -> Ask:
    def answer(given: str) -> Done | None:
        people = number(given, 1, MAX_PEOPLE)
        if people is None:
            return None
        text = texts.registered.format(clean(team, LABEL), people)
        return Done(text, (Register(team, people),))

    return Ask(texts.household_size, texts.people_hint, answer)
