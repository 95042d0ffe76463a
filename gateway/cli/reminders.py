"""``gateway reminders run``: the cron job's dispatch, by hand, at a local time."""

from __future__ import annotations

import datetime as dt

import click

from db.models import Commune
from gateway.services.reminders import Outcome, run_due


@click.group(help="Reminder schedules.")
def reminders() -> None:
    pass


@reminders.command("run", help="Dispatch every slot due at a local time, as the cron job would.")
@click.option(
    "--at",
    "at",
    required=True,
    type=click.DateTime(["%Y-%m-%d %H:%M"]),
    help='Local time in each commune, "YYYY-MM-DD HH:MM".',
)
@click.option("--commune", help="Only this commune's schedules (all communes).")
@click.option("--dry-run", is_flag=True, help="Print who would get what; send nothing.")
def run(at: dt.datetime, commune: str | None, dry_run: bool) -> None:
    if commune and not Commune.select().where(Commune.code == commune).exists():
        raise click.BadParameter(f"no such commune: {commune}", param_hint="--commune")
    outcomes = run_due(at, commune, dry_run=dry_run)
    if not outcomes:
        click.echo(f"nothing due at {at:%Y-%m-%d %H:%M}")
    for outcome in outcomes:
        _echo(outcome)


def _echo(outcome: Outcome) -> None:
    """One line per slot; with ``--dry-run``, one more per message it would write."""
    note = f" ({outcome.note})" if outcome.note else ""
    click.echo(
        f"{outcome.commune}  {outcome.day} {outcome.slot}  {outcome.schedule}: "
        f"{outcome.state}, {outcome.recipients} recipient(s){note}"
    )
    for message in outcome.preview:
        click.echo(f"  {message.phone:<14} {message.label:<20} {message.text}")
