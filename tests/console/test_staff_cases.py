"""The staff side of a case (``gateway.services.cases``), without the web layer."""

from __future__ import annotations

import pytest

from db.models import Case, CaseEvent, OutboundMessage
from gateway.services import cases
from tests.console.conftest import open_case


@pytest.fixture
def context(app):
    """Services enqueue after commit through the app's queues."""
    with app.app_context():
        yield


def test_a_case_without_member_tells_the_household_the_station_comes(context, world):
    case = open_case(world.quiet)
    cases.staff_acknowledge(case.id, "admin")
    sms = OutboundMessage.get(OutboundMessage.case == case.id)
    assert sms.phone == "+84912000002"
    assert "Tram y te xa" in sms.text
    assert CaseEvent.get(CaseEvent.case == case.id).member_id is None


def test_staff_after_the_members_ok_changes_nothing(context, world):
    case = open_case(world.household)
    from gateway.services.outbox import outbox

    with outbox():
        cases.acknowledge(world.member, case.id)
    cases.staff_acknowledge(case.id, "admin")
    assert OutboundMessage.select().where(OutboundMessage.case == case.id).count() == 1
    assert CaseEvent.select().where(CaseEvent.action == "acknowledged").count() == 1


def test_resolve_twice_is_once(context, world):
    case = open_case(world.household)
    cases.staff_resolve(case.id, "admin", "ok")
    cases.staff_resolve(case.id, "admin", "again")
    assert Case.get_by_id(case.id).resolution_note == "ok"
    assert CaseEvent.select().where(CaseEvent.action == "resolved").count() == 1


def test_reassign_refuses_a_member_of_another_commune(context, world):
    case = open_case(world.household)
    with pytest.raises(cases.CaseError, match="commune"):
        cases.reassign(case.id, world.foreign_member.id, "admin")
    assert not OutboundMessage.select().exists()


def test_two_reassignments_send_two_alerts(context, world):
    case = open_case(world.household)
    cases.reassign(case.id, world.leader.id, "admin")
    cases.reassign(case.id, world.member.id, "admin")
    phones = [m.phone for m in OutboundMessage.select().order_by(OutboundMessage.id)]
    assert phones == [world.leader.phone, world.member.phone]
