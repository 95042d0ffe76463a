"""End to end through a real Kannel: the phone network is Kannel's fake SMSC, driven
by the test; the gateway is the test's app on a real HTTP port, with real RQ workers.

What is checked is what reaches the network: each message once, whole, in the
encoding its text needs, and what Kannel's delivery reports make of its state.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from flask import Flask
from rq.registry import ScheduledJobRegistry

from db.base import utcnow
from db.models import Case, Declaration, InboundMessage, OutboundMessage, ReminderSchedule
from flows.encoding import measure
from gateway.jobs import URGENT
from gateway.services.outbox import outbox, queue_sms
from gateway.services.reminders import to_local, to_utc
from tests import factories
from tests.kannel.real import FakeSmsc, KannelServer
from tests.support import until
from workers.reminders import dispatch_due_reminders

HOUSEHOLD_PHONE = "+84912000001"
MEMBER_PHONE = "+84988000001"
STATION_MOBILE = "+84977000001"
ZONE = "Asia/Ho_Chi_Minh"
THANKS = "Bạn đã khai báo y tế hôm nay. Cảm ơn gia đình!"


def commune():
    commune = factories.commune("AB", health_station_mobile=STATION_MOBILE)
    team = factories.team(commune, "Thon Dong")
    member = factories.member(team, MEMBER_PHONE, "Le Thi Hoa")
    factories.household(team, "AB001", (HOUSEHOLD_PHONE,), member, village="Thon Dong")
    return commune, team, member


def sent_by_the_gateway() -> Counter[tuple[str, str]]:
    return Counter((m.phone, m.text) for m in OutboundMessage.select())


def reached_the_network(smsc: FakeSmsc, kannel: KannelServer) -> Counter[tuple[str, str]]:
    return Counter((sms.receiver, sms.text) for sms in smsc.drain(kannel))


def all_delivered() -> bool:
    return not OutboundMessage.select().where(OutboundMessage.state != "success").exists()


def test_a_households_sms_is_declared_and_the_reply_and_alerts_reach_the_network_once(
    smsc: FakeSmsc, kannel: KannelServer, work
):
    commune()

    smsc.phone_sends(HOUSEHOLD_PHONE, "2 13 2 391")
    until(lambda: work() or Case.select().exists(), "the SMS to reach the gateway and be handled")
    work()

    assert InboundMessage.get().phone == HOUSEHOLD_PHONE
    assert Declaration.get().channel == "sms"
    case = Case.get()
    assert case.red_flag
    assert {m.phone for m in OutboundMessage.select().where(OutboundMessage.case == case)} >= {
        MEMBER_PHONE
    }
    network = reached_the_network(smsc, kannel)
    assert network == sent_by_the_gateway()
    assert HOUSEHOLD_PHONE in {phone for phone, _ in network}
    until(all_delivered, "Kannel's delivery reports")


def test_vietnamese_with_diacritics_arrives_intact_in_ucs2_and_a_long_text_whole(
    smsc: FakeSmsc, kannel: KannelServer, work
):
    long_gsm = "Nhac lich tiem chung thon Dong: " + "mang so tiem chung va the BHYT. " * 10
    long_vietnamese = THANKS + " Nếu có ai sốt, ho hay khó thở, xin nhắn 2 ngay. " * 3
    with outbox():
        queue_sms(HOUSEHOLD_PHONE, THANKS, priority=URGENT)
        queue_sms(MEMBER_PHONE, long_gsm, priority=URGENT)
        queue_sms(STATION_MOBILE, long_vietnamese, priority=URGENT)

    work()

    delivered = {sms.receiver: sms for sms in smsc.drain(kannel)}
    short = delivered[HOUSEHOLD_PHONE]
    assert (short.text, short.coding, short.parts) == (THANKS, "ucs-2", 1)
    gsm = delivered[MEMBER_PHONE]
    assert (gsm.text, gsm.parts) == (long_gsm, measure(long_gsm).segments)
    assert gsm.parts > 1
    vietnamese = delivered[STATION_MOBILE]
    assert vietnamese.ucs2_text == long_vietnamese
    assert vietnamese.parts == measure(long_vietnamese).segments > 1
    until(all_delivered, "Kannel's delivery reports")


def test_delivery_reports_move_the_message_through_submitted_to_delivered(
    app: Flask, smsc: FakeSmsc, kannel: KannelServer, work
):
    with outbox():
        message = queue_sms(HOUSEHOLD_PHONE, "Ca khan 3: xin goi lai", priority=URGENT)

    work()
    smsc.drain(kannel)

    until(lambda: OutboundMessage.get_by_id(message.id).state == "success", "the final report")
    row = OutboundMessage.get_by_id(message.id)
    assert (row.provider, row.provider_id, row.attempts) == ("kannel", f"kannel:{message.id}", 1)


def test_with_kannel_down_messages_wait_and_none_is_lost(app: Flask, kannel: KannelServer, work):
    with outbox():
        message = queue_sms(HOUSEHOLD_PHONE, "Ca khan 4: xin goi lai", priority=URGENT)

    work()

    row = OutboundMessage.get_by_id(message.id)
    assert (row.state, row.provider, row.attempts) == ("queued", "", 1)
    retries = ScheduledJobRegistry(queue=app.extensions["queues"][URGENT])
    [job_id] = retries.get_job_ids()

    kannel.start()
    smsc = FakeSmsc(kannel.smsc_port)
    try:
        # As if its backoff had passed: the row is due again and its drain runs.
        OutboundMessage.update(retry_at=None).where(OutboundMessage.id == message.id).execute()
        retries.requeue(job_id)
        work()
        assert reached_the_network(smsc, kannel) == Counter(
            {(HOUSEHOLD_PHONE, "Ca khan 4: xin goi lai"): 1}
        )
    finally:
        smsc.close()
    until(lambda: OutboundMessage.get_by_id(message.id).state == "success", "the final report")
    assert OutboundMessage.get_by_id(message.id).attempts == 2


def test_a_reminder_round_reaches_each_household_once_whatever_runs_twice(
    smsc: FakeSmsc, kannel: KannelServer, work
):
    commune_, team, member = commune()
    for number in range(2, 8):
        factories.household(team, f"AB00{number}", (f"+8491200000{number}",), member)
    ReminderSchedule.create(
        commune=commune_,
        name="all",
        audience="all",
        times="07:30",
        deadline="14:00",
        template="Nhac {household} khai bao truoc {deadline}",
    )
    day = to_local(ZONE, utcnow()).date() + dt.timedelta(days=2)
    due = to_utc(ZONE, dt.datetime.combine(day, dt.time(7, 30)))

    for _ in range(2):  # two cron processes
        dispatch_due_reminders(now=due)
    work()
    dispatch_due_reminders(now=due)
    work()

    network = reached_the_network(smsc, kannel)
    assert len(network) == 7 and set(network.values()) == {1}
    assert network == sent_by_the_gateway()
    assert network[("+84912000003", "Nhac AB003 khai bao truoc 14:00")] == 1
    until(all_delivered, "Kannel's delivery reports")
