"""``gateway import`` and ``gateway demo``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from gateway.services.demo import load_demo
from gateway.services.importer import Importer, ImportReport, RowError, detect_kind
from gateway.services.spreadsheets import open_sheet

UNREACHABLE_LISTED = 20
"""Households named in the "cannot be reached by SMS" lines; the rest are counted."""


def echo_report(report: ImportReport) -> None:
    click.echo(
        f"{report.kind}: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.errors)} rejected"
    )
    for problem in report.errors:
        click.echo(f"  row {problem.row}: {problem}", err=True)
    for problem in report.warnings:
        where = f"row {problem.row}: " if problem.row else ""
        click.echo(f"  warning: {where}{problem}")
    for why, label in (("landline", "landline only"), ("none", "no phone")):
        codes = [u.household_code for u in report.unreachable if u.why == why]
        if codes:
            shown = ", ".join(codes[:UNREACHABLE_LISTED])
            more = (
                f" and {len(codes) - UNREACHABLE_LISTED} more"
                if len(codes) > UNREACHABLE_LISTED
                else ""
            )
            click.echo(
                f"  cannot be reached by SMS ({label}): {len(codes)} households: {shown}{more}"
            )


@click.command("import", help="Import communes, members or households from CSV or XLSX.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_file(file: Path) -> None:
    """The operator's import: any commune named in the file, never a row moved across communes
    (see :mod:`gateway.services.import_scope`)."""
    try:
        sheet = open_sheet(file)
        kind = detect_kind(sheet.header)
    except RowError as exc:
        raise click.ClickException(str(exc)) from exc
    importer = Importer(kind, current_app.config["SETTINGS"].default_region)
    with click.progressbar(length=sheet.total, label=f"{file.name} ({kind})", file=None) as bar:
        report = importer.run(sheet.rows, progress=bar.update)
    echo_report(report)
    if not report.ok:
        raise SystemExit(1)


@click.command(help="Load the demo commune (DEMO) and print a staff login.")
@click.option("--password", help="Password for the demo login (default: a new random one).")
def demo(password: str | None) -> None:
    loaded = load_demo(password=password)
    for report in loaded.reports:
        echo_report(report)
    click.echo(f"console login: {loaded.username} / {loaded.password}")
