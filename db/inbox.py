"""The inbox: what a webhook stored that no worker has recorded yet.

Two kinds of rows wait here: inbound SMS (:class:`WaitingSms`), and a
household's "everyone is well" given on USSD (:class:`WaitingDeclaration`, see
``gateway.services.waiting_declarations``), the bulk of the screens that write.

A webhook's promise is "what was said is stored", and it must never wait for
the workers to keep it. On SQLite it would: a file has one writer, and a
worker's batch (declarations, cases, replies for fifty SMS) holds that writer
for milliseconds while every webhook queues behind it. So on SQLite the inbox
is a database file of its own beside the main one (``<database>-inbox``): the
webhooks write it, the workers empty it, and the main file's writer is the
workers'. On PostgreSQL, whose writers lock rows, not files, the inbox is a
table of the main database, and the same code runs.

A row moves once: the worker that handles it inserts it into
``inbound_message`` (the record, in the main database) in the transaction that
handles it, and deletes it from here after that commits. On SQLite the two are
not one transaction, so the move is idempotent instead: a row already in
``inbound_message`` (the same phone and provider id) is not handled again,
only deleted (``gateway.services.inbound_sms.handle_pending``).
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    CharField,
    Database,
    DatabaseProxy,
    DateField,
    DateTimeField,
    IntegerField,
    SqliteDatabase,
)
from playhouse.pool import PooledDatabase

from db.base import BaseModel, database, sqlite_database
from db.models.messages import ReceivedSms

inbox_database = DatabaseProxy()

UNHANDLED_SQL = (
    'SELECT "provider_id", "phone", "to", "text", "link_id", "network_code", "received_at"'
    ' FROM "inbound_message" WHERE "handled_at" IS NULL ORDER BY "id"'
)
"""Rows an older gateway stored in ``inbound_message`` and left unhandled (see :func:`ensure`)."""


class WaitingSms(ReceivedSms):
    """An inbound SMS as the webhook stored it; a provider's retry waits once."""

    received_at = DateTimeField()

    class Meta:
        database = inbox_database
        table_name = "waiting_sms"


class WaitingDeclaration(BaseModel):
    """A household's "everyone is well" from a USSD screen, as the screen stored it.

    Plain ids, no foreign keys: on SQLite the inbox is another file. The rest
    of the declaration follows from what it is (``waiting_declarations.WELL``).
    """

    source_ref = CharField(unique=True)
    household_id = IntegerField()
    commune_id = IntegerField()
    phone = CharField()
    local_date = DateField()
    declared_at = DateTimeField()

    class Meta:
        database = inbox_database
        table_name = "waiting_declaration"


INBOX = (WaitingSms, WaitingDeclaration)
"""Every table of the inbox, in the order a drain takes them."""


NEWEST_SQL = "SELECT " + ", ".join(
    f'(SELECT MAX("id") FROM "{model._meta.table_name}")' for model in INBOX
)
"""The watch's one statement, fifty times a second in every worker."""


def newest() -> tuple[int | None, ...] | None:
    """The newest waiting row's id of each table, ``None`` when nothing waits:
    whether the inbox grew since the last look (the workers' watch asks)."""
    ids = tuple(inbox_database.execute_sql(NEWEST_SQL).fetchone())
    return None if ids == (None,) * len(INBOX) else ids


def waiting(tables: tuple[type[BaseModel], ...] = INBOX) -> bool:
    """Whether anything waits in the inbox (in ``tables`` of it)."""
    return any(model.select(model.id).exists() for model in tables)


def waiting_since(before: dt.datetime) -> bool:
    """Whether something stored before ``before`` still waits (the sweep's question)."""
    return (
        WaitingSms.select().where(WaitingSms.received_at < before).exists()
        or WaitingDeclaration.select().where(WaitingDeclaration.declared_at < before).exists()
    )


def connect() -> None:
    """Bind the inbox beside the main database :func:`db.base.connect` bound.

    A file of its own is created here, by whichever process comes first: it is
    the inbox's alone, and a copied or restored main database arrives without it.
    A table in the main database is the migrations' to create (:func:`ensure`).
    """
    if isinstance(inbox_database.obj, PooledDatabase) and inbox_database.obj is not database.obj:
        inbox_database.obj.close_all()
    inbox_database.initialize(_beside(database.obj))
    if inbox_database.obj is not database.obj:
        with inbox_database.connection_context():
            inbox_database.create_tables(INBOX, safe=True)


def _beside(main: Database) -> Database:
    """SQLite: a file beside the main one; in memory or on PostgreSQL, the main database."""
    if isinstance(main, SqliteDatabase) and main.database not in ("", ":memory:"):
        return sqlite_database(f"{main.database}-inbox")
    return main


def ensure() -> None:
    """Create the inbox if it is missing, and move in what an older gateway left
    unhandled in ``inbound_message`` (it stored there; nothing else would handle it)."""
    inbox_database.create_tables(INBOX, safe=True)
    with database.atomic():
        left = database.execute_sql(UNHANDLED_SQL).fetchall()
        if not left:
            return
        fields = ("provider_id", "phone", "to", "text", "link_id", "network_code", "received_at")
        with inbox_database.atomic():
            rows = [dict(zip(fields, row, strict=True)) for row in left]
            WaitingSms.insert_many(rows).on_conflict_ignore().execute()
        database.execute_sql('DELETE FROM "inbound_message" WHERE "handled_at" IS NULL')
