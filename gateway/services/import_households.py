"""Households in bulk: each chunk of rows costs a handful of queries, not a few per row.

A chunk is planned first, from lookups loaded for the whole chunk (existing
households by code, the owners of every phone named, the members named), with
what earlier rows of the same file did kept in memory; then written with
``insert_many`` and a few updates in one transaction. A bad row is a planned
error, never an exception in the middle of a write, so it spoils nothing
around it. A dry run (the console's preview) plans and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from db.base import database, utcnow
from db.models import PHONE_KINDS, Household, HouseholdPhone, Member, Team
from flows.phones import LANDLINE, MOBILE
from flows.report import LANGUAGES
from gateway.services import import_cells as cells
from gateway.services.bulk import insert_rows, select_in
from gateway.services.import_chunks import ChunkedImport
from gateway.services.import_report import ImportReport, RowError, Unreachable
from gateway.services.import_scope import Scope

FIELDS = ("team", "member", "head_name", "village", "people", "phone_kind", "language")
"""The columns compared to tell an unchanged household from an updated one."""


@dataclass
class _Row:
    number: int
    commune_id: int
    code: str
    team: str
    values: dict[str, object]
    phones: dict[str, str]
    """Phone -> kind (mobile or landline), in the order written."""
    member_phone: str | None


class HouseholdImport(ChunkedImport[_Row]):
    def __init__(self, scope: Scope, report: ImportReport, region: str, dry_run: bool) -> None:
        super().__init__(scope, report, region, dry_run)
        self._owner: dict[str, tuple[int, str] | None] = {}
        """Phones this file gave out (commune id, household code) or took away (None)."""
        self._seen: dict[tuple[int, str], int] = {}
        self._members: dict[str, tuple[int, int]] = {}
        """Member phone -> (member id, commune id), for ``member_phone``."""

    def _cells(self, number: int, raw: dict[str, str]) -> _Row:
        commune = self.scope.commune(raw.get("commune_code", ""))
        cells.required(raw, "household_code", "head_name")
        code, team = raw["household_code"], raw.get("team", "")
        self.teams.check(team)
        if len(code) > 50 or len(raw["head_name"]) > 100:
            raise RowError("household_code or head_name is too long")
        values = {
            "head_name": raw["head_name"],
            "village": raw.get("village", "")[:100],
            "people": cells.people(raw.get("people", "")),
            "phone_kind": cells.choice(raw.get("phone_kind") or "basic", PHONE_KINDS, "phone_kind"),
            "language": cells.choice(raw.get("language") or "vi", LANGUAGES, "language"),
        }
        phones = cells.phones(raw.get("phones", ""), "phones", self.region)
        member_phone = None
        if raw.get("member_phone"):
            member_phone = cells.phone(raw["member_phone"], "member_phone", self.region)
        return _Row(number, commune.id, code, team, values, phones, member_phone)

    def _plan_and_write(self, rows: list[_Row]) -> None:
        existing = _existing(rows)
        current = _phones_of([household["id"] for household in existing.values()])
        owners = self._owners([phone for row in rows for phone in row.phones])
        self._load_members([row.member_phone for row in rows if row.member_phone])
        new: list[tuple[_Row, dict]] = []
        changed: list[tuple[int, dict]] = []
        drop: list[int] = []
        add: list[tuple[int, str, str]] = []
        for row in rows:
            try:
                values = self._check(row, owners)
            except RowError as error:
                self.report.errors.append(error.at(row.number))
                continue
            key = (row.commune_id, row.code)
            self._seen[key] = row.number
            for phone in row.phones:
                self._owner[phone] = key
            self._note_reachability(row)
            before = existing.get(key)
            if before is None:
                self.report.count("created")
                new.append((row, values))
                continue
            held = current.get(before["id"], {})
            gone = [phone for phone in held if phone not in row.phones]
            for phone in gone:
                self._owner[phone] = None
                drop.append(held[phone][0])
            fresh = [phone for phone in row.phones if phone not in held]
            stale = [p for p, kind in row.phones.items() if p in held and held[p][1] != kind]
            for phone in stale:
                drop.append(held[phone][0])
            add.extend((before["id"], phone, row.phones[phone]) for phone in fresh + stale)
            diff = {name: value for name, value in values.items() if before[name] != value}
            if diff:
                changed.append((before["id"], diff))
            self.report.count("updated" if diff or gone or fresh or stale else "unchanged")
        if not self.dry_run:
            _write(new, changed, drop, add)

    def _check(self, row: _Row, owners: dict[str, tuple[int, str]]) -> dict[str, object]:
        key = (row.commune_id, row.code)
        if key in self._seen:
            raise RowError(
                "household %(code)s is already on row %(row)d", code=row.code, row=self._seen[key]
            )
        for phone in row.phones:
            owner = self._owner[phone] if phone in self._owner else owners.get(phone)
            if owner is None or owner == key:
                continue
            if owner[0] != row.commune_id:
                raise self.scope.foreign_phone(phone, owner[0], f"household {owner[1]}")
            raise RowError(
                "phone %(phone)s already belongs to household %(code)s", phone=phone, code=owner[1]
            )
        member_id = None
        if row.member_phone:
            member = self._members.get(row.member_phone)
            if member is None or member[1] != row.commune_id:
                raise RowError(
                    "member_phone %(phone)s is not a member of this commune", phone=row.member_phone
                )
            member_id = member[0]
        team_id = self.teams.resolve(row.commune_id, row.team, row.number)
        return {**row.values, "team": team_id, "member": member_id}

    def _owners(self, phones: list[str]) -> dict[str, tuple[int, str]]:
        """Who holds each phone in the database: (commune id, household code)."""
        unknown = [phone for phone in phones if phone not in self._owner]
        rows = select_in(
            "SELECT p.phone, h.commune_id, h.code FROM household_phone p"
            " JOIN household h ON h.id = p.household_id WHERE p.phone IN ({marks})",
            unknown,
        )
        return {phone: (commune_id, code) for phone, commune_id, code in rows}

    def _load_members(self, phones: list[str]) -> None:
        wanted = list({phone for phone in phones if phone not in self._members})
        if not wanted:
            return
        query = (
            Member.select(Member.phone, Member.id, Team.commune)
            .join(Team)
            .where(Member.phone.in_(wanted))
            .tuples()
        )
        self._members.update(
            (phone, (member_id, commune_id)) for phone, member_id, commune_id in query
        )

    def _note_reachability(self, row: _Row) -> None:
        kinds = set(row.phones.values())
        if MOBILE not in kinds:
            why = LANDLINE if kinds else "none"
            self.report.unreachable.append(Unreachable(row.number, row.code, why))


def _by_commune(rows: Iterable[_Row]) -> dict[int, list[str]]:
    codes: dict[int, list[str]] = {}
    for row in rows:
        codes.setdefault(row.commune_id, []).append(row.code)
    return codes


def _existing(rows: list[_Row]) -> dict[tuple[int, str], dict]:
    found = {}
    for commune_id, codes in _by_commune(rows).items():
        query = (
            "SELECT id, code, team_id, member_id, head_name, village, people, phone_kind,"
            " language FROM household WHERE commune_id = {param} AND code IN ({marks})"
        )
        for values in select_in(query.replace("{param}", database.param), codes, commune_id):
            household = dict(zip(("id", "code", *FIELDS), values, strict=True))
            found[commune_id, household["code"]] = household
    return found


def _phones_of(household_ids: list[int]) -> dict[int, dict[str, tuple[int, str]]]:
    """Each household's phones: phone -> (row id, kind)."""
    held: dict[int, dict[str, tuple[int, str]]] = {}
    query = (
        "SELECT id, household_id, phone, kind FROM household_phone WHERE household_id IN ({marks})"
    )
    for phone_id, household_id, phone, kind in select_in(query, household_ids):
        held.setdefault(household_id, {})[phone] = (phone_id, kind)
    return held


