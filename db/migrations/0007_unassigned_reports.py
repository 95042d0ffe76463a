"""Strangers' reports with no commune yet (unassigned), and communes' districts.

A province runs one USSD code for many communes: a caller picks district then
commune, and a report whose commune cannot be found is still stored, with no
commune, for district staff (``case.service_code`` says which code it came in on).
"""

from peewee import CharField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("commune", "district", CharField(null=True)),
        migrator.add_column("case", "service_code", CharField(null=True)),
        migrator.drop_not_null("case", "commune_id"),
        migrator.drop_not_null("declaration", "commune_id"),
    )
