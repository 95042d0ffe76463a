"""Running for a province: a monthly SMS budget per commune, the audit trail, and the
daily counts kept when old declarations are purged."""

from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column("commune", "sms_budget_segments", IntegerField(null=True)))

    class Commune(Model):
        class Meta:
            database = db
            table_name = "commune"

    class StaffUser(Model):
        class Meta:
            database = db
            table_name = "staff_user"

    class Team(Model):
        class Meta:
            database = db
            table_name = "team"

    class AuditEntry(Model):
        at = DateTimeField()
        staff = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")
        username = CharField()
        commune = ForeignKeyField(Commune, null=True, on_delete="CASCADE")
        action = CharField()
        detail = TextField(default="")
        address = CharField(default="")

        class Meta:
            database = db
            table_name = "audit_entry"
            indexes = ((("commune", "at"), False),)

    class DailyTeamCount(Model):
        team = ForeignKeyField(Team, on_delete="CASCADE")
        local_date = DateField()
        counts = TextField()
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "daily_team_count"
            indexes = ((("team", "local_date"), True),)

    db.create_tables([AuditEntry, DailyTeamCount])
