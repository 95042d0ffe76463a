"""``/console/unassigned``: reports no commune could be found for, for district staff."""

from __future__ import annotations

from db.models import Case, CaseEvent, Commune, OutboundMessage
from tests.console.conftest import csrf_token

CODE = "*384*9#"
STRANGER = "+84912999999"


def report_with_no_commune(client, session: str = "lost", code: str = CODE) -> Case:
    """A stranger on the shared code who picks "not on this list" (the last entry)."""
    answers = ["1", "3", "3", "1", "0"]
    for count in range(len(answers) + 1):
        client.post(
            "/webhooks/africastalking/ussd",
            data={
                "sessionId": session,
                "serviceCode": code,
                "phoneNumber": STRANGER,
                "text": "*".join(answers[:count]),
            },
        )
    return Case.get(Case.phone == STRANGER)


DUTY_MOBILE = "+84977000115"
"""CD's station: its own number is a landline, so its alerts go to this duty mobile."""


def share_code(world) -> None:
    Commune.update(ussd_code=CODE).where(Commune.id.in_([world.ab.id, world.cd.id])).execute()
    Commune.update(health_station_mobile=DUTY_MOBILE).where(Commune.id == world.cd.id).execute()


def test_district_staff_see_and_place_a_report_with_no_commune(app, as_user, world):
    share_code(world)
    case = report_with_no_commune(app.test_client())
    assert case.commune_id is None
    district = as_user("district")
    page = district.get("/console/unassigned/").get_data(as_text=True)
    assert STRANGER in page and CODE in page
    assert "Báo cáo chưa rõ xã" in district.get("/console/").get_data(as_text=True)

    token = csrf_token(district, "/console/unassigned/")
    response = district.post(
        f"/console/unassigned/{case.id}/assign", data={"csrf_token": token, "commune": "CD"}
    )
    assert response.status_code == 302
    placed = Case.get_by_id(case.id)
    assert placed.commune_id == world.cd.id
    events = CaseEvent.select().where(CaseEvent.case == case).order_by(CaseEvent.id)
    assert [e.action for e in events] == ["opened", "assigned", "notified"]
    assert [m.phone for m in OutboundMessage.select()] == [DUTY_MOBILE]
    assert STRANGER not in district.get("/console/unassigned/").get_data(as_text=True)


def test_only_district_users_reach_the_page(as_user, world):
    for username in ("admin", "viewer", "admin_cd"):
        assert as_user(username).get("/console/unassigned/").status_code == 403


def test_a_district_user_places_only_in_their_own_communes(app, as_user, world):
    share_code(world)
    case = report_with_no_commune(app.test_client())
    Commune.create(code="EF", name="Xa Khac", health_station_phone="+842203000000")
    district = as_user("district")
    token = csrf_token(district, "/console/unassigned/")
    response = district.post(
        f"/console/unassigned/{case.id}/assign", data={"csrf_token": token, "commune": "EF"}
    )
    assert response.status_code == 400
    assert Case.get_by_id(case.id).commune_id is None


def test_reports_on_another_districts_code_are_not_shown(app, as_user, world):
    share_code(world)
    Commune.create(code="EF", name="Xa Khac", health_station_phone="+842203000000", ussd_code="*7#")
    Commune.create(code="GH", name="Xa Kia", health_station_phone="+842203000001", ussd_code="*7#")
    case = report_with_no_commune(app.test_client(), code="*7#")
    district = as_user("district")
    assert STRANGER not in district.get("/console/unassigned/").get_data(as_text=True)
    token = csrf_token(district, "/console/unassigned/")
    response = district.post(
        f"/console/unassigned/{case.id}/assign", data={"csrf_token": token, "commune": "AB"}
    )
    assert response.status_code == 404
