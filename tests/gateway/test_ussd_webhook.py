"""The USSD webhook end to end: Africa's Talking's text accumulation, what each path stores."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from peewee import OperationalError
from redis.connection import AbstractConnection

from db.base import utcnow
from db.inbox import WaitingDeclaration
from db.models import Case, CaseEvent, Declaration, Household, MonitoringPeriod, OutboundMessage
from flows.encoding import is_gsm7
from gateway.services.waiting_declarations import record_waiting
from tests import factories

HOUSEHOLD_PHONE = "+84912000001"
MEMBER_PHONE = "+84988000001"
STRANGER = "+84912999999"
_sessions = itertools.count()


@pytest.fixture
def commune():
    commune = factories.commune("AB", health_station_mobile="+84977000115")
    team = factories.team(commune, "Thon Dong")
    leader = factories.member(team, "+84988000009", "Tran Van Truong", role="leader")
    member = factories.member(team, MEMBER_PHONE, "Le Thi Hoa")
    factories.household(team, "AB001", (HOUSEHOLD_PHONE,), member, village="Thon Dong")
    factories.household(team, "AB002", (), member)
    return {"commune": commune, "team": team, "member": member, "leader": leader}


class Session:
    """One USSD session as Africa's Talking drives it: answers joined by ``*``."""

    def __init__(self, client, phone: str, session_id: str | None = None) -> None:
        self.client, self.phone = client, phone
        self.id = session_id or f"ATUid_{next(_sessions)}"
        self.answers: list[str] = []

    def post(self, text: str):
        return self.client.post(
            "/webhooks/africastalking/ussd",
            data={
                "sessionId": self.id,
                "serviceCode": "*384*123#",
                "phoneNumber": self.phone,
                "text": text,
                "networkCode": "45204",
            },
        )

    def start(self) -> str:
        return self._check(self.post(""))

    def send(self, answer: str) -> str:
        self.answers.append(answer)
        return self._check(self.post("*".join(self.answers)))

    @staticmethod
    def _check(response) -> str:
        assert response.status_code == 200
        assert response.mimetype == "text/plain"
        body = response.get_data(as_text=True)
        assert body.startswith(("CON ", "END "))
        assert len(body) <= 160
        assert is_gsm7(body)
        return body


def dial(client, phone: str, *answers: str) -> str:
    session = Session(client, phone)
    screen = session.start()
    for answer in answers:
        screen = session.send(answer)
    return screen


def test_everyone_well(client, commune):
    assert dial(client, HOUSEHOLD_PHONE).startswith("CON ")
    assert dial(client, HOUSEHOLD_PHONE, "1").startswith("END ")
    assert Declaration.select().count() == 0, "it waits in the inbox for the workers"
    assert WaitingDeclaration.select().count() == 1
    assert record_waiting() == 1
    declaration = Declaration.get()
    assert (declaration.kind, declaration.channel, declaration.household.code) == (
        "well", "ussd", "AB001",
    )  # fmt: skip
    assert declaration.is_current and declaration.source_ref.startswith("ussd:ATUid_")
    assert WaitingDeclaration.select().count() == 0
    assert Case.select().count() == 0


def test_symptoms_open_a_red_flag_case_for_member_and_station(client, commune):
    screen = dial(client, HOUSEHOLD_PHONE, "2", "13", "2", "391")
    assert screen.startswith("END ")
    assert "115" in screen
    case = Case.get()
    assert (case.kind, case.symptoms, case.people, case.temperature_tenths, case.red_flag) == (
        "symptoms", "1,3", 2, 391, True,
    )  # fmt: skip
    alerts = {m.phone: m for m in OutboundMessage.select().where(OutboundMessage.case == case)}
    assert set(alerts) == {MEMBER_PHONE, "+84977000115"}
    assert all(m.priority == "urgent" for m in alerts.values())
    assert f"OK {case.id}" in alerts[MEMBER_PHONE].text
    assert [(e.action, e.rung) for e in CaseEvent.select().order_by(CaseEvent.id)] == [
        ("opened", None), ("notified", 0), ("notified", 3),
    ]  # fmt: skip


def test_a_repeated_callback_records_once(client, commune):
    session = Session(client, HOUSEHOLD_PHONE)
    session.start()
    for answer in ("2", "1", "1", "0"):
        last = session.send(answer)
    again = session._check(session.post("*".join(session.answers)))
    assert again == last
    assert Declaration.select().count() == 1
    assert Case.select().count() == 1
    assert OutboundMessage.select().count() == 1


