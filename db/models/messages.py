"""Inbound and outbound SMS: the outbox every outbound text goes through."""

from __future__ import annotations

from peewee import (
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from db.base import BaseModel, utcnow
from db.models.cases import Case
from db.models.households import Household

PRIORITIES = ("urgent", "default", "bulk")
"""The queue a message goes on; see ``gateway.jobs``."""

OUTBOUND_STATES = (
    "queued",
    "sending",
    "sent",
    "submitted",
    "buffered",
    "success",
    "failed",
    "rejected",
    "expired",
)


class ReceivedSms(BaseModel):
    """What a provider tells of an inbound SMS: the fields the inbox
    (``db.inbox.WaitingSms``) and the record (:class:`InboundMessage`) share, with
    ``(phone, provider_id)`` unique in both. A base only: it has no table."""

    provider_id = CharField(null=True)
    phone = CharField()
    to = CharField(default="")
    text = TextField(default="")
    link_id = CharField(null=True)
    network_code = CharField(null=True)

    class Meta:
        indexes = ((("phone", "provider_id"), True),)


class InboundMessage(ReceivedSms):
    """Every SMS received and handled (or ignored), the record of what was said.

    The webhook stores an SMS in the inbox (:mod:`db.inbox`); the worker that
    handles it writes this row (``handled_at``) in the same transaction as
    everything the message causes. ``(phone, provider_id)`` is unique: a
    provider retrying a callback records once, and a drain that died after
    its commit does not handle its rows again; another phone that happens to
    send an id already seen is another message. Rows with no ``handled_at``
    are an older gateway's, moved into the inbox by ``db.inbox.ensure``
    (through the partial index below).
    """

    outcome = CharField(default="received")
    received_at = DateTimeField(default=utcnow, index=True)
    handled_at = DateTimeField(null=True)


InboundMessage.add_index(
    InboundMessage.index(
        InboundMessage.id,
        name="inbound_message_unhandled",
        where=InboundMessage.handled_at.is_null(),
    )
)


class OutboundMessage(BaseModel):
    """An SMS to send, written in the same transaction as its cause.

    ``dedupe_key`` lets a job that runs twice (a duplicate escalation timer, a
    re-run reminder slot) write the same message only once.
    """

    phone = CharField(index=True)
    text = TextField()
    priority = CharField(default="bulk")
    state = CharField(default="queued")
    encoding = CharField(default="GSM-7")
    segments = IntegerField(default=1)
    provider = CharField(default="")
    provider_id = CharField(null=True, index=True)
    failure_reason = CharField(null=True)
    attempts = IntegerField(default=0)
    cost = CharField(null=True)
    dedupe_key = CharField(null=True, unique=True)
    household = ForeignKeyField(Household, null=True, on_delete="SET NULL")
    case = ForeignKeyField(Case, backref="messages", null=True, on_delete="SET NULL")
    expires_at = DateTimeField(null=True)
    retry_at = DateTimeField(null=True)
    """Not before then: the provider could not take it and it waits out a backoff."""
    created_at = DateTimeField(default=utcnow, index=True)
    sent_at = DateTimeField(null=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("state", "created_at"), False),)
