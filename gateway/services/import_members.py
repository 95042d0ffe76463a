"""Members in chunks: the members a chunk names are loaded at once, new ones inserted together.

A member is known by their phone across every commune (it is how the gateway
recognises them), so a row carrying the phone of another commune's member is
refused: moving them would take them off that commune's ladder.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.models import MEMBER_ROLES, Group, Member, Team
from gateway.services import import_cells as cells
from gateway.services.bulk import insert_rows
from gateway.services.import_chunks import ChunkedImport
from gateway.services.import_report import ImportReport, RowError
from gateway.services.import_scope import Scope


@dataclass
class _Row:
    number: int
    commune_id: int
    phone: str
    team: str
    group: str
    values: dict[str, object]


class MemberImport(ChunkedImport[_Row]):
    def __init__(self, scope: Scope, report: ImportReport, region: str, dry_run: bool) -> None:
        super().__init__(scope, report, region, dry_run)
        self._groups: dict[tuple[int, str], int] = {}
        self._seen: dict[str, int] = {}

    def _cells(self, number: int, raw: dict[str, str]) -> _Row:
        commune = self.scope.commune(raw.get("commune_code", ""))
        cells.required(raw, "name")
        self.teams.check(raw.get("team", ""))
        role = (raw.get("role") or "member").lower()
        if role not in MEMBER_ROLES:
            raise RowError(
                "%(column)s '%(value)s' is not one of %(allowed)s",
                column="role",
                value=role,
                allowed=", ".join(MEMBER_ROLES),
            )
        values = {
            "name": raw["name"][:100],
            "role": role,
            "group_leader": cells.yes_no(raw.get("group_leader", ""), "group_leader"),
        }
        phone = cells.phone(raw.get("phone", ""), "phone", self.region)
        return _Row(number, commune.id, phone, raw["team"], raw.get("group", "")[:100], values)

    def _plan_and_write(self, rows: list[_Row]) -> None:
        existing = {
            member["phone"]: member
            for member in Member.select(
                Member.id, Member.phone, Member.team, Member.group, Member.name, Member.role,
                Member.group_leader, Team.commune,
            ).join(Team).where(Member.phone.in_([row.phone for row in rows])).dicts()
        }  # fmt: skip
        new: list[dict] = []
        for row in rows:
            before = existing.get(row.phone)
            try:
                if row.phone in self._seen:
                    raise RowError(
                        "phone %(phone)s is already on row %(row)d",
                        phone=row.phone,
                        row=self._seen[row.phone],
                    )
                if before is not None and before["commune"] != row.commune_id:
                    raise self.scope.foreign_phone(row.phone, before["commune"], before["name"])
            except RowError as error:
                self.report.errors.append(error.at(row.number))
                continue
            self._seen[row.phone] = row.number
            team_id = self.teams.resolve(row.commune_id, row.team, row.number)
            values = {**row.values, "team": team_id, "group": self._group(team_id, row.group)}
            if before is None:
                self.report.count("created")
                new.append({**values, "phone": row.phone})
                continue
            diff = {name: value for name, value in values.items() if before[name] != value}
            self.report.count("updated" if diff else "unchanged")
            if diff and not self.dry_run:
                Member.update(**diff).where(Member.id == before["id"]).execute()
        if new and not self.dry_run:
            insert_rows(Member, new)

    def _group(self, team_id: int, name: str) -> int | None:
        if not name:
            return None
        key = (team_id, name)
        if key not in self._groups:
            found = None
            if team_id > 0:
                found = Group.get_or_none(Group.team == team_id, Group.name == name)
            if found is not None:
                self._groups[key] = found.id
            elif self.dry_run:
                self._groups[key] = -len(self._groups) - 1
            else:
                self._groups[key] = Group.insert(team=team_id, name=name).execute()
        return self._groups[key]