def test_a_later_declaration_replaces_the_days_earlier_one(client, commune):
    dial(client, HOUSEHOLD_PHONE, "2", "2", "1", "0")
    dial(client, HOUSEHOLD_PHONE, "1")
    record_waiting()
    rows = list(Declaration.select().order_by(Declaration.id))
    assert [(d.kind, d.is_current) for d in rows] == [("symptoms", False), ("well", True)]


def test_an_arrival_starts_fourteen_days_of_monitoring(client, commune):
    screen = dial(client, HOUSEHOLD_PHONE, "3", "2", "1", "2")
    assert screen.startswith("END ")
    period = MonitoringPeriod.get()
    declaration = Declaration.get()
    assert (period.reason, period.people) == ("arrival", 2)
    assert declaration.arrived_from and declaration.arrived_days_ago == 1
    assert (period.ends_on - period.starts_on).days == 14
    assert Case.get().kind == "arrival"


def test_a_stranger_reports_symptoms_to_the_health_station(client, commune):
    screen = dial(client, STRANGER, "1", "1", "1", "0")
    assert screen.startswith("END ")
    case = Case.get()
    assert case.household is None and case.phone == STRANGER
    assert [m.phone for m in OutboundMessage.select()] == ["+84977000115"]


def test_a_stranger_registers_as_a_pending_household(client, commune):
    screen = dial(client, STRANGER, "2", "1", "4")
    assert screen.startswith("END ")
    household = Household.get(Household.state == "pending")
    assert (household.team.name, household.people) == ("Thon Dong", 4)
    assert [p.phone for p in household.phones] == [STRANGER]
    assert dial(client, STRANGER).startswith("CON ")


def test_member_declares_for_a_household_without_a_phone(client, commune):
    screen = dial(client, MEMBER_PHONE, "1", "ab002", "1")
    assert screen.startswith("END ")
    declaration = Declaration.get()
    assert declaration.household.code == "AB002"
    assert (declaration.channel, declaration.declared_by.phone) == ("proxy", MEMBER_PHONE)


def test_member_acknowledges_then_resolves_a_case(client, commune):
    dial(client, HOUSEHOLD_PHONE, "2", "2", "1", "0")
    case = Case.get()
    assert dial(client, MEMBER_PHONE, "2", "1", "1").startswith("END ")
    assert Case.get_by_id(case.id).state == "acknowledged"
    to_household = OutboundMessage.get(OutboundMessage.phone == HOUSEHOLD_PHONE)
    assert "Le Thi Hoa" in to_household.text and MEMBER_PHONE in to_household.text
    dial(client, MEMBER_PHONE, "2")
    assert Case.get_by_id(case.id).state == "acknowledged"


def test_member_sees_households_not_declared_today(client, commune):
    dial(client, HOUSEHOLD_PHONE, "1")
    waiting = dial(client, MEMBER_PHONE, "3")
    record_waiting()
    recorded = dial(client, MEMBER_PHONE, "3")
    for screen in (waiting, recorded):
        assert "AB002" in screen and "AB001" not in screen


def test_a_dropped_session_resumes_within_ten_minutes(client, commune):
    first = Session(client, HOUSEHOLD_PHONE)
    first.start()
    first.send("2")
    first.send("13")
    second = Session(client, HOUSEHOLD_PHONE)
    offer = second.start()
    assert offer.startswith("CON ") and "1" in offer
    resumed = second.send("1")
    assert resumed.startswith("CON ")
    second.send("1")
    assert second.send("0").startswith("END ")
    case = Case.get()
    assert (case.symptoms, case.people) == ("1,3", 1)
    third = Session(client, HOUSEHOLD_PHONE)
    assert third.start() == dial(client, HOUSEHOLD_PHONE)


def test_an_answer_that_would_end_a_fresh_menu_keeps_the_offer(client, commune):
    """``6`` is team phones (END) on the main menu, but not an option on the offer."""
    first = Session(client, HOUSEHOLD_PHONE)
    first.start()
    first.send("2")
    first.send("13")
    second = Session(client, HOUSEHOLD_PHONE)
    second.start()
    assert "chua xong" in second.send("6")
    assert second.send("1").startswith("CON ")
    second.send("1")
    assert second.send("0").startswith("END ")
    assert Case.get().symptoms == "1,3"


def test_going_back_to_the_main_menu_leaves_nothing_to_resume(client, commune):
    first = Session(client, HOUSEHOLD_PHONE)
    first.start()
    first.send("2")
    first.send("00")
    assert "Ca nha khoe" in Session(client, HOUSEHOLD_PHONE).start()


