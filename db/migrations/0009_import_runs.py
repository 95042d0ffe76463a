"""Console imports run in the background: one row per uploaded file (``ImportRun``)."""

from peewee import (
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def up(migrator, db):
    class Commune(Model):
        class Meta:
            database = db
            table_name = "commune"

    class StaffUser(Model):
        class Meta:
            database = db
            table_name = "staff_user"

    class ImportRun(Model):
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
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "import_run"

    db.create_tables([ImportRun])
