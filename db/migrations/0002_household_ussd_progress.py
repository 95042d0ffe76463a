"""When a household's USSD session last saved progress to resume (see ``ussd_sessions``)."""

from peewee import DateTimeField


def up(migrator, db):
    migrator.migrate(migrator.add_column("household", "ussd_progress_at", DateTimeField(null=True)))
