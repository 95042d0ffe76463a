"""Cases in the console: the list, the timeline, acknowledge, resolve, reassign."""

from __future__ import annotations

from db.models import Case, CaseEvent, Household, OutboundMessage
from tests.console.conftest import open_case, post


def test_the_list_shows_unresolved_cases_first_and_filters(admin, world):
    open_one = open_case(world.household)
    done = open_case(world.quiet, state="resolved")
    page = admin.get("/console/c/AB/cases/").get_data(as_text=True)
    assert f'/cases/{open_one.id}"' in page and f'/cases/{done.id}"' not in page
    resolved = admin.get("/console/c/AB/cases/?state=resolved").get_data(as_text=True)
    assert f'/cases/{done.id}"' in resolved and f'/cases/{open_one.id}"' not in resolved
    everything = admin.get("/console/c/AB/cases/?state=all").get_data(as_text=True)
    assert f'/cases/{done.id}"' in everything and f'/cases/{open_one.id}"' in everything


def test_the_case_page_shows_what_was_reported_and_the_timeline(admin, world):
    case = open_case(world.household, temperature_tenths=392, red_flag=True)
    CaseEvent.create(case=case, action="opened", phone=case.phone)
    CaseEvent.create(case=case, action="notified", rung=0, member=world.member, phone="+8498")
    page = admin.get(f"/console/c/AB/cases/{case.id}").get_data(as_text=True)
    assert "sốt, khó thở" in page and "39.2 °C" in page
    assert "mở ca" in page and "đã báo tin" in page
    assert 'id="acknowledge"' in page


def test_acknowledge_texts_the_household_once(admin, world):
    case = open_case(world.household)
    first = post(admin, f"/console/c/AB/cases/{case.id}/acknowledge")
    assert first.status_code == 302
    post(admin, f"/console/c/AB/cases/{case.id}/acknowledge")
    case = Case.get_by_id(case.id)
    assert (case.state, case.acknowledged_by_id) == ("acknowledged", world.member.id)
    sms = list(OutboundMessage.select().where(OutboundMessage.case == case.id))
    assert [(m.phone, m.priority) for m in sms] == [("+84912000001", "urgent")]
    assert "Le Thi Hoa" in sms[0].text
    event = CaseEvent.get(CaseEvent.case == case.id, CaseEvent.action == "acknowledged")
    assert event.note == "[admin]"
    page = admin.get(f"/console/c/AB/cases/{case.id}").get_data(as_text=True)
    assert "[admin]" in page and 'id="acknowledge"' not in page


def test_resolve_with_a_note(admin, world):
    case = open_case(world.household)
    post(admin, f"/console/c/AB/cases/{case.id}/resolve", {"note": "Da dua di xet nghiem"})
    case = Case.get_by_id(case.id)
    assert (case.state, case.resolution_note) == ("resolved", "Da dua di xet nghiem")
    assert case.acknowledged_at is not None and case.resolved_at is not None
    page = admin.get(f"/console/c/AB/cases/{case.id}").get_data(as_text=True)
    assert "[admin] Da dua di xet nghiem" in page and 'id="resolve"' not in page


def test_reassign_to_another_member_and_their_household_too(admin, world):
    case = open_case(world.household)
    response = post(
        admin,
        f"/console/c/AB/cases/{case.id}/reassign",
        {"member": world.leader.id, "household_too": "y"},
    )
    assert response.status_code == 302
    assert Case.get_by_id(case.id).member_id == world.leader.id
    assert Household.get_by_id(world.household.id).member_id == world.leader.id
    alert = OutboundMessage.get(OutboundMessage.phone == world.leader.phone)
    assert f"OK {case.id}" in alert.text
    assert CaseEvent.get(CaseEvent.action == "reassigned").member_id == world.leader.id


def test_reassign_leaves_the_household_when_asked(admin, world):
    case = open_case(world.household)
    post(admin, f"/console/c/AB/cases/{case.id}/reassign", {"member": world.leader.id})
    assert Household.get_by_id(world.household.id).member_id == world.member.id


def test_a_resolved_case_is_not_reassigned(admin, world):
    case = open_case(world.household, state="resolved")
    response = post(admin, f"/console/c/AB/cases/{case.id}/reassign", {"member": world.leader.id})
    page = admin.get(response.location).get_data(as_text=True)
    assert "Không thể giao lại" in page
    assert Case.get_by_id(case.id).member_id == world.member.id
