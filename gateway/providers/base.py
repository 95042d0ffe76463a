"""The one small interface every SMS provider implements.

Africa's Talking is the first provider, not the only one (SPEC §2): a Vietnamese
deployment will route through a local aggregator or SMPP. So the jobs only see
:class:`SmsProvider`, and each adapter turns its provider's answers into
:class:`SendResult` and its passing failures into :class:`ProviderError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

SENT = "sent"
"""The provider took the message; delivery reports tell the rest."""
REJECTED = "rejected"
"""The provider refused this recipient for good (invalid number, blacklist ...)."""
RETRY = "retry"
"""The provider could not take this recipient now; try again later."""

_E164 = re.compile(r"\+[1-9][0-9]{7,14}")


@dataclass(frozen=True)
class SendResult:
    """What became of one recipient of a send."""

    phone: str
    provider_id: str | None
    status: str
    cost: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class IncomingSms:
    """An SMS as any provider hands it over, in the one shape the inbox stores.

    Each adapter's webhook reads its provider's fields into this; nothing after
    it knows which provider delivered the message.
    """

    sender: str
    text: str
    provider_id: str
    to: str = ""
    link_id: str = ""
    network: str = ""


@dataclass(frozen=True)
class DeliveryReport:
    """What a provider says became of a message, in the outbox's own states.

    Africa's Talking names the message by its own id (``provider_id``); Kannel
    by the gateway's id, put in the report URL when the message was sent
    (``message_id``). ``state`` is one of ``db.models.messages.OUTBOUND_STATES``.
    """

    state: str
    provider_id: str | None = None
    message_id: int | None = None
    reason: str | None = None


class ProviderError(Exception):
    """The provider did not take the request (network error, 5xx ...): retry later.

    Raised only for failures of the whole request; the job puts its messages
    back in the queue and RQ retries with backoff.
    """


class SmsProvider(Protocol):
    """Sends one text to many phones in as few requests as the provider allows."""

    name: str
    confirms_delivery: bool
    """Whether the provider's delivery reports say a phone got the message. On a
    route whose reports stop at "the operator took it", a reply from the phone
    is the only proof of receipt."""

    def send(
        self, phones: list[str], text: str, message_ids: list[int] | None = None
    ) -> list[SendResult]:
        """One result per phone, in the order given; a bad number is ``REJECTED``.

        ``message_ids`` are the gateway's own ids of each phone's message, in the
        same order. A provider whose delivery reports name the gateway's ids
        (Kannel) needs them; those that name their own ids ignore them.
        """
        ...


def is_e164(phone: str) -> bool:
    """Whether a number can be handed to a provider at all."""
    return bool(_E164.fullmatch(phone))
