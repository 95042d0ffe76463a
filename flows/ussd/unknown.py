"""The menu of a number the gateway does not know.

Never turned away from an urgent report (SPEC §4): symptoms go straight to the
commune health station, and the number can ask to become a household. On a
code several communes share, the caller first picks their commune (district
first when the communes lie in several districts); "not on this list" still
records the report, for district staff to place.
"""

from __future__ import annotations

from collections.abc import Callable

from flows.effects import Register
from flows.report import Report
from flows.ussd.confirm import done, unknown_done
from flows.ussd.context import Context
from flows.ussd.engine import Ask, Done, choice, number
from flows.ussd.fit import clean, numbered
from flows.ussd.lists import LABEL, pick
from flows.ussd.recording import MAX_PEOPLE, Recording, language_menu
from flows.ussd.texts import Texts


def unknown_menu(ctx: Context, texts: Texts) -> Ask:
    """1 report symptoms, 2 register, 3 language."""
    options = (*texts.unknown_options, texts.language_option)

    def symptoms(commune: str | None, unassigned: bool) -> Ask:
        def finish(report: Report) -> Done:
            return unknown_done(report, texts, commune, unassigned)

        return Recording(texts, ctx.places, finish).symptoms()

    def answer(given: str) -> Ask | Done | None:
        picked = choice(given, len(options))
        if picked == 1:
            if ctx.communes:
                return pick_commune(ctx, texts, lambda code: symptoms(code, code is None))
            return symptoms(None, not ctx.commune_known)
        if picked == 2:
            return register(ctx, texts)
        if picked == 3:
            return language_menu(texts, ctx.language)
        return None

    hint = texts.choose.format(1, len(options))
    return Ask(numbered(options), hint, answer, texts.unknown_greeting)


def pick_commune(ctx: Context, texts: Texts, then: Callable[[str | None], Ask]) -> Ask:
    """District, then commune, each list paged and ending with "not on this list"
    (``then(None)``), so a caller who cannot find theirs still reports."""
    districts = list(dict.fromkeys(district for _, _, district in ctx.communes))
    if len(districts) == 1:
        return _communes(ctx, texts, districts[0], then)
    labels = [clean(district, LABEL) or texts.other_district for district in districts]

    def chosen(index: int) -> Ask:
        if index == len(districts):
            return then(None)
        return _communes(ctx, texts, districts[index], then)

    return pick(texts, texts.pick_district, [*labels, texts.not_listed], chosen)


def _communes(ctx: Context, texts: Texts, district: str, then: Callable[[str | None], Ask]) -> Ask:
    listed = [(code, name) for code, name, where in ctx.communes if where == district]
    labels = [clean(name, LABEL) or clean(code, LABEL) or "?" for code, name in listed]

    def chosen(index: int) -> Ask:
        return then(listed[index][0] if index < len(listed) else None)

    return pick(texts, texts.pick_commune, [*labels, texts.not_listed], chosen)


def register(ctx: Context, texts: Texts) -> Ask | Done:
    """Village or team from the numbered list, then household size; staff confirm later.

    Needs the caller's commune (its teams): on a shared code without one the
    caller is pointed to the health station, as with no teams at all.
    """
    if not ctx.teams:
        return Done(texts.no_teams)
    labels = [clean(team, LABEL) for team in ctx.teams]
    return pick(texts, texts.pick_team, labels, lambda index: _size(ctx.teams[index], texts))


def _size(team: str, texts: Texts) -> Ask:
    def answer(given: str) -> Done | None:
        people = number(given, 1, MAX_PEOPLE)
        if people is None:
            return None
        return done(Register(team, people), texts)

    return Ask(texts.household_size, texts.people_hint, answer)
