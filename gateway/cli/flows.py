"""``gateway flows simulate``: step the USSD menu and read SMS from a terminal.

For writing and checking texts: nothing here opens the app's database, Redis
or a provider. The menu is stepped with a sample caller, exactly as the
webhook steps it with the caller it loaded, and each SMS is shown as the
grammar reads it, with what the services would record and its segments.
"""

from __future__ import annotations

import sys
from dataclasses import replace

import click

from flows.encoding import measure
from flows.sms import grammar
from flows.sms.readings import HelpRequest, Unknown
from flows.ussd import Context, step

SAMPLE_CALLERS = {
    "household": Context(
        caller="household",
        household_name="Nguyen Van An",
        team_phones=(("To truong", "+84912000101"), ("Tram y te", "+842043878115")),
        member_name="Tran Thi Lan",
        member_phone="+84912000102",
        places=("Ha Noi", "Bac Ninh", "Hai Duong"),
    ),
    "member": Context(
        caller="member",
        member_name="Tran Thi Lan",
        member_households=(("HG-001", "Nguyen Van An"), ("HG-002", "Le Thi Binh")),
        open_cases=((12, "HG-001", "symptoms"),),
        not_declared=("HG-002",),
        own_household=True,
        places=("Ha Noi", "Bac Ninh"),
    ),
    "unknown": Context(caller="unknown", teams=("Thon Dong", "Thon Doai"), places=("Ha Noi",)),
}


@click.group(help="The pure flows, with no app, Redis or database.")
def flows() -> None:
    """A group of its own, so ``gateway flows ...`` runs before any app is built."""


@flows.group(help="Step the USSD menu or read SMS as the gateway would.")
def simulate() -> None:
    """Subcommands per channel."""


@simulate.command(help="Dial the USSD menu; type each answer ('q' to hang up).")
@click.option("--caller", type=click.Choice(sorted(SAMPLE_CALLERS)), default="household")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi")
@click.argument("answers", nargs=-1)
def ussd(caller: str, lang: str, answers: tuple[str, ...]) -> None:
    """Given ANSWERS, replay them and stop; otherwise ask for each answer in turn."""
    ctx = _with_language(SAMPLE_CALLERS[caller], lang)
    given: list[str] = []
    pending = list(answers)
    while True:
        screen = step("*".join(given), ctx)
        click.echo(f"\n{'END' if screen.end else 'CON'} {screen.text}")
        click.echo(f"  ({len(screen.text)}/160 characters)")
        if screen.end:
            for effect in screen.effects:
                click.echo(f"  records: {effect}")
            return
        if answers:
            if not pending:
                return
            answer = pending.pop(0)
            click.echo(f"> {answer}")
        else:
            answer = click.prompt(">", default="", show_default=False, prompt_suffix=" ")
            if answer.strip().lower() == "q":
                return
        given.append(answer)


@simulate.command(help="Read texts as the SMS grammar does (one per line, or as arguments).")
@click.argument("texts", nargs=-1)
def sms(texts: tuple[str, ...]) -> None:
    """Each text: what it reads as, what it would record, its segments."""
    lines = texts or sys.stdin
    for raw in lines:
        text = raw.rstrip("\n")
        read = grammar.parse(text)
        size = measure(text)
        click.echo(f"{text!r}")
        click.echo(f"  reads as: {read}")
        click.echo(f"  records:  {None if isinstance(read, HelpRequest | Unknown) else read}")
        click.echo(f"  size:     {size.segments} segment(s), {size.encoding}")


def _with_language(ctx: Context, lang: str) -> Context:
    return replace(ctx, language=lang)