def _write(
    new: list[tuple[_Row, dict]],
    changed: list[tuple[int, dict]],
    drop: list[int],
    add: list[tuple[int, str, str]],
) -> None:
    now = utcnow()
    if drop:
        HouseholdPhone.delete().where(HouseholdPhone.id.in_(drop)).execute()
    for household_id, diff in changed:
        Household.update(**diff, updated_at=now).where(Household.id == household_id).execute()
    records = [
        {
            **values,
            "commune": row.commune_id,
            "code": row.code,
            "created_at": now,
            "updated_at": now,
        }
        for row, values in new
    ]
    insert_rows(Household, records)
    ids = _ids_of(new)
    add = add + [
        (ids[row.commune_id, row.code], phone, kind)
        for row, _values in new
        for phone, kind in row.phones.items()
    ]
    phones = [{"household": owner, "phone": phone, "kind": kind} for owner, phone, kind in add]
    insert_rows(HouseholdPhone, phones)


def _ids_of(new: list[tuple[_Row, dict]]) -> dict[tuple[int, str], int]:
    ids = {}
    query = "SELECT id, code FROM household WHERE commune_id = {param} AND code IN ({marks})"
    query = query.replace("{param}", database.param)
    for commune_id, codes in _by_commune(row for row, _values in new if row.phones).items():
        for household_id, code in select_in(query, codes, commune_id):
            ids[commune_id, code] = household_id
    return ids
