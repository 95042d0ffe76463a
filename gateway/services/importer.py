"""``gateway import``: communes, members and households from staff spreadsheets.

Rows are taken in chunks; each chunk is planned from lookups loaded for the
whole chunk and written in one transaction (see
:mod:`gateway.services.import_households`), so 100,000 households cost a few
hundred statements, not a few per row. A bad row is reported with its number
and reason and spoils nothing around it. Every write is an upsert by a natural
key (commune code, member phone, household code), so importing the same file
twice changes nothing the second time.

``scope`` keeps an import inside one commune (the console: see
:mod:`gateway.services.import_scope`); ``dry_run`` plans every row and writes
nothing (the console's preview), with the same counts and errors the real
import will have.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from itertools import islice
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from db.base import database
from db.models import Commune
from flows.phones import MOBILE, number_kind
from gateway.services import import_cells as cells
from gateway.services.import_households import HouseholdImport
from gateway.services.import_members import MemberImport
from gateway.services.import_report import ImportReport, Problem, RowError
from gateway.services.import_scope import Scope
from gateway.services.reminders import seed_default_schedules

KINDS = {
    "communes": ("commune_code", "commune_name", "health_station_phone"),
    "members": ("commune_code", "team", "name", "phone"),
    "households": ("commune_code", "team", "household_code", "head_name"),
}
"""Required columns of each kind (SPEC §3); the header tells the kind."""

CHUNK = 2000
"""Rows planned and written together, in one transaction."""

Progress = Callable[[int], object]
"""Told how many more rows are done, after each chunk is committed."""

__all__ = ["CHUNK", "KINDS", "ImportReport", "Importer", "Problem", "RowError", "detect_kind"]


def detect_kind(header: Iterable[str]) -> str:
    """The kind whose required columns the header has (households before members)."""
    columns = set(header)
    for kind in ("households", "communes", "members"):
        if set(KINDS[kind]) <= columns:
            return kind
    raise RowError(
        "the header row matches no kind of file; required columns: %(columns)s",
        columns="; ".join(f"{kind}: {', '.join(cols)}" for kind, cols in KINDS.items()),
    )


class Importer:
    """Imports the rows of one kind of file."""

    def __init__(
        self,
        kind: str,
        region: str = "VN",
        *,
        scope: Commune | None = None,
        dry_run: bool = False,
    ) -> None:
        self.kind = kind
        self.region = region
        self.dry_run = dry_run
        self.scope = Scope(scope)
        self.report = ImportReport(kind)
        if kind == "households":
            self._chunk = HouseholdImport(self.scope, self.report, region, dry_run).chunk
        elif kind == "members":
            self._chunk = MemberImport(self.scope, self.report, region, dry_run).chunk
        elif kind == "communes" and scope is None:
            self._chunk = self._communes
        else:
            raise ValueError(f"a commune's import cannot hold {kind}")

    def run(
        self, rows: Iterable[tuple[int, dict[str, str]]], progress: Progress | None = None
    ) -> ImportReport:
        items = iter(rows)
        while chunk := list(islice(items, CHUNK)):
            done = self._chunk(chunk)
            if progress is not None:
                progress(done)
        self.report.errors.sort(key=lambda problem: problem.row)
        if self.kind != "communes":
            self.report.warnings.extend(self.scope.duty_mobile_warnings())
        return self.report

    def _communes(self, chunk: list[tuple[int, dict[str, str]]]) -> int:
        for number, row in chunk:
            try:
                with database.atomic():
                    self.report.count(self._commune(number, row))
            except RowError as error:
                self.report.errors.append(error.at(number))
        return len(chunk)

    def _commune(self, number: int, row: dict[str, str]) -> str:
        cells.required(row, "commune_code", "commune_name")
        code, name = row["commune_code"], row["commune_name"]
        timezone = row.get("timezone") or "Asia/Ho_Chi_Minh"
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise RowError("timezone '%(value)s' is not a known time zone", value=timezone) from exc
        minutes = row.get("escalation_minutes") or "15"
        try:
            seconds = round(Decimal(minutes.replace(",", ".")) * 60)
        except (InvalidOperation, ValueError) as exc:
            raise RowError("escalation_minutes '%(value)s' is not a number", value=minutes) from exc
        if not 0 < seconds <= 24 * 3600:
            raise RowError(
                "escalation_minutes '%(value)s' must be between 0 and 1440", value=minutes
            )
        mobile = None
        if row.get("health_station_mobile"):
            mobile = cells.phone(row["health_station_mobile"], "health_station_mobile", self.region)
            if number_kind(mobile) != MOBILE:
                raise RowError(
                    "health_station_mobile %(phone)s is a landline: give the station's duty mobile",
                    phone=mobile,
                )
        else:
            self.report.warnings.append(
                Problem(
                    number,
                    "commune %(code)s has no duty mobile (health_station_mobile):"
                    " its health station's alerts cannot be sent by SMS",
                    {"code": code},
                )
            )
        values = {
            "code": code,
            "name": name,
            "health_station_phone": cells.phone(
                row["health_station_phone"], "health_station_phone", self.region
            ),
            "health_station_mobile": mobile,
            "timezone": timezone,
            "escalation_seconds": seconds,
        }
        # Optional columns: a file without them leaves what staff set elsewhere.
        for column in ("district", "ussd_code"):
            if row.get(column):
                values[column] = row[column]
        existing = Commune.get_or_none(Commune.code == code)
        if existing is None:
            if not self.dry_run:
                seed_default_schedules(Commune.create(**values))
            return "created"
        diff = {key: value for key, value in values.items() if existing.__data__.get(key) != value}
        if diff and not self.dry_run:
            Commune.update(**diff).where(Commune.id == existing.id).execute()
        return "updated" if diff else "unchanged"
