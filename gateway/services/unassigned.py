"""Reports stored with no commune, and district staff placing them.

A stranger on a code several communes share who could not name their commune,
or an SMS without ``XA <code>``, still has their report stored (SPEC §4): a
case with no commune and no ladder yet. District users see the ones that came
in on their communes' USSD code, and every one that came in on no commune's
code (an SMS number, an unconfigured code), since no commune can claim those.
Assigning one to a commune starts its ladder as if it had come in there.
"""

from __future__ import annotations

from collections.abc import Collection

from peewee import ModelSelect

from db.models import Case, CaseEvent, Commune, Declaration
from gateway.services.cases import report_of, start_ladder
from gateway.services.outbox import outbox


def visible_to(commune_ids: Collection[int]) -> ModelSelect:
    """Open unassigned cases a district user with ``commune_ids`` answers for, newest first."""
    their_codes = Commune.select(Commune.ussd_code).where(
        Commune.id.in_(list(commune_ids)), Commune.ussd_code.is_null(False)
    )
    any_codes = Commune.select(Commune.ussd_code).where(Commune.ussd_code.is_null(False))
    return (
        Case.select()
        .where(
            Case.commune.is_null(),
            Case.state == "open",
            Case.service_code.in_(their_codes)
            | Case.service_code.is_null()
            | Case.service_code.not_in(any_codes),
        )
        .order_by(Case.opened_at.desc())
    )


def assign(case: Case, commune: Commune, by: str) -> bool:
    """Place an unassigned case in ``commune`` and alert its first rung.

    ``by`` (the staff login) goes on the timeline. ``False`` when someone
    placed it first: a case is assigned once.
    """
    with outbox():
        placed = (
            Case.update(commune=commune.id)
            .where(Case.id == case.id, Case.commune.is_null())
            .execute()
        )
        if not placed:
            return False
        if case.declaration_id is not None:
            Declaration.update(commune=commune.id).where(
                Declaration.id == case.declaration_id
            ).execute()
        CaseEvent.create(case=case, action="assigned", note=f"{commune.code} ({by})")
        fresh = Case.get_by_id(case.id)
        start_ladder(fresh, report_of(fresh))
    return True
