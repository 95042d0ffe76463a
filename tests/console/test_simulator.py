"""The USSD simulator drives the real webhook, for this commune's phones only."""

from __future__ import annotations

import json

from db.models import Case, Declaration, Household, HouseholdPhone
from gateway.services.waiting_declarations import record_waiting
from tests.console.conftest import csrf_token


def _press(client, phone: str, text: str, session: str = "sim-abcdef0123"):
    token = csrf_token(client, "/console/c/AB/simulator/")
    response = client.post(
        "/console/c/AB/simulator/ussd",
        data={"csrf_token": token, "phone": phone, "session_id": session, "text": text},
    )
    return response.status_code, json.loads(response.get_data(as_text=True))


def test_a_declaration_through_the_simulator_is_recorded(admin, world):
    status, first = _press(admin, "+84912000001", "")
    assert status == 200 and first["end"] is False
    assert "\n1 Ca nha khoe" in first["text"]  # the main menu, "all well" first
    status, last = _press(admin, "+84912000001", "1")
    assert status == 200 and last["end"] is True
    assert record_waiting() == 1, "stored in the inbox, as a real call's"
    declaration = Declaration.get()
    assert (declaration.household_id, declaration.kind, declaration.channel) == (
        world.household.id,
        "well",
        "ussd",
    )
    assert declaration.source_ref == "ussd:sim-abcdef0123"


def test_symptoms_through_the_simulator_open_a_case(admin, world):
    for text in ("", "2", "2*13", "2*13*1"):
        status, screen = _press(admin, "+84912000001", text, "sim-symptoms01")
        assert status == 200
    if not screen["end"]:
        _press(admin, "+84912000001", "2*13*1*0", "sim-symptoms01")
    case = Case.get()
    assert (case.household_id, case.kind, case.red_flag) == (world.household.id, "symptoms", True)


def test_the_simulator_refuses_phones_of_other_communes_and_strangers(admin, world):
    for phone in ("+84912000101", "+84900000000"):
        status, answer = _press(admin, phone, "")
        assert status == 400 and "error" in answer
    assert not Declaration.select().exists()


def test_the_simulator_passes_the_webhook_token(app, admin, world):
    settings = app.config["SETTINGS"]
    from dataclasses import replace

    app.config["SETTINGS"] = replace(settings, webhook_token="s3cret")
    assert app.test_client().post("/webhooks/africastalking/ussd").status_code == 403
    status, screen = _press(admin, "+84912000001", "")
    assert status == 200 and screen["end"] is False


def test_the_page_offers_the_communes_phones(admin, world):
    page = admin.get("/console/c/AB/simulator/").get_data(as_text=True)
    assert "+84912000001" in page and world.member.phone in page
    assert "+84912000101" not in page


def test_the_phone_picker_searches_5000_households_instead_of_listing_them(admin, world):
    rows = [
        {
            "commune": world.ab.id,
            "team": world.team.id,
            "code": f"AB9{n:04d}",
            "head_name": f"Hộ {n}",
        }
        for n in range(5000)
    ]
    Household.insert_many(rows).execute()
    ids = dict(
        Household.select(Household.code, Household.id)
        .where(Household.code.startswith("AB9"))
        .tuples()
    )
    HouseholdPhone.insert_many(
        [
            {"household": ids[row["code"]], "phone": f"+8491{n:07d}", "kind": "mobile"}
            for n, row in enumerate(rows)
        ]
    ).execute()
    page = admin.get("/console/c/AB/simulator/")
    assert len(page.data) < 100_000, len(page.data)
    found = admin.get("/console/c/AB/simulator/?q=ho+4321").get_data(as_text=True)
    assert "AB94321" in found and "AB90001" not in found and world.member.phone in found
    assert _press(admin, "+84910004999", "")[0] == 200
