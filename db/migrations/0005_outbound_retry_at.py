"""A message the provider could not take waits out its backoff in the outbox row."""

from peewee import DateTimeField


def up(migrator, db):
    migrator.migrate(migrator.add_column("outbound_message", "retry_at", DateTimeField(null=True)))
