"""A session version per staff user, so logging out ends every copy of the cookie."""

from peewee import IntegerField


def up(migrator, db):
    migrator.migrate(migrator.add_column("staff_user", "session_version", IntegerField(default=0)))
