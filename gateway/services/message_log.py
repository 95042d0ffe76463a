"""The SMS log an operator reads in a terminal (``gateway messages``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import asdict, dataclass, fields

from db.models import InboundMessage, OutboundMessage
from gateway.services.safe_cells import neutralised


@dataclass
class LogLine:
    direction: str
    phone: str
    text: str
    status: str
    segments: int
    encoding: str
    created_at: str


COLUMNS = [f.name for f in fields(LogLine)]


def message_log(
    phone: str | None = None, since: dt.datetime | None = None, limit: int = 200
) -> list[LogLine]:
    """Inbound and outbound messages, newest first."""
    inbound = InboundMessage.select().order_by(InboundMessage.received_at.desc()).limit(limit)
    outbound = OutboundMessage.select().order_by(OutboundMessage.created_at.desc()).limit(limit)
    if phone:
        inbound = inbound.where(InboundMessage.phone == phone)
        outbound = outbound.where(OutboundMessage.phone == phone)
    if since:
        inbound = inbound.where(InboundMessage.received_at >= since)
        outbound = outbound.where(OutboundMessage.created_at >= since)
    lines = [
        LogLine("in", m.phone, m.text, m.outcome, 1, "", m.received_at.isoformat(" ", "seconds"))
        for m in inbound
    ] + [
        LogLine(
            "out",
            m.phone,
            m.text,
            m.state,
            m.segments,
            m.encoding,
            m.created_at.isoformat(" ", "seconds"),
        )
        for m in outbound
    ]
    return sorted(lines, key=lambda line: line.created_at, reverse=True)[:limit]


def to_csv(lines: list[LogLine]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(neutralised(asdict(line).values()) for line in lines)
    return out.getvalue()
