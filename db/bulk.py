"""Many rows in one statement: the inbox writes a batch's rows together.

Peewee's ``insert_many`` builds its SQL through the query builder, which costs
more than SQLite takes to run it; here the statement is written out once per
shape, values go through each field's ``db_value`` (as the models would store
them), and ``RETURNING`` hands back what the caller needs to match its rows
(SQLite 3.35 and PostgreSQL both have it). Rows come back in no promised
order, so the caller asks for a column that tells them apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from db.base import BaseModel, database

MAX_PARAMETERS = 30_000
"""Below SQLite's default limit of 32,766 bound parameters per statement."""


def insert_rows(
    model: type[BaseModel],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    returning: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """Insert ``rows`` (values in the order of ``columns``, as Python values); what
    ``returning`` names for each inserted row, in no particular order."""
    if not rows:
        return []
    fields = [model._meta.fields[name] for name in columns]
    table = model._meta.table_name
    names = ", ".join(f'"{field.column_name}"' for field in fields)
    marks = "(" + ", ".join([database.param] * len(fields)) + ")"
    back = ", ".join(f'"{model._meta.fields[name].column_name}"' for name in returning)
    per_statement = max(1, MAX_PARAMETERS // len(fields))
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        sql = f'INSERT INTO "{table}" ({names}) VALUES ' + ", ".join([marks] * len(chunk))
        if back:
            sql += f" RETURNING {back}"
        values = [
            field.db_value(value) for row in chunk for field, value in zip(fields, row, strict=True)
        ]
        cursor = database.execute_sql(sql, values)
        if back:
            found.extend(tuple(row) for row in cursor.fetchall())
    return found
