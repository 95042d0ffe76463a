"""The webhooks' routes, one recording callback for each, and a way to prove a request
changed nothing."""

from __future__ import annotations

import json

from redis import Redis

from db.inbox import INBOX
from db.models import MODELS

TOKEN = "k7Qz-webhook-secret"
HOUSEHOLD_PHONE = "+84912000001"
MEMBER_PHONE = "+84988000001"
STATION = "+842203123456"
SENT_ID = "ATXid_sent_1"

USSD = "/webhooks/africastalking/ussd"
EVENTS = "/webhooks/africastalking/ussd/events"
SMS = "/webhooks/africastalking/sms"
DELIVERY = "/webhooks/africastalking/delivery"
KANNEL_SMS = "/webhooks/kannel/sms"
KANNEL_DELIVERY = "/webhooks/kannel/delivery"
SENT_MESSAGE_ID = "1"
"""The gateway's own id of the message the ``commune`` fixture sent, as Kannel names it."""

RECORDING_CALLBACKS: dict[str, dict[str, str]] = {
    USSD: {
        "sessionId": "ATUid_sec_1",
        "serviceCode": "*384*123#",
        "phoneNumber": HOUSEHOLD_PHONE,
        "text": "2*13*2*391",
        "networkCode": "45204",
    },
    EVENTS: {
        "sessionId": "ATUid_sec_0",
        "phoneNumber": HOUSEHOLD_PHONE,
        "status": "Success",
        "input": "1",
        "date": "2026-11-23 08:00:00",
        "serviceCode": "*384*123#",
        "networkCode": "45204",
        "durationInMillis": "4000",
        "hopsCount": "2",
        "cost": "VND 0",
        "lastAppResponse": "END Cam on",
        "errorMessage": "",
    },
    SMS: {
        "from": HOUSEHOLD_PHONE,
        "to": "8088",
        "text": "2 13 2 385",
        "date": "2026-11-23 08:00:00",
        "id": "ATXid_sec_1",
        "linkId": "",
        "networkCode": "45204",
    },
    DELIVERY: {
        "id": SENT_ID,
        "status": "Failed",
        "phoneNumber": HOUSEHOLD_PHONE,
        "networkCode": "45204",
        "failureReason": "DeliveryFailure",
        "retryCount": "0",
    },
    KANNEL_SMS: {
        "from": HOUSEHOLD_PHONE,
        "to": "8088",
        "text": "2 13 2 385",
        "id": "0b6f1c2e-8d5a-4c1f-9e3b-7a2d4f6c8e10",
        "smsc": "viettel",
        "coding": "0",
        "charset": "UTF-8",
    },
    KANNEL_DELIVERY: {
        "id": SENT_MESSAGE_ID,
        "status": "2",
        "answer": "NACK/0x0000000b/Invalid Destination Address",
        "smsc": "viettel",
    },
}
"""One well-formed callback per route, each of which changes something when allowed."""


def snapshot(redis_client: Redis) -> tuple[object, ...]:
    """Every row of every table, the inbox's too, and every key in Redis: equal
    snapshots, nothing changed."""
    rows = tuple(sorted(model.select().tuples(), key=repr) for model in (*MODELS, *INBOX))
    return rows, sorted(redis_client.keys("*"))


def resumable_session() -> tuple[str, str]:
    """A Redis key and value saying the household's last session can resume;
    a ``Success`` session event deletes it."""
    return f"ussd:last:{HOUSEHOLD_PHONE}", json.dumps({"session": "ATUid_sec_0", "answers": ["2"]})
