"""Which commune a row may write to, and its teams, looked up once per file.

A commune's staff import into their own commune only (the console passes that
commune as the scope): a row naming another commune is refused, and a phone
that belongs to another commune is refused with a message that names nothing
of it, so an import cannot be used to learn who holds a number elsewhere.

The operator's ``gateway import`` has no scope: it may name any commune in its
rows, and its messages may name the other commune's row (the operator sees
every commune). It does not move rows across communes either: a phone already
registered in one commune has to be removed there first. A silent move would
take a member out of another commune's ladder, or a household out of its
team's list, without that commune's staff ever seeing it happen.
"""

from __future__ import annotations

from collections.abc import Callable

from db.models import Commune, Team
from gateway.services.import_cells import plain
from gateway.services.import_report import Problem, RowError

ELSEWHERE = "this phone is registered elsewhere; ask the district"


class Scope:
    """The communes rows may write to: one (console), or any that exists (CLI)."""

    def __init__(self, commune: Commune | None) -> None:
        self.only = commune
        self._by_code: dict[str, Commune | None] = {}
        self.touched: dict[int, Commune] = {}
        if commune is not None:
            self._by_code[commune.code] = commune

    def commune(self, code: str) -> Commune:
        if self.only is not None:
            if code not in ("", self.only.code):
                raise RowError("this row is for another commune")
            code = self.only.code
        if not code:
            raise RowError("%(columns)s must not be empty", columns="commune_code")
        if code not in self._by_code:
            self._by_code[code] = Commune.get_or_none(Commune.code == code)
        commune = self._by_code[code]
        if commune is None:
            raise RowError(
                "commune '%(code)s' does not exist (import the communes first)", code=code
            )
        self.touched[commune.id] = commune
        return commune

    def foreign_phone(self, phone: str, commune_id: int, what: str) -> RowError:
        """The error for ``phone``, held by ``what`` (a household code or member name)
        in the commune ``commune_id``, which is not the row's commune."""
        if self.only is not None:
            return RowError(ELSEWHERE)
        code = Commune.select(Commune.code).where(Commune.id == commune_id).scalar()
        return RowError(
            "phone %(phone)s belongs to %(what)s in commune %(commune)s; remove it there first",
            phone=phone,
            what=what,
            commune=code,
        )

    def duty_mobile_warnings(self) -> list[Problem]:
        return [
            Problem(
                0,
                "commune %(code)s has no duty mobile (health_station_mobile):"
                " its health station's alerts cannot be sent by SMS",
                {"code": commune.code},
            )
            for commune in Commune.select().where(
                Commune.id.in_(list(self.touched)), Commune.health_station_mobile.is_null()
            )
        ]


class Teams:
    """Each commune's teams, loaded on first use; new teams created when a row needs one.

    A name that differs from an existing team only by case is that team; one that
    differs only by accents ("Thôn Đông" beside "Thon Dong") becomes a new team,
    and both are flagged, since either may be a typing slip.
    """

    def __init__(self, *, dry_run: bool, warn: Callable[[Problem], None]) -> None:
        self.dry_run = dry_run
        self.warn = warn
        self._ids: dict[tuple[int, str], int] = {}
        self._names: dict[tuple[int, str], str] = {}
        self._plain: dict[tuple[int, str], str] = {}
        self._loaded: set[int] = set()
        self._flagged: set[tuple[int, str]] = set()

    def _load(self, commune_id: int) -> None:
        if commune_id in self._loaded:
            return
        self._loaded.add(commune_id)
        for team_id, name in (
            Team.select(Team.id, Team.name).where(Team.commune == commune_id).tuples()
        ):
            self._remember(commune_id, name, team_id)

    def _remember(self, commune_id: int, name: str, team_id: int) -> None:
        self._ids[commune_id, name.casefold()] = team_id
        self._names[commune_id, name.casefold()] = name
        self._plain.setdefault((commune_id, plain(name)), name)

    def check(self, name: str) -> None:
        if not name:
            raise RowError("%(columns)s must not be empty", columns="team")
        if len(name) > 100:
            raise RowError("team name is longer than %(n)d characters", n=100)

    def resolve(self, commune_id: int, name: str, row: int) -> int:
        """The team's id, creating it unless this is a dry run (then a stand-in id)."""
        self._load(commune_id)
        key = (commune_id, name.casefold())
        existing = self._names.get(key)
        if existing is not None:
            if existing != name:
                self._flag(
                    row,
                    commune_id,
                    name,
                    existing,
                    "team '%(name)s' is taken as the"
                    " existing team '%(existing)s' (only the case differs)",
                )
            return self._ids[key]
        lookalike = self._plain.get((commune_id, plain(name)))
        if lookalike is not None:
            self._flag(
                row,
                commune_id,
                name,
                lookalike,
                "team '%(name)s' will be a new team"
                " beside '%(existing)s' (only accents or case differ): check the spelling",
            )
        team_id = -len(self._ids) - 1
        if not self.dry_run:
            team_id = Team.insert(commune=commune_id, name=name).execute()
        self._remember(commune_id, name, team_id)
        return team_id

    def _flag(self, row: int, commune_id: int, name: str, existing: str, message: str) -> None:
        if (commune_id, name) in self._flagged:
            return
        self._flagged.add((commune_id, name))
        self.warn(Problem(row, message, {"name": name, "existing": existing}))
