"""Strangers on a code several communes share: no report is lost (SPEC §4, issue 14).

A province runs one USSD code for many communes. A caller the gateway does not
know picks their commune (district first when the communes lie in several), and
their report reaches that commune's health station; one who cannot find theirs
is still stored, unassigned, for district staff. Every confirmation is built
from what was stored.
"""

from __future__ import annotations

import pytest

from db.models import Case, CaseEvent, Commune, Declaration, Household, OutboundMessage, Team
from flows.encoding import is_gsm7
from gateway.services import effects
from gateway.services.callers import identify
from gateway.services.unassigned import assign, visible_to
from tests import factories
from workers.inbox import handle_inbox

CODE = "*384*123#"
STRANGER = "+84912999999"
STATION_A = "+84981000001"
STATION_B = "+84981000002"


@pytest.fixture
def province():
    """Two communes of one district on one code, and a third in another district."""
    a = factories.commune(
        "RL01", name="Xa Rang Lo", ussd_code=CODE, district="Luc Nam",
        health_station_phone=STATION_A, health_station_mobile=STATION_A,
    )  # fmt: skip
    b = factories.commune(
        "RL02", name="Xa Binh Son", ussd_code=CODE, district="Luc Nam",
        health_station_phone=STATION_B, health_station_mobile=STATION_B,
    )  # fmt: skip
    factories.team(a, "Thon Dong")
    factories.team(b, "Thon Tay")
    return {"a": a, "b": b}


def ussd(client, session: str, *answers: str, code: str = CODE, phone: str = STRANGER) -> str:
    body = ""
    for count in range(len(answers) + 1):
        response = client.post(
            "/webhooks/africastalking/ussd",
            data={
                "sessionId": session,
                "serviceCode": code,
                "phoneNumber": phone,
                "text": "*".join(answers[:count]),
            },
        )
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert len(body) <= 160 and is_gsm7(body), body
    return body


def test_a_strangers_red_flag_report_reaches_the_chosen_communes_station(client, province):
    assert "1 Xa Binh Son\n2 Xa Rang Lo\n3 Khong co" in ussd(client, "s1", "1")
    screen = ussd(client, "s1", "1", "1", "3", "1", "0")
    assert screen.startswith("END ") and "115" in screen
    assert "Tram y te xa se goi cho ban." in screen
    case = Case.get()
    assert (case.commune_id, case.red_flag, case.phone) == (province["b"].id, True, STRANGER)
    assert Declaration.get().commune_id == province["b"].id
    alerts = [m.phone for m in OutboundMessage.select().where(OutboundMessage.case == case)]
    assert alerts == [STATION_B]
    assert ("notified", 3) in [(e.action, e.rung) for e in CaseEvent.select()]


def test_communes_in_several_districts_are_picked_district_first(client, province):
    factories.commune("YD01", name="Xa Tan An", ussd_code=CODE, district="Yen Dung")
    assert "Luc Nam" in ussd(client, "s2", "1") and "Yen Dung" in ussd(client, "s2", "1")
    assert "Xa Tan An" in ussd(client, "s2", "1", "2")
    ussd(client, "s2", "1", "2", "1", "1", "1", "0")
    assert Case.get().commune.code == "YD01"


def test_a_report_whose_commune_cannot_be_found_is_stored_for_district_staff(client, province):
    """The last entry of the list: not there. Stored all the same, and said so."""
    screen = ussd(client, "s3", "1", "3", "3", "2", "0")
    assert screen.startswith("END ") and "can bo huyen" in screen
    assert "Tram y te" not in screen
    case = Case.get()
    assert (case.commune_id, case.service_code, case.state) == (None, CODE, "open")
    assert Declaration.get().commune_id is None
    assert OutboundMessage.select().count() == 0
    assert list(visible_to({province["a"].id})) == [case]
    elsewhere = factories.commune("XX", ussd_code="*999#")
    assert list(visible_to({elsewhere.id})) == []

    assert assign(case, province["a"], "district")
    assert not assign(case, province["b"], "district")
    assert Case.get_by_id(case.id).commune_id == province["a"].id
    assert [m.phone for m in OutboundMessage.select()] == [STATION_A]
    assert list(visible_to({province["a"].id})) == []


def test_a_code_no_commune_uses_offers_every_commune(client, province):
    screen = ussd(client, "s4", "1", code="*111#")
    assert "Xa Rang Lo" in screen and "Xa Binh Son" in screen


def test_with_no_commune_at_all_the_report_is_still_stored(client):
    screen = ussd(client, "s5", "1", "1", "1", "0")
    assert screen.startswith("END ") and "can bo huyen" in screen
    assert Case.get().commune_id is None


def test_the_confirmation_says_what_was_stored_not_what_was_planned(client, province, monkeypatch):
    """The screens are read before the write: staff may remove the team picked in
    between. Then the store refuses, and the caller is not thanked for it."""
    single = factories.commune("ZZ", ussd_code="*555#")
    factories.team(single, "Thon Moi")
    assert "Thon Moi" in ussd(client, "s6", "2", code="*555#")
    real = effects.apply

    def team_removed_meanwhile(effect, caller, *args):
        Team.delete().where(Team.commune == single.id).execute()
        return real(effect, caller, *args)

    monkeypatch.setattr("gateway.services.ussd_calls.apply", team_removed_meanwhile)
    screen = ussd(client, "s6", "2", "1", "4", code="*555#")
    assert screen.startswith("END ") and "chua ghi duoc" in screen
    assert "Cam on" not in screen and Household.select().count() == 0


def test_a_stranger_names_the_commune_by_sms(client, province):
    sms(client, "t1", "XA RL01 2 3")
    case = Case.get()
    assert case.commune_id == province["a"].id and case.red_flag
    assert STATION_A in [m.phone for m in OutboundMessage.select()]


def test_an_sms_whose_commune_cannot_be_found_is_stored_and_the_sender_told(client, province):
    sms(client, "t2", "2 3")
    case = Case.get()
    assert case.commune_id is None
    reply = OutboundMessage.get(OutboundMessage.phone == STRANGER)
    assert f"#{case.id}" in reply.text and "huyen" in reply.text and "115" in reply.text


def sms(client, provider_id: str, text: str) -> None:
    response = client.post(
        "/webhooks/africastalking/sms",
        data={"from": STRANGER, "to": "8088", "text": text, "id": provider_id, "date": "x"},
    )
    assert response.status_code == 200
    handle_inbox()


def test_one_answer_to_who_a_phone_is(app, province):
    """A phone that is a member's and a household's is the member, on every path."""
    team = Team.get(Team.name == "Thon Dong")
    member = factories.member(team, "+84988000001", "Le Thi Hoa")
    factories.household(team, "RL001", ("+84988000001",), member)
    caller = identify("+84988000001", CODE)
    assert caller.kind == "member" and caller.household.code == "RL001"
    assert identify("+84988000001").kind == "member"
    other = factories.household(team, "RL002", ("+84912000002",), member)
    household = identify("+84912000002", CODE)
    assert household.kind == "household" and household.household.id == other.id
    assert household.commune.id == province["a"].id
    assert identify(STRANGER, CODE).commune is None
    assert identify(STRANGER, "*555#").commune is None
    only = Commune.get(Commune.code == "RL01")
    Commune.update(ussd_code="*1#").where(Commune.id == only.id).execute()
    assert identify(STRANGER, "*1#").commune.id == only.id
