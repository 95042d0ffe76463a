"""The menu of a registered household's phone (SPEC §4)."""

from __future__ import annotations

from flows.ussd.confirm import household_done
from flows.ussd.context import Context
from flows.ussd.engine import Ask, Done, choice
from flows.ussd.fit import clean, join_fitting, numbered
from flows.ussd.recording import Recording, language_menu
from flows.ussd.texts import Texts

NAME = 30  # a greeting that does not fit is left out rather than cut
LABEL = 30
PHONE = 16


def household_menu(ctx: Context, texts: Texts) -> Ask:
    """Main menu: 1-5 record, 6 team phones, 7 language; "all well" stays ``1``."""
    recording = Recording(texts, ctx.places, lambda report: household_done(report, ctx, texts))
    options = (*texts.report_options, texts.team_phones_option, texts.language_option)

    def answer(given: str) -> Ask | Done | None:
        picked = choice(given, len(options))
        if picked is None:
            return None
        if picked <= len(texts.report_options):
            return recording.start(picked)
        if picked == len(options) - 1:
            return team_phones(ctx, texts)
        return language_menu(texts, ctx.language)

    name = clean(ctx.household_name, NAME)
    greeting = texts.greeting.format(name) if name else ""
    return Ask(numbered(options), texts.choose.format(1, len(options)), answer, greeting)


def team_phones(ctx: Context, texts: Texts) -> Done:
    """Every number that fits, whole: a phone number cut short is worse than none."""
    lines = []
    for label, phone in ctx.team_phones:
        shown, number = clean(label, LABEL), clean(phone, PHONE)
        if number:
            lines.append(f"{shown}: {number}" if shown else number)
    if not lines:
        return Done(texts.no_team_phones)
    return Done(join_fitting(texts.team_phones, lines, "\n", texts.more_phones))
