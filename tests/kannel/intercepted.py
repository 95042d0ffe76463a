"""Kannel's ``sendsms`` as a test scripts it, on a local stub server (``tests.http_stub``).

For the provider's own unit tests; ``tests/kannel/test_real_kannel.py`` runs a
real Kannel instead.
"""

from __future__ import annotations

import time

from tests.http_stub import Answer, Request

SENDSMS_PATH = "/cgi-bin/sendsms"
ACCEPTED = (202, "0: Accepted for delivery")


class InterceptedSendsms:
    """Records each request's parameters; answers like Kannel, or as told."""

    def __init__(self) -> None:
        self.url = ""
        """``sendsms``'s URL, once a stub server answers with this script."""
        self.requests: list[dict[str, str]] = []
        self.answers: list[tuple[int, str] | float | Exception] = []
        """What the next requests get instead of Kannel's acceptance: an answer, an
        exception (no answer: the connection is dropped), or seconds to wait before
        accepting."""

    def callback(self, request: Request) -> Answer:
        self.requests.append(request.query)
        answer = self.answers.pop(0) if self.answers else ACCEPTED
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, float):
            time.sleep(answer)
            answer = ACCEPTED
        status, body = answer
        return status, {"Content-Type": "text/html"}, body
