"""What commune staff change from the console: a household, a team's members, a schedule.

Each function owns its transaction and touches only rows of the commune it is
given, whatever ids the request named: the console scopes what it shows, and
the write is scoped again here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from db.base import database, utcnow
from db.models import Household, Member, ReminderSchedule
from gateway.services.import_report import ImportReport
from gateway.services.importer import Importer


def edit_household(
    household: Household,
    row: Mapping[str, str],
    *,
    confirmed: bool,
    opted_out: bool,
    region: str,
) -> ImportReport:
    """Save a household as the import would a row of it, plus its state and opt-out.

    The import's rules are the household's rules (phones, team, member, another
    commune's phone), so an edit goes through them; nothing is written unless
    the row passes.
    """
    importer = Importer("households", region, scope=household.commune)
    with database.atomic():
        report = importer.run([(1, dict(row))])
        if report.ok:
            Household.update(
                state="confirmed" if confirmed else "pending",
                opted_out=opted_out,
                updated_at=utcnow(),
            ).where(Household.id == household.id).execute()
    return report


def assign_households(member: Member, household_ids: Iterable[int]) -> int:
    """Give households of the member's team to the member; how many changed."""
    with database.atomic():
        return (
            Household.update(member=member.id, updated_at=utcnow())
            .where(
                Household.id.in_(list(household_ids)),
                Household.team == member.team_id,
            )
            .execute()
        )


def save_schedule(schedule: ReminderSchedule, commune_id: int, **values: object) -> None:
    """Create or change a commune's reminder schedule."""
    schedule.commune = commune_id
    for name, value in values.items():
        setattr(schedule, name, value)
    with database.atomic():
        schedule.save()
