"""Forward-only schema migrations with peewee's own runner.

Each file in ``db/migrations`` holds a frozen copy of the models it creates, so
an old migration keeps meaning the same thing after the models move on.
"""

from __future__ import annotations

from pathlib import Path

from playhouse.migrations import Runner

from db import inbox
from db.base import database

MIGRATIONS = Path(__file__).with_name("migrations")


def upgrade() -> list[str]:
    """Apply every pending migration to the bound database, and make sure the inbox
    exists (:func:`db.inbox.ensure`); returns the migrations' names."""
    applied = Runner(database.obj, str(MIGRATIONS)).up()
    inbox.ensure()
    return applied


def pending() -> list[str]:
    """Migrations not applied yet, for ``/healthz``-style checks and the CLI."""
    return [m.name for m in Runner(database.obj, str(MIGRATIONS)).status() if not m.applied]
