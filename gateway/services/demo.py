"""A demo commune for development, training and ``make run``.

It is built by the same importer staff use, so the demo also shows what an
import file looks like.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from gateway.services.importer import Importer, ImportReport
from gateway.services.staff import create_staff

COMMUNE = "DEMO"
TEAMS = ("Thon Dong", "Thon Doai", "Thon Trung")
SURNAMES = ("Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui", "Do", "Ngo")
GIVEN = ("Van An", "Thi Binh", "Van Cuong", "Thi Dung", "Van Hai", "Thi Lan", "Van Minh")
HOUSEHOLDS_PER_TEAM = 20
ROLES = ("leader", "deputy", "health", "member")


@dataclass
class Demo:
    reports: list[ImportReport]
    username: str
    password: str


def _name(i: int) -> str:
    return f"{SURNAMES[i % len(SURNAMES)]} {GIVEN[i % len(GIVEN)]}"


_PHONE_KINDS = {8: "landline", 9: "none"}
"""Every tenth household has no phone and the one before it a landline only: their
member calls or visits them, and the console shows they get no SMS."""


def _phones(number: int, h: int) -> str:
    kind = _PHONE_KINDS.get(h % 10)
    if kind == "none":
        return ""
    return f"0204 3123 {number:03d}" if kind == "landline" else f"091 200 {number:04d}"


def rows() -> dict[str, list[dict[str, str]]]:
    """The demo as import rows: one commune, three teams, 60 households."""
    communes = [
        {
            "commune_code": COMMUNE,
            "commune_name": "Xa An Binh (demo)",
            "health_station_phone": "0220 3123 456",
            "health_station_mobile": "0977 000 115",
            "escalation_minutes": "15",
        }
    ]
    members, households = [], []
    for t, team in enumerate(TEAMS):
        for m, role in enumerate(ROLES):
            members.append(
                {
                    "commune_code": COMMUNE,
                    "team": team,
                    "name": _name(t * 7 + m + 3),
                    "phone": f"098 800 {t}{m:03d}",
                    "role": role,
                    "group": "Nhom A" if m < 2 else "Nhom B",
                    "group_leader": "yes" if m in (1, 2) else "no",
                }
            )
        for h in range(HOUSEHOLDS_PER_TEAM):
            number = t * HOUSEHOLDS_PER_TEAM + h + 1
            households.append(
                {
                    "commune_code": COMMUNE,
                    "team": team,
                    "household_code": f"AB{number:03d}",
                    "head_name": _name(number),
                    "village": team,
                    "phones": _phones(number, h),
                    "people": str(2 + number % 4),
                    "phone_kind": _PHONE_KINDS.get(h % 10, "basic"),
                    "language": "en" if h == 5 else "vi",
                    "member_phone": f"098 800 {t}{(h % 3) + 1:03d}",
                }
            )
    return {"communes": communes, "members": members, "households": households}


def load_demo(username: str = "admin", password: str | None = None) -> Demo:
    """Load (or refresh) the demo and reset the demo login's password."""
    reports = []
    for kind, kind_rows in rows().items():
        reports.append(Importer(kind).run(enumerate(kind_rows, start=2)))
    password = password or secrets.token_urlsafe(9)
    create_staff(username, password, [COMMUNE], "admin")
    return Demo(reports, username, password)
