"""``gateway staff create``."""

from __future__ import annotations

import click

from db.models import STAFF_ROLES
from gateway.services.staff import StaffError, create_staff


@click.group(help="Console logins.")
def staff() -> None:
    pass


@staff.command("create", help="Create a console login, or reset an existing one.")
@click.argument("username")
@click.option("--commune", "communes", multiple=True, required=True, help="Commune code (repeat).")
@click.option("--role", type=click.Choice(STAFF_ROLES), default="admin", show_default=True)
@click.password_option(help="Asked for when not given.")
def create(username: str, communes: tuple[str, ...], role: str, password: str) -> None:
    try:
        create_staff(username, password, list(communes), role)
    except StaffError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"staff user {username} ({role}) for {', '.join(communes)}")
