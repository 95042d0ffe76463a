"""Who may see which commune: every console query goes through :func:`scoped`.

Console URLs carry the commune (``/console/c/<code>/...``). The commune is
checked against the staff user's communes before any view runs (403 when it
is not theirs), and every query a view makes is then narrowed to that commune
with :func:`scoped`, so an object of another commune is a 404 whatever id is
typed into the URL. A model without a rule here cannot be queried at all:
forgetting a rule fails loudly instead of leaking.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, abort, current_app, g, request
from flask_login import current_user
from peewee import Expression, ModelSelect, Query

from db.base import utcnow
from db.models import (
    AuditEntry,
    Case,
    CaseEvent,
    Commune,
    Declaration,
    Group,
    Household,
    HouseholdPhone,
    InboundMessage,
    Member,
    MonitoringPeriod,
    OutboundMessage,
    ReminderSchedule,
    ScheduleRun,
    Team,
)
from gateway.services import audit
from gateway.services.callers import local_today

M = TypeVar("M")
Q = TypeVar("Q", bound=Query)
READS = ("GET", "HEAD", "OPTIONS")


def _teams(commune_id: int) -> ModelSelect:
    return Team.select(Team.id).where(Team.commune == commune_id)


def _households(commune_id: int) -> ModelSelect:
    return Household.select(Household.id).where(Household.commune == commune_id)


def _member_phones(commune_id: int) -> ModelSelect:
    return Member.select(Member.phone).where(Member.team.in_(_teams(commune_id)))


def _household_phones(commune_id: int) -> ModelSelect:
    return HouseholdPhone.select(HouseholdPhone.phone).where(
        HouseholdPhone.household.in_(_households(commune_id))
    )


RULES: dict[type, Callable[[int], Expression]] = {
    Commune: lambda c: Commune.id == c,
    Team: lambda c: Team.commune == c,
    Household: lambda c: Household.commune == c,
    Declaration: lambda c: Declaration.commune == c,
    MonitoringPeriod: lambda c: MonitoringPeriod.commune == c,
    Case: lambda c: Case.commune == c,
    ReminderSchedule: lambda c: ReminderSchedule.commune == c,
    Group: lambda c: Group.team.in_(_teams(c)),
    Member: lambda c: Member.team.in_(_teams(c)),
    HouseholdPhone: lambda c: HouseholdPhone.household.in_(_households(c)),
    CaseEvent: lambda c: CaseEvent.case.in_(Case.select(Case.id).where(Case.commune == c)),
    ScheduleRun: lambda c: ScheduleRun.schedule.in_(
        ReminderSchedule.select(ReminderSchedule.id).where(ReminderSchedule.commune == c)
    ),
    OutboundMessage: lambda c: (
        OutboundMessage.household.in_(_households(c))
        | OutboundMessage.case.in_(Case.select(Case.id).where(Case.commune == c))
        | OutboundMessage.phone.in_(_member_phones(c))
    ),
    AuditEntry: audit.in_commune,
    InboundMessage: lambda c: (
        InboundMessage.phone.in_(_household_phones(c)) | InboundMessage.phone.in_(_member_phones(c))
    ),
}


def scoped(query: Q, model: type) -> Q:
    """``query`` narrowed to the current commune by ``model``'s rule.

    Subqueries rather than joins, so the caller's own joins and selected
    columns are left as they were.
    """
    rule = RULES.get(model)
    if rule is None:
        raise TypeError(f"no scoping rule for {model.__name__}: add one to RULES")
    return query.where(rule(commune().id))


def get_or_404(model: type[M], object_id: int) -> M:
    """One row of the current commune by id; another commune's row is a 404."""
    row = scoped(model.select(), model).where(model.id == object_id).first()  # type: ignore[attr-defined]
    if row is None:
        abort(404)
    return row


def commune() -> Commune:
    """The commune of the current console URL, already checked against the user."""
    return g.commune


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """For pages that only exist to change something (edit forms): 403 for readers."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.can_edit:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def commune_blueprint() -> Blueprint:
    """The parent of every per-commune page: resolves and guards ``<commune>``.

    Built per app (like the webhooks' parent) so tests that create several apps
    do not register the same child twice on one parent.
    """
    bp = Blueprint("commune", __name__, url_prefix="/c/<commune>")

    @bp.url_value_preprocessor
    def _pop_commune(_endpoint: str | None, values: dict[str, Any] | None) -> None:
        g.commune_code = (values or {}).pop("commune", "")

    @bp.url_defaults
    def _add_commune(_endpoint: str, values: dict[str, Any]) -> None:
        if "commune" not in values and "commune" in g:
            values["commune"] = g.commune.code

    @bp.before_request
    def _enter_commune() -> None:
        # An unknown code and another's commune look the same: no probing for codes.
        found = Commune.get_or_none(Commune.code == g.pop("commune_code", ""))
        if found is None or found.id not in current_user.commune_ids:
            abort(403)
        g.commune = found
        if request.method not in READS and not current_user.can_edit:
            abort(403)

    return bp


def today() -> dt.date:
    """The current commune's calendar day: declarations and deadlines are local."""
    return local_today(commune(), current_app.config["SETTINGS"].timezone, utcnow())
