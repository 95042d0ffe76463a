"""``gateway purge``: delete the personal data past its retention, as the daily job does."""

from __future__ import annotations

from dataclasses import asdict

import click
from flask import current_app

from gateway.services.retention import purge as purge_expired


@click.command(help="Delete declarations, inbound texts and case timelines past their retention.")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    help="Keep this many days (RETENTION_DAYS by default).",
)
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
def purge(days: int | None, dry_run: bool) -> None:
    kept = days or current_app.config["SETTINGS"].retention_days
    report = purge_expired(kept, dry_run=dry_run)
    verb = "would delete" if dry_run else "deleted"
    counts = ", ".join(
        f"{value} {name.replace('_', ' ')}"
        for name, value in asdict(report).items()
        if name != "days_kept"
    )
    click.echo(f"kept {kept} days; {verb}: {counts}")
    if not dry_run:
        click.echo(f"report counts kept for {report.days_kept} more day(s)")
