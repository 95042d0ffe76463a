"""A file a commune's staff imports from the console, from upload to result."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from db.base import BaseModel, utcnow
from db.models.geography import Commune
from db.models.staff import StaffUser

IMPORT_STATES = ("previewing", "previewed", "importing", "done", "failed")
"""A run is previewed in the background, confirmed by its uploader, imported in
the background; ``failed`` holds a reason the whole file was refused."""


class ImportRun(BaseModel):
    """One uploaded file: where it lies on disk, how far its job got, what it found.

    The report (JSON, see ``gateway.services.import_report``) keeps message ids,
    not sentences, so each reader sees it in their own language. Progress is
    written after each committed chunk, so what the page shows has happened.
    """

    token = CharField(unique=True)
    commune = ForeignKeyField(Commune, on_delete="CASCADE")
    staff = ForeignKeyField(StaffUser, on_delete="CASCADE")
    filename = CharField()
    path = CharField()
    kind = CharField(null=True)
    state = CharField(default="previewing")
    total = IntegerField(default=0)
    done = IntegerField(default=0)
    report = TextField(null=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
