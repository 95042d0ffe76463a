"""What the web layer loads about a caller before stepping the menu.

Everything a screen may show comes in here, so stepping stays pure: the same
answers and the same context always give the same screen, in any process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Context:
    """The caller as the database knows them at this call.

    ``resumable`` must be the answers saved by an earlier session of this
    phone (dropped less than 10 minutes ago), and stay the same on every call
    of the new session: the answers of the current session are replayed from
    ``text``, so loading them here too would count them twice.
    """

    caller: Literal["household", "member", "unknown"]
    language: str = "vi"  # "vi", "vi-accents" (shown as "vi" here) or "en"
    household_name: str | None = None  # the head's name, for the greeting
    team_phones: tuple[tuple[str, str], ...] = ()  # (label, phone), for menu 6
    member_name: str | None = None  # the assigned member, named in confirmations
    member_phone: str | None = None
    teams: tuple[str, ...] = ()  # villages/teams an unknown number may register with
    places: tuple[str, ...] = ()  # provinces for "arrived from", most frequent first
    member_households: tuple[tuple[str, str], ...] = ()  # (household code, head's name)
    open_cases: tuple[tuple[int, str, str], ...] = ()  # (case number, household code, kind)
    not_declared: tuple[str, ...] = ()  # codes of the member's households not declared today
    own_household: bool = False  # the member has a household of their own to declare
    resumable: tuple[str, ...] = ()  # answers of a session dropped < 10 minutes ago
    # A stranger on a code several communes share picks theirs: (code, name, district).
    communes: tuple[tuple[str, str, str], ...] = ()
    commune_known: bool = True  # False: a stranger's report goes to district staff
