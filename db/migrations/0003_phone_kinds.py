"""Which phones can read an SMS: a kind per household phone, a duty mobile per station."""

from peewee import CharField

from flows.phones import number_kind


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("household_phone", "kind", CharField(default="mobile")),
        migrator.add_column("commune", "health_station_mobile", CharField(null=True)),
    )
    rows = db.execute_sql("SELECT id, phone FROM household_phone").fetchall()
    landlines = [row_id for row_id, phone in rows if number_kind(phone) == "landline"]
    for start in range(0, len(landlines), 500):
        chunk = landlines[start : start + 500]
        marks = ", ".join([db.param] * len(chunk))
        db.execute_sql(f"UPDATE household_phone SET kind = 'landline' WHERE id IN ({marks})", chunk)
