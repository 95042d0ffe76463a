"""The development provider: prints each SMS and records it.

``gateway run`` on a laptop sends nothing anywhere; the operator sees each
message in the terminal, and the outbound log records it as sent.
"""

from __future__ import annotations

import sys
import uuid
from typing import NamedTuple, TextIO

from gateway.providers.base import REJECTED, SENT, SendResult, is_e164


class PrintedSms(NamedTuple):
    phone: str
    text: str
    provider_id: str


class ConsoleProvider:
    """Prints whole numbers and texts: this is a developer's terminal, not a log."""

    name = "console"
    confirms_delivery = True

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self.sent: list[PrintedSms] = []
        """Every message "sent", in order, so a test or a REPL can look."""

    def send(
        self, phones: list[str], text: str, message_ids: list[int] | None = None
    ) -> list[SendResult]:
        results = []
        for phone in phones:
            if not is_e164(phone):
                results.append(SendResult(phone, None, REJECTED, error="InvalidPhoneNumber"))
                continue
            printed = PrintedSms(phone, text, f"console-{uuid.uuid4().hex}")
            print(
                f"SMS to {phone} [{printed.provider_id}]: {text}", file=self._stream or sys.stdout
            )
            self.sent.append(printed)
            results.append(SendResult(phone, printed.provider_id, SENT))
        return results
