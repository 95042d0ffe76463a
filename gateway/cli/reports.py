"""``gateway report daily`` and ``gateway messages``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import current_app

from db.base import utcnow
from db.models import Commune
from flows import clock
from flows.phones import InvalidPhone, to_e164
from gateway.services import message_log, reports


@click.group(help="Reports.")
def report() -> None:
    pass


@report.command("daily", help="Households, declarations and cases per team for one day.")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="Local date (today).")
@click.option(
    "--commune",
    "communes",
    multiple=True,
    help="Commune code; repeat it or separate codes by commas for a district (all communes).",
)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "xlsx"]), default="table")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
def daily(
    day: dt.datetime | None, communes: tuple[str, ...], fmt: str, output: Path | None
) -> None:
    zone = current_app.config["SETTINGS"].timezone
    date = day.date() if day else clock.local_date(zone, utcnow())
    codes = [code.strip() for value in communes for code in value.split(",") if code.strip()]
    unknown = sorted(set(codes) - {c.code for c in Commune.select(Commune.code)})
    if unknown:
        raise click.BadParameter(f"no such commune: {', '.join(unknown)}", param_hint="--commune")
    rows = reports.daily_report(date, codes or None)
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError("--format xlsx needs --output FILE")
        output.write_bytes(reports.to_xlsx(rows))
        return
    text = reports.to_csv(rows) if fmt == "csv" else reports.to_table(rows) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@click.command(help="The SMS log: inbound and outbound messages, newest first.")
@click.option("--phone", help="Only this phone (written any way).")
@click.option("--since", type=click.DateTime(), help="Only from this time (UTC).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table")
@click.option("--limit", default=200, show_default=True)
def messages(phone: str | None, since: dt.datetime | None, fmt: str, limit: int) -> None:
    if phone:
        try:
            phone = to_e164(phone, current_app.config["SETTINGS"].default_region)
        except InvalidPhone as exc:
            raise click.BadParameter(exc.reason, param_hint="--phone") from exc
    lines = message_log.message_log(phone, since, limit)
    if fmt == "csv":
        click.echo(message_log.to_csv(lines), nl=False)
        return
    for line in lines:
        click.echo(
            f"{line.created_at}  {line.direction:<3} {line.phone:<14} {line.status:<9} "
            f"{line.segments}x {line.encoding:<5}  {line.text}"
        )
