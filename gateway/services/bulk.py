"""Many rows in one INSERT, without peewee's per-value query building.

peewee builds an ``insert_many`` as a tree of nodes, one per value, which costs
more than the database's own work for a 100,000-row import. Here each batch
is one plain multi-row ``INSERT`` with bound parameters, every column filled
(the model's Python-side defaults included, since the tables have no SQL
defaults). Values go to the driver as they are: ids rather than model
instances, and the plain types (str, int, bool, datetime) both drivers take.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peewee import Model

from db.base import database

BATCH = 400
"""Rows per statement: well under SQLite's limit on bound parameters."""


def insert_rows(
    model: type[Model], records: Sequence[dict[str, Any]], returning: Sequence[str] = ()
) -> list[tuple]:
    """Insert ``records`` (field name -> value; missing fields take their default); the
    fields ``returning`` names of each inserted row, in no promised order (so name one
    that tells them apart). SQLite 3.35 and PostgreSQL both have ``RETURNING``."""
    fields = [field for field in model._meta.sorted_fields if field.name != "id"]
    defaults = {field.name: field.default for field in fields}
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    marks = "(" + ", ".join([database.param] * len(fields)) + ")"
    table = model._meta.table_name
    back = ", ".join(f'"{model._meta.fields[name].column_name}"' for name in returning)
    found: list[tuple] = []
    for start in range(0, len(records), BATCH):
        batch = records[start : start + BATCH]
        values = []
        for record in batch:
            for field in fields:
                value = record[field.name] if field.name in record else defaults[field.name]
                values.append(value() if callable(value) else value)
        sql = f'INSERT INTO "{table}" ({columns}) VALUES ' + ", ".join([marks] * len(batch))
        if back:
            found.extend(database.execute_sql(f"{sql} RETURNING {back}", values).fetchall())
        else:
            database.execute_sql(sql, values)
    return found


IN_BATCH = 900
"""Values per ``IN (...)`` list: under SQLite's oldest limit of 999 parameters."""


def select_in(sql: str, values: Sequence[Any], *before: Any) -> list[tuple]:
    """Run ``sql`` (with one ``IN ({marks})`` and ``before`` parameters ahead of it)
    over ``values`` in batches; the rows of every batch, as tuples.

    Written as plain SQL for the same reason as :func:`insert_rows`: the lookups
    of a chunk of 2,000 rows name thousands of values.
    """
    rows: list[tuple] = []
    for start in range(0, len(values), IN_BATCH):
        batch = list(values[start : start + IN_BATCH])
        marks = ", ".join([database.param] * len(batch))
        rows.extend(database.execute_sql(sql.format(marks=marks), [*before, *batch]).fetchall())
    return rows
