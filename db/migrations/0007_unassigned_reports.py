"""Strangers' reports with no commune yet (unassigned), and communes' districts.

A province runs one USSD code for many communes: a caller picks district then
commune, and a report whose commune cannot be found is still stored, with no
commune, for district staff (``case.service_code`` says which code it came in on).
Declarations lose an index that another one covers: each is one more page to
write on the hot path of every USSD and SMS declaration.
"""

from peewee import CharField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("commune", "district", CharField(null=True)),
        migrator.add_column("case", "service_code", CharField(null=True)),
        migrator.drop_not_null("case", "commune_id"),
        migrator.drop_not_null("declaration", "commune_id"),
        # Covered by (commune_id, local_date, is_current); one page less per declaration.
        migrator.drop_index("declaration", "declaration_commune_id"),
    )
