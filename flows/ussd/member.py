"""The menu of a team member's phone (SPEC §4).

Members declare for households that have no phone, work their open cases and
see who still has to declare, from the same basic phone the households use.
"""

from __future__ import annotations

from collections.abc import Callable

from flows.effects import Acknowledge, Resolve
from flows.ussd.confirm import done, household_done, proxy_done
from flows.ussd.context import Context
from flows.ussd.engine import Ask, Done, choice
from flows.ussd.fit import clean, join_fitting, numbered
from flows.ussd.lists import LABEL, pick
from flows.ussd.recording import Recording, language_menu
from flows.ussd.texts import Texts

CODE = 12
HEAD = 24
KIND = 16


def member_menu(ctx: Context, texts: Texts) -> Ask:
    """1 declare for a household, 2 open cases, 3 not declared, [4 own household], language."""
    actions: list[tuple[str, Callable[[], Ask | Done]]] = [
        (texts.member_options[0], lambda: declare_for(ctx, texts)),
        (texts.member_options[1], lambda: open_cases(ctx, texts)),
        (texts.member_options[2], lambda: not_declared(ctx, texts)),
    ]
    if ctx.own_household:
        own = Recording(texts, ctx.places, lambda report: household_done(report, ctx, texts))
        actions.append((texts.own_household_option, lambda: own.menu(texts.own_title)))
    actions.append((texts.language_option, lambda: language_menu(texts, ctx.language)))

    def answer(given: str) -> Ask | Done | None:
        picked = choice(given, len(actions))
        return None if picked is None else actions[picked - 1][1]()

    options = numbered([label for label, _ in actions])
    hint = texts.choose.format(1, len(actions))
    return Ask(options, hint, answer, texts.member_greeting)


def _key(code: str) -> str:
    """Codes are typed on a keypad: case and spaces do not tell households apart."""
    return "".join(code.split()).casefold()


def declare_for(ctx: Context, texts: Texts) -> Ask | Done:
    """A household code from the member's own list, then the household menu's 1-5."""
    if not ctx.member_households:
        return Done(texts.no_households)
    households = {_key(code): (code, head) for code, head in ctx.member_households}

    def answer(given: str) -> Ask | None:
        found = households.get(_key(given[:100]))
        if found is None:
            return None
        code, head = found
        recording = Recording(texts, ctx.places, lambda report: proxy_done(code, report, texts))
        title = f"{clean(code, CODE)} {clean(head, HEAD)}".strip()
        return recording.menu(texts.proxy_title.format(title))

    example = clean(ctx.member_households[0][0], CODE)
    return Ask(texts.household_code.format(example), texts.code_hint, answer)


def open_cases(ctx: Context, texts: Texts) -> Ask | Done:
    """Pick a case, then take it (acknowledge) or close it (resolve)."""
    if not ctx.open_cases:
        return Done(texts.no_open_cases)
    labels = [
        clean(f"#{number} {clean(code, CODE)} {clean(kind, KIND)}", LABEL)
        for number, code, kind in ctx.open_cases
    ]
    return pick(texts, texts.open_cases, labels, lambda index: _case(ctx.open_cases[index], texts))


def _case(case: tuple[int, str, str], texts: Texts) -> Ask:
    number, code, kind = case

    def answer(given: str) -> Done | None:
        picked = choice(given, 2)
        if picked == 1:
            return done(Acknowledge(number), texts)
        if picked == 2:
            return done(Resolve(number), texts)
        return None

    text = texts.case_menu.format(number, clean(code, CODE), clean(kind, KIND))
    return Ask(text, texts.choose.format(1, 2), answer)


def not_declared(ctx: Context, texts: Texts) -> Done:
    """The codes to knock on today, as many as fit, then how many more."""
    if not ctx.not_declared:
        return Done(texts.all_declared)
    codes = [clean(code, CODE) for code in ctx.not_declared]
    head = texts.not_declared.format(len(codes))
    return Done(join_fitting(head, codes, ", ", texts.and_more))
