"""A household's "everyone is well" on USSD waits in the inbox; the workers record it.

The screen says "recorded" once the row is stored; the drain records it once,
whatever is repeated or fails in between, and the household's latest
declaration of the day is its current one, whichever channel and path each took.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.base import utcnow
from db.inbox import WaitingDeclaration, inbox_database
from db.models import Case, Declaration
from flows.effects import Declare, ProxyDeclare
from flows.report import Kind, Report, Symptom
from gateway import metrics
from gateway.services.callers import identify, local_today
from gateway.services.declarations import declare
from gateway.services.waiting_declarations import WELL, can_wait, record_waiting
from tests import factories
from workers.inbox import STALE, SettledWatch, handle_inbox, sweep_inbox

PHONE = "+84912000001"
OTHER = "+84912000002"
MEMBER = "+84988000001"
FEVER = Report(Kind.SYMPTOMS, people=1, symptoms=frozenset({Symptom.FEVER}))
_sessions = itertools.count()


@pytest.fixture
def commune(app: Flask):
    commune = factories.commune("WD")
    team = factories.team(commune, "Thon Dong")
    member = factories.member(team, MEMBER, "Le Thi Hoa")
    factories.household(team, "WD001", (PHONE,), member)
    factories.household(team, "WD002", (OTHER,), member)
    return commune


def well(client: FlaskClient, phone: str = PHONE, session: str | None = None) -> str:
    """A whole "everyone is well" session: the menu, then 1."""
    session = session or f"ATUid_wd{next(_sessions)}"
    for text in ("", "1"):
        response = client.post(
            "/webhooks/africastalking/ussd",
            data={"sessionId": session, "serviceCode": "*384#", "phoneNumber": phone, "text": text},
        )
        assert response.status_code == 200
    return response.get_data(as_text=True)


def declarations() -> list[tuple[str, str, bool]]:
    rows = Declaration.select().order_by(Declaration.created_at, Declaration.id)
    return [(row.kind, row.channel, row.is_current) for row in rows]


def declared_on_ussd() -> float:
    """The declarations counted on ``/metrics`` for USSD so far."""
    name, labels = "gateway_declarations_recorded_total", {"channel": "ussd"}
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


def urgent_at_once(commune) -> None:
    """An urgent report written at once, as an SMS drain or an urgent screen does."""
    caller = identify(PHONE)
    day = local_today(caller.commune, "Asia/Ho_Chi_Minh", utcnow())
    declare(FEVER, commune_id=commune.id, local_date=day, household=caller.household,
            phone=PHONE, channel="sms")  # fmt: skip


@pytest.mark.usefixtures("commune")
def test_the_screen_says_recorded_once_the_row_is_stored(client):
    screen = well(client)
    assert screen.startswith("END ") and "Da ghi: ca nha deu khoe" in screen
    waiting = WaitingDeclaration.get()
    assert (waiting.phone, waiting.source_ref.startswith("ussd:")) == (PHONE, True)
    assert Declaration.select().count() == 0
    counted = declared_on_ussd()

    assert record_waiting() == 1

    assert declarations() == [("well", "ussd", True)]
    assert Declaration.get().created_at == waiting.declared_at, "when it was said"
    assert WaitingDeclaration.select().count() == 0
    assert declared_on_ussd() == counted + 1
    assert Case.select().count() == 0


@pytest.mark.usefixtures("commune")
def test_a_repeated_callback_is_recorded_once_whenever_it_comes(client):
    first = well(client, session="ATUid_repeat")
    assert well(client, session="ATUid_repeat") == first, "repeated while it waits"
    assert WaitingDeclaration.select().count() == 1
    assert record_waiting() == 1
    assert well(client, session="ATUid_repeat") == first, "repeated after it was recorded"
    assert record_waiting() == 0, "found recorded: only taken out of the inbox"
    assert WaitingDeclaration.select().count() == 0
    assert declarations() == [("well", "ussd", True)]


@pytest.mark.usefixtures("commune")
def test_a_drain_that_died_after_its_commit_records_nothing_twice(client):
    well(client)
    waiting = WaitingDeclaration.get()
    record_waiting()
    with inbox_database.atomic():  # the delete never happened
        WaitingDeclaration.insert(waiting.__data__).execute()
    assert record_waiting() == 0
    assert WaitingDeclaration.select().count() == 0
    assert declarations() == [("well", "ussd", True)]


def test_an_urgent_report_written_while_it_waited_stays_current(client, commune):
    well(client)
    urgent_at_once(commune)
    record_waiting()
    assert declarations() == [("well", "ussd", False), ("symptoms", "sms", True)]


def test_it_replaces_what_the_household_declared_before_it(client, commune):
    urgent_at_once(commune)
    well(client)
    record_waiting()
    assert declarations() == [("symptoms", "sms", False), ("well", "ussd", True)]


@pytest.mark.usefixtures("commune")
def test_of_two_in_one_batch_the_later_is_current(client):
    well(client)
    well(client)
    well(client, OTHER)
    assert record_waiting() == 3
    current = Declaration.select().where(Declaration.is_current)
    assert current.count() == 2
    latest = Declaration.select().where(Declaration.phone == PHONE).order_by(Declaration.id.desc())
    assert latest.first().is_current


def test_only_a_households_own_everyone_is_well_waits(app, commune):
    household, stranger, member = identify(PHONE), identify("+84912999999"), identify(MEMBER)
    assert can_wait((Declare(WELL),), household)
    assert not can_wait((Declare(FEVER),), household), "a case: its screen names who calls"
    assert not can_wait((Declare(WELL, "WD"),), household)
    assert not can_wait((Declare(WELL), Declare(WELL)), household)
    assert not can_wait((Declare(WELL),), stranger)
    assert not can_wait((ProxyDeclare("WD002", WELL),), member)


@pytest.mark.usefixtures("commune")
def test_an_urgent_screen_is_written_at_once(client):
    session = f"ATUid_wd{next(_sessions)}"
    for text in ("", "2", "2*2", "2*2*1", "2*2*1*0"):
        client.post(
            "/webhooks/africastalking/ussd",
            data={"sessionId": session, "serviceCode": "*384#", "phoneNumber": PHONE, "text": text},
        )
    assert WaitingDeclaration.select().count() == 0
    assert [kind for kind, _, _ in declarations()] == ["symptoms"]
    assert Case.select().count() == 1


@pytest.mark.usefixtures("commune")
def test_the_watch_and_the_drain_take_waiting_declarations(client):
    clock = iter(itertools.count(1000.0, 0.05))
    watch = SettledWatch(lambda: next(clock))
    well(client)
    assert not watch(), "first seen: the inbox may still be growing"
    assert watch(), "it stopped growing"
    assert handle_inbox() == 1
    assert declarations() == [("well", "ussd", True)]
    assert not watch()


@pytest.mark.usefixtures("commune")
def test_the_sweep_records_what_waited_too_long(client):
    well(client)
    assert sweep_inbox() == 0, "not stale yet"
    assert sweep_inbox(utcnow() + STALE + dt.timedelta(seconds=1)) == 1
    assert declarations() == [("well", "ussd", True)]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(["well", "urgent", "drain"]), min_size=1, max_size=8))
def test_whatever_the_order_the_latest_declaration_is_current(client, commune, steps):
    """Screens that wait, reports written at once and drains, in any order: once
    drained, the household's day has one current declaration, the latest said."""
    Declaration.delete().execute()
    WaitingDeclaration.delete().execute()
    said = []
    for step in steps:
        if step == "well":
            well(client)
            said.append("well")
        elif step == "urgent":
            urgent_at_once(commune)
            said.append("symptoms")
        else:
            record_waiting()
    record_waiting()
    current = list(Declaration.select().where(Declaration.is_current))
    assert len(current) == (1 if said else 0)
    if said:
        assert current[0].kind == said[-1]
        assert Declaration.select().count() == len(said)