def test_a_record_that_fails_to_store_can_still_be_resumed(client, commune, monkeypatch):
    def database_gone(*_args, **_kwargs):
        raise OperationalError("connection lost")

    first = Session(client, HOUSEHOLD_PHONE)
    first.start()
    first.send("2")
    first.send("1")
    first.send("1")
    with monkeypatch.context() as patch:
        patch.setattr("gateway.services.ussd_calls.apply", database_gone)
        first.answers.append("0")
        assert first.post("*".join(first.answers)).status_code == 503
    second = Session(client, HOUSEHOLD_PHONE)
    assert "chua xong" in second.start() and Case.select().count() == 0
    second.send("1")
    assert second.send("0").startswith("END ")
    assert Case.get().symptoms == "1"


@pytest.fixture
def round_trips(app, monkeypatch):
    """Writes to Redis about USSD sessions, counted where redis-py sends them.

    The app's connection is opened first, so its handshake is not counted, and
    the alerts' send jobs (RQ) are not session traffic."""
    app.extensions["redis"].ping()
    sent = []
    original = AbstractConnection.send_packed_command

    def counted(self, command, check_health=True):
        if b"ussd:" in b"".join(command if isinstance(command, list) else [command]):
            sent.append(command)
        return original(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counted)
    return sent


@pytest.mark.parametrize(
    ("phone", "answers", "trips"),
    [
        (HOUSEHOLD_PHONE, (), 0),  # nothing saved lately: no Redis at all
        (HOUSEHOLD_PHONE, ("6",), 0),  # team phones: an END screen that records nothing
        (HOUSEHOLD_PHONE, ("1",), 0),  # everyone well: recorded, nothing saved to clear
        (HOUSEHOLD_PHONE, ("2",), 1),  # first progress: saved, and the household marked
        (HOUSEHOLD_PHONE, ("2", "00"), 1),  # marked: the offer read and the save together
        (HOUSEHOLD_PHONE, ("2", "1", "1", "0"), 2),  # a record: saved progress cleared after
        (MEMBER_PHONE, (), 1),  # members' phones are always looked up
    ],
)
def test_redis_round_trips_per_screen(client, commune, round_trips, phone, answers, trips):
    session = Session(client, phone)
    session.start()
    for answer in answers[:-1]:
        session.send(answer)
    round_trips.clear()
    if answers:
        session.send(answers[-1])
    else:
        Session(client, phone).start()
    assert len(round_trips) == trips


def test_progress_marks_the_household_and_the_mark_wears_off(client, commune):
    household = Household.get(Household.code == "AB001")
    assert household.ussd_progress_at is None
    dropped = Session(client, HOUSEHOLD_PHONE)
    dropped.start()
    dropped.send("2")
    assert Household.get_by_id(household.id).ussd_progress_at is not None
    assert "chua xong" in Session(client, HOUSEHOLD_PHONE).start()
    Household.update(ussd_progress_at=utcnow() - dt.timedelta(minutes=16)).execute()
    assert "Ca nha khoe" in Session(client, HOUSEHOLD_PHONE).start()


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"phoneNumber": HOUSEHOLD_PHONE, "text": ""}, 400),
        ({"sessionId": "s", "text": ""}, 400),
        ({"sessionId": "s", "phoneNumber": HOUSEHOLD_PHONE}, 400),
        ({"sessionId": "s", "phoneNumber": HOUSEHOLD_PHONE, "text": "1" * 5000}, 400),
    ],
)
def test_malformed_callbacks_get_400_and_record_nothing(client, commune, data, status):
    response = client.post("/webhooks/africastalking/ussd", data=data)
    assert response.status_code == status
    assert "field" in response.get_data(as_text=True)
    assert Declaration.select().count() == 0


def test_garbage_gets_a_valid_screen(client, commune):
    for text in ["9", "2*abc", "\x00\x01", "😀*1", "*" * 100, "1*1*1*1*1*1*1"]:
        response = client.post(
            "/webhooks/africastalking/ussd",
            data={"sessionId": "g", "phoneNumber": HOUSEHOLD_PHONE, "text": text},
        )
        Session._check(response)
    response = client.post(
        "/webhooks/africastalking/ussd",
        data={"sessionId": "g2", "phoneNumber": "not-a-phone", "text": ""},
    )
    assert Session._check(response).startswith("END ")


def test_session_end_event(client, commune):
    session = Session(client, HOUSEHOLD_PHONE)
    session.start()
    session.send("2")
    response = client.post(
        "/webhooks/africastalking/ussd/events",
        data={"sessionId": session.id, "phoneNumber": HOUSEHOLD_PHONE, "status": "Success"},
    )
    assert response.status_code == 200
    assert dial(client, HOUSEHOLD_PHONE) == Session(client, HOUSEHOLD_PHONE).start()
