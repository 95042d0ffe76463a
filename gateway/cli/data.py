"""``gateway import`` and ``gateway demo``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from gateway.services.demo import load_demo
from gateway.services.importer import Importer, ImportReport, RowError, detect_kind
from gateway.services.spreadsheets import UnreadableFile, open_sheet


def echo_report(report: ImportReport) -> None:
    click.echo(
        f"{report.kind}: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.errors)} rejected"
    )
    for number, reason in report.errors:
        click.echo(f"  row {number}: {reason}", err=True)


@click.command("import", help="Import communes, members or households from CSV or XLSX.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_file(file: Path) -> None:
    try:
        sheet = open_sheet(file)
        kind = detect_kind(sheet.header)
    except (UnreadableFile, RowError) as exc:
        raise click.ClickException(str(exc)) from exc
    importer = Importer(kind, current_app.config["SETTINGS"].default_region)
    with click.progressbar(length=sheet.total, label=f"{file.name} ({kind})", file=None) as bar:
        report = importer.run(sheet.rows, progress=bar)
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
