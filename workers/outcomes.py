"""What became of each claimed row, written once a drain's requests are answered.

A drain's outcomes are written in one transaction, the sent rows by a few plain
UPDATEs (their provider ids in a CASE) rather than one per row or per request:
peewee's building of a CASE of 200 rows cost more than the request that sent
them. Written as plain SQL for the same reason as :mod:`gateway.services.bulk`.
"""

from __future__ import annotations

import datetime as dt

from db.base import database, utcnow
from db.models import OutboundMessage
from gateway import metrics
from gateway.providers.base import RETRY, SENT, SendResult

MARK_SENT_BATCH = 150
"""Rows per UPDATE: five parameters each, under SQLite's oldest limit of 999."""
MARK_SENT_SQL = (
    'UPDATE "outbound_message" SET "state" = {p}, "sent_at" = {p}, "updated_at" = {p},'
    ' "provider_id" = CASE "id" {cases} END, "cost" = CASE "id" {cases} END'
    ' WHERE "id" IN ({ids}) AND "state" = {p}'
)


def record(outcomes: list[tuple[int, SendResult]]) -> tuple[int, list[int]]:
    """Write each row's outcome (``(message id, result)``) in one transaction;
    (how many sent, ids the provider could not take now, to be queued again).

    Only rows still ``sending`` are written: a row the sweep took back meanwhile
    keeps what the sweep decided.
    """
    now = utcnow()
    sent: list[tuple[int, SendResult]] = []
    refused: list[tuple[int, SendResult]] = []
    to_retry: list[int] = []
    for message_id, result in outcomes:
        if result.status == RETRY:
            to_retry.append(message_id)
        elif result.status == SENT:
            sent.append((message_id, result))
        else:
            refused.append((message_id, result))
    if refused:
        metrics.count_send_failures("rejected", len(refused))
    with database.atomic():
        for message_id, result in refused:
            OutboundMessage.update(
                state=result.status,
                provider_id=result.provider_id,
                cost=result.cost,
                failure_reason=(result.error or "rejected")[:255],
                updated_at=now,
            ).where(OutboundMessage.id == message_id, OutboundMessage.state == "sending").execute()
        for start in range(0, len(sent), MARK_SENT_BATCH):
            _mark_sent(sent[start : start + MARK_SENT_BATCH], now)
    return len(sent), to_retry


def _mark_sent(sent: list[tuple[int, SendResult]], now: dt.datetime) -> None:
    """One UPDATE: these ``sending`` rows are ``sent``, each with its provider id and cost."""
    p = database.param
    at = OutboundMessage.sent_at.db_value(now)
    sql = MARK_SENT_SQL.format(
        p=p, cases=" ".join([f"WHEN {p} THEN {p}"] * len(sent)), ids=", ".join([p] * len(sent))
    )
    params: list[object] = [SENT, at, at]
    params += [value for message_id, result in sent for value in (message_id, result.provider_id)]
    params += [value for message_id, result in sent for value in (message_id, result.cost)]
    params += [message_id for message_id, _result in sent]
    database.execute_sql(sql, [*params, "sending"])
