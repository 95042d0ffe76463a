"""Arbitrary input at every webhook: a 2xx/4xx or a valid USSD screen, never a 500."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.models import Case, Declaration
from flows.encoding import is_gsm7
from flows.ussd import step
from gateway.services.callers import identify
from gateway.services.ussd_context import load_context
from tests import factories

HOUSEHOLD_PHONE = "+84912000001"
MEMBER_PHONE = "+84988000001"
_sessions = itertools.count()
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

answers = st.one_of(
    st.sampled_from(["", "0", "00", "1", "2", "3", "4", "5", "6", "7", "9", "13", "385", "AB002"]),
    st.text(max_size=12),
    st.text(alphabet="0123456789* ", max_size=20),
)
fields = st.one_of(st.none(), st.text(max_size=40), st.just("x" * 3000))


@pytest.fixture
def commune():
    commune = factories.commune("AB")
    team = factories.team(commune, "Thon Dong")
    member = factories.member(team, MEMBER_PHONE, "Le Thi Hoa")
    factories.household(team, "AB001", (HOUSEHOLD_PHONE,), member)
    factories.household(team, "AB002", (), member)
    return commune


@FUZZ
@given(
    phone=st.sampled_from([HOUSEHOLD_PHONE, MEMBER_PHONE, "+84912999999"]),
    steps=st.lists(answers, max_size=8),
)
def test_any_answer_sequence_gets_a_valid_screen_and_no_partial_record(
    client, commune, phone, steps
):
    session = f"fuzz-{next(_sessions)}"
    body = ""
    for count in range(len(steps) + 1):
        text = "*".join(steps[:count])
        response = client.post(
            "/webhooks/africastalking/ussd",
            data={"sessionId": session, "phoneNumber": phone, "text": text},
        )
        if response.status_code == 400:
            assert len(text) > 2000
            return
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert body.startswith(("CON ", "END ")) and len(body) <= 160 and is_gsm7(body)
        if body.startswith("END "):
            break
    recorded = Declaration.get_or_none(Declaration.source_ref == f"ussd:{session}")
    if body.startswith("CON "):
        assert recorded is None
    if recorded is not None and recorded.kind != "well":
        assert Case.select().where(Case.declaration == recorded).count() == 1


def test_ten_thousand_characters_of_answers(client, commune):
    response = client.post(
        "/webhooks/africastalking/ussd",
        data={"sessionId": "long", "phoneNumber": HOUSEHOLD_PHONE, "text": "1*" * 5000},
    )
    assert response.status_code == 400
    assert Declaration.select().count() == 0


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("/webhooks/africastalking/ussd", ["sessionId", "serviceCode", "phoneNumber", "text"]),
        ("/webhooks/africastalking/ussd/events", ["sessionId", "phoneNumber", "status", "input"]),
        ("/webhooks/africastalking/sms", ["from", "to", "text", "date", "id", "linkId"]),
        ("/webhooks/africastalking/delivery", ["id", "status", "phoneNumber", "failureReason"]),
        ("/webhooks/kannel/sms", ["from", "to", "text", "id", "smsc", "coding", "charset"]),
        ("/webhooks/kannel/delivery", ["id", "status", "answer", "smsc"]),
    ],
)
def test_arbitrary_form_fields_never_give_a_500(client, commune, path, names):
    @FUZZ
    @given(values=st.fixed_dictionaries({name: fields for name in names}))
    def check(values):
        data = {name: value for name, value in values.items() if value is not None}
        response = client.post(path, data=data)
        assert response.status_code in (200, 400), response.get_data(as_text=True)[:200]

    check()


@pytest.mark.parametrize("path", ["/webhooks/kannel/sms", "/webhooks/kannel/delivery"])
def test_arbitrary_kannel_urls_never_give_a_500(client, commune, path):
    """Kannel puts its fields in the URL, as raw bytes in the charset it names."""

    @FUZZ
    @given(
        values=st.dictionaries(
            st.sampled_from(["from", "to", "text", "id", "status", "answer", "charset", "smsc"]),
            st.one_of(st.binary(max_size=60), st.sampled_from([b"1", b"16", b"UTF-16BE"])),
        ),
        post=st.booleans(),
    )
    def check(values, post):
        url = f"{path}?{urlencode(values)}"
        if post:
            response = client.post(url, data=b"", content_type="text/plain")
        else:
            response = client.get(url)
        assert response.status_code in (200, 400), response.get_data(as_text=True)[:200]
        assert response.get_data() == b"" or response.status_code == 400

    check()


@FUZZ
@given(dropped=st.lists(answers, max_size=5), steps=st.lists(answers, max_size=6))
def test_a_resumed_session_serves_the_pure_menus_screens(
    app, client, commune, redis_client, dropped, steps
):
    """The webhook builds each screen as if nothing were on offer and corrects it when
    Redis says otherwise: whatever the answers, what it serves must be what the pure
    menu shows with the dropped session's answers on offer."""
    redis_client.delete(f"ussd:last:{HOUSEHOLD_PHONE}")

    def serve(session: str, answers: list[str]) -> str | None:
        response = client.post(
            "/webhooks/africastalking/ussd",
            data={"sessionId": session, "phoneNumber": HOUSEHOLD_PHONE, "text": "*".join(answers)},
        )
        return response.get_data(as_text=True) if response.status_code == 200 else None

    first = f"fuzz-{next(_sessions)}"
    offer: tuple[str, ...] = ()
    for count in range(len(dropped) + 1):
        body = serve(first, dropped[:count])
        if body is None or body.startswith("END "):
            break
    with app.app_context():
        ctx = load_context(identify(HOUSEHOLD_PHONE, ""), dt.date.today())
    if body is not None and body.startswith("CON "):
        offer = step("*".join(dropped[:count]), ctx).answers
    second = f"fuzz-{next(_sessions)}"
    for count in range(len(steps) + 1):
        expected = step("*".join(steps[:count]), replace(ctx, resumable=offer))
        body = serve(second, steps[:count])
        if body is None:
            return
        assert body == ("END " if expected.end else "CON ") + expected.text
        if expected.end:
            break
