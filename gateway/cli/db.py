"""``gateway db upgrade``."""

from __future__ import annotations

import click

from db.migrate import upgrade


@click.group(help="Database schema.")
def db() -> None:
    pass


@db.command("upgrade", help="Create the database or apply pending migrations.")
def upgrade_command() -> None:
    applied = upgrade()
    click.echo(f"applied: {', '.join(applied)}" if applied else "database is up to date")
