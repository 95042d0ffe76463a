"""Kannel's ``sendsms`` answered inside the test process, through ``responses``.

For the provider's own unit tests; ``tests/kannel/test_real_kannel.py`` runs a
real Kannel instead.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from requests import PreparedRequest

SENDSMS_URL = "http://kannel.test:13013/cgi-bin/sendsms"
ACCEPTED = (202, "0: Accepted for delivery")


class InterceptedSendsms:
    """Records each request's parameters; answers like Kannel, or as told."""

    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        self.answers: list[tuple[int, str] | Exception] = []
        """What the next requests get instead of Kannel's acceptance."""

    def callback(self, request: PreparedRequest) -> tuple[int, dict[str, str], str]:
        self.requests.append(dict(parse_qsl(urlsplit(str(request.url)).query)))
        answer = self.answers.pop(0) if self.answers else ACCEPTED
        if isinstance(answer, Exception):
            raise answer
        status, body = answer
        return status, {"Content-Type": "text/html"}, body
