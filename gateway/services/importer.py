"""``gateway import``: communes, members and households from staff spreadsheets.

Each row is checked and written on its own (a savepoint), so one bad row never
spoils its neighbours, and every write is an upsert by a natural key (commune
code, member phone, household code), so importing the same file twice changes
nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from db.base import database, utcnow
from db.models import (
    MEMBER_ROLES,
    PHONE_KINDS,
    Commune,
    Group,
    Household,
    HouseholdPhone,
    Member,
    Team,
)
from flows.phones import InvalidPhone, number_kind, to_e164
from flows.report import LANGUAGES
from gateway.services.reminders import seed_default_schedules

KINDS = {
    "communes": ("commune_code", "commune_name", "health_station_phone"),
    "members": ("commune_code", "team", "name", "phone"),
    "households": ("commune_code", "team", "household_code", "head_name"),
}
"""Required columns of each kind (SPEC §3); the header tells the kind."""

BATCH = 500
"""Rows per transaction: few commits for speed, savepoints keep rows apart."""

YES = {"yes", "y", "true", "1", "x", "co", "có"}
NO = {"", "no", "n", "false", "0", "khong", "không"}


class RowError(ValueError):
    """Why a row was not imported, in words a commune officer understands."""


@dataclass
class ImportReport:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def detect_kind(header: Iterable[str]) -> str:
    """The kind whose required columns the header has (households before members)."""
    columns = set(header)
    for kind in ("households", "communes", "members"):
        if set(KINDS[kind]) <= columns:
            return kind
    raise RowError(
        "the header row matches no kind of file; required columns: "
        + "; ".join(f"{kind}: {', '.join(cols)}" for kind, cols in KINDS.items())
    )


class Importer:
    """Imports rows of one kind, caching lookups so a 5,000-row file stays fast."""

    def __init__(self, kind: str, region: str = "VN") -> None:
        self.kind = kind
        self.region = region
        self.report = ImportReport(kind)
        self._communes: dict[str, Commune] = {}
        self._teams: dict[tuple[int, str], Team] = {}
        self._row: Callable[[dict[str, str]], str] = getattr(self, f"_import_{kind}")

    def run(self, rows: Iterable[tuple[int, dict[str, str]]], progress=None) -> ImportReport:
        batch: list[tuple[int, dict[str, str]]] = []
        for item in rows:
            batch.append(item)
            if len(batch) >= BATCH:
                self._write(batch, progress)
                batch = []
        self._write(batch, progress)
        return self.report

    def _write(self, batch: list[tuple[int, dict[str, str]]], progress) -> None:
        with database.atomic():
            for number, row in batch:
                try:
                    with database.atomic():
                        outcome = self._row(row)
                except RowError as exc:
                    self.report.errors.append((number, str(exc)))
                    # The savepoint undid any team this row created: forget them all.
                    self._teams.clear()
                else:
                    setattr(self.report, outcome, getattr(self.report, outcome) + 1)
                if progress is not None:
                    progress.update(1)

    def _phone(self, raw: str, column: str) -> str:
        try:
            return to_e164(raw, self.region)
        except InvalidPhone as exc:
            raise RowError(f"{column} {raw!r}: {exc.reason}") from exc

    def _commune(self, code: str) -> Commune:
        if not code:
            raise RowError("commune_code is empty")
        if code not in self._communes:
            commune = Commune.get_or_none(Commune.code == code)
            if commune is None:
                raise RowError(f"commune {code!r} does not exist (import the communes first)")
            self._communes[code] = commune
        return self._communes[code]

    def _team(self, commune: Commune, name: str) -> Team:
        if not name:
            raise RowError("team is empty")
        key = (commune.id, name.casefold())
        if key not in self._teams:
            team = Team.get_or_none(Team.commune == commune, Team.name == name)
            self._teams[key] = team or Team.create(commune=commune, name=name)
        return self._teams[key]

    def _import_communes(self, row: dict[str, str]) -> str:
        code, name = row["commune_code"], row["commune_name"]
        if not code or not name:
            raise RowError("commune_code and commune_name are required")
        timezone = row.get("timezone") or "Asia/Ho_Chi_Minh"
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise RowError(f"timezone {timezone!r} is not a known time zone") from exc
        minutes = row.get("escalation_minutes") or "15"
        try:
            seconds = round(Decimal(minutes.replace(",", ".")) * 60)
        except InvalidOperation as exc:
            raise RowError(f"escalation_minutes {minutes!r} is not a number") from exc
        if not 0 < seconds <= 24 * 3600:
            raise RowError(f"escalation_minutes {minutes!r} must be between 0 and 1440")
        values = {
            "name": name,
            "health_station_phone": self._phone(
                row["health_station_phone"], "health_station_phone"
            ),
            "timezone": timezone,
            "escalation_seconds": seconds,
        }
        # Optional columns: a file without them leaves what staff set elsewhere.
        for column in ("district", "ussd_code"):
            if row.get(column):
                values[column] = row[column]
        outcome, commune = _upsert(Commune, Commune.code == code, {"code": code, **values})
        if outcome == "created":
            seed_default_schedules(commune)
        return outcome

    def _import_members(self, row: dict[str, str]) -> str:
        commune = self._commune(row["commune_code"])
        team = self._team(commune, row["team"])
        if not row["name"]:
            raise RowError("name is empty")
        role = (row.get("role") or "member").lower()
        if role not in MEMBER_ROLES:
            raise RowError(f"role {role!r} is not one of {', '.join(MEMBER_ROLES)}")
        group_leader = _yes_no(row.get("group_leader", ""), "group_leader")
        group = None
        if row.get("group"):
            group, _ = Group.get_or_create(team=team, name=row["group"])
        phone = self._phone(row["phone"], "phone")
        values = {
            "team": team.id,
            "group": group.id if group else None,
            "name": row["name"],
            "role": role,
            "group_leader": group_leader,
            "phone": phone,
        }
        return _upsert(Member, Member.phone == phone, values)[0]

    def _import_households(self, row: dict[str, str]) -> str:
        commune = self._commune(row["commune_code"])
        code, head = row["household_code"], row["head_name"]
        if not code or not head:
            raise RowError("household_code and head_name are required")
        phones = [
            self._phone(p.strip(), "phones") for p in row.get("phones", "").split(";") if p.strip()
        ]
        member = None
        if row.get("member_phone"):
            member_phone = self._phone(row["member_phone"], "member_phone")
            member = (
                Member.select(Member.id)
                .join(Team)
                .where(Member.phone == member_phone, Team.commune == commune)
                .first()
            )
            if member is None:
                raise RowError(f"member_phone {member_phone} is not a member of {commune.code}")
        values = {
            "commune": commune.id,
            "team": self._team(commune, row["team"]).id,
            "code": code,
            "head_name": head,
            "village": row.get("village", ""),
            "people": _people(row.get("people", "")),
            "phone_kind": _choice(row.get("phone_kind") or "basic", PHONE_KINDS, "phone_kind"),
            "language": _choice(row.get("language") or "vi", LANGUAGES, "language"),
            "member": member.id if member else None,
        }
        where = (Household.commune == commune) & (Household.code == code)
        outcome, household = _upsert(Household, where, values)
        phones_changed = _set_phones(household, phones)
        return "updated" if phones_changed and outcome == "unchanged" else outcome


def _upsert(model, where, values: dict) -> tuple[str, object]:
    """Create, update or leave alone the row matching ``where``; say which.

    Foreign keys are compared by id (``__data__`` holds ids, not instances), so
    checking a row costs one query and no joins.
    """
    existing = model.get_or_none(where)
    if existing is None:
        return "created", model.create(**values)
    changed = {
        name: value for name, value in values.items() if existing.__data__.get(name) != value
    }
    if not changed:
        return "unchanged", existing
    if "updated_at" in model._meta.fields:
        changed["updated_at"] = utcnow()
    model.update(**changed).where(model.id == existing.id).execute()
    return "updated", existing


def _set_phones(household: Household, phones: list[str]) -> bool:
    """Make the household's phones exactly ``phones``; refuse a phone owned elsewhere."""
    current = {p.phone for p in household.phones}
    if set(phones) == current:
        return False
    owners = {
        p.phone: p.household_id
        for p in HouseholdPhone.select().where(HouseholdPhone.phone.in_(phones))
    }
    for phone, owner in owners.items():
        if owner != household.id:
            code = Household.get_by_id(owner).code
            raise RowError(f"phone {phone} already belongs to household {code}")
    HouseholdPhone.delete().where(
        HouseholdPhone.household == household, HouseholdPhone.phone.not_in(phones)
    ).execute()
    for phone in set(phones) - current:
        HouseholdPhone.create(household=household, phone=phone, kind=number_kind(phone))
    return True


def _people(raw: str) -> int:
    if not raw:
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= 99:
        raise RowError(f"people {raw!r} must be a whole number from 1 to 99")
    return int(raw)


def _choice(raw: str, allowed: tuple[str, ...], column: str) -> str:
    value = raw.strip().lower()
    if value not in allowed:
        raise RowError(f"{column} {raw!r} is not one of {', '.join(allowed)}")
    return value


def _yes_no(raw: str, column: str) -> bool:
    value = raw.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise RowError(f"{column} {raw!r} must be yes or no")
