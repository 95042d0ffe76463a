"""Africa's Talking delivers the same callback several times at once.

A real threaded HTTP server runs the app; threads released together by a
barrier post the same SMS (same provider id) or the same recording USSD step
(same session and text). Every copy gets a 200, and the declaration, its case
and its SMS are stored once.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from flask import Flask

from db.models import Case, Declaration, InboundMessage, OutboundMessage
from tests.faults import commune
from tests.support import WAIT, post_at_once, serving
from workers.inbox import handle_inbox

COPIES = 8


@pytest.fixture
def server_url(gateway_app: Flask) -> Iterator[str]:
    with serving(gateway_app) as url:
        yield url


@pytest.mark.parametrize("index", [0, 1], ids=["sms", "ussd"])
def test_concurrent_copies_of_a_callback_record_once(server_url: str, index: int):
    """An SMS is handled afterwards, as the drain job the webhook woke would."""
    commune.seed(2)
    path, forms = commune.callbacks(index)
    for form in forms[:-1]:
        assert requests.post(server_url + path, data=form, timeout=WAIT).status_code == 200

    assert post_at_once(server_url + path, forms[-1], COPIES) == [200] * COPIES
    handle_inbox()

    assert Declaration.select().count() == 1
    assert Case.select().count() == 1
    assert InboundMessage.select().count() == (1 if commune.by_sms(index) else 0)
    assert (
        OutboundMessage.select().count()
        == commune.expected_outbound(range(index, index + 1)).total()
    )
