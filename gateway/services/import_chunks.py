"""One kind of import row, read and written a chunk at a time.

Every kind reads each row's cells first (a bad row is reported by its number
and left out), then plans and writes the chunk's good rows together in one
transaction: a few look-ups and multi-row INSERTs per chunk, not queries per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext
from typing import Generic, TypeVar

from db.base import database
from gateway.services.import_report import ImportReport, RowError
from gateway.services.import_scope import Scope, Teams

Row = TypeVar("Row")


class ChunkedImport(Generic[Row]):
    """What households' and members' imports share; each says how to read and write."""

    def __init__(self, scope: Scope, report: ImportReport, region: str, dry_run: bool) -> None:
        self.scope = scope
        self.report = report
        self.region = region
        self.dry_run = dry_run
        self.teams = Teams(dry_run=dry_run, warn=report.warnings.append)

    def chunk(self, items: Iterable[tuple[int, dict[str, str]]]) -> int:
        """Plan and write one chunk; returns how many rows it had."""
        rows, count = [], 0
        for number, raw in items:
            count += 1
            try:
                rows.append(self._cells(number, raw))
            except RowError as error:
                self.report.errors.append(error.at(number))
        if rows:
            with nullcontext() if self.dry_run else database.atomic():
                self._plan_and_write(rows)
        return count

    def _cells(self, number: int, raw: dict[str, str]) -> Row:
        """The row's cells read and checked; raises :class:`RowError`."""
        raise NotImplementedError

    def _plan_and_write(self, rows: list[Row]) -> None:
        """Look up what the chunk's rows name, then write them together."""
        raise NotImplementedError
