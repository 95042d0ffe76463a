"""Phones are masked in every form they reach a log in; ids are never touched."""

from __future__ import annotations

import re
import uuid
from urllib.parse import quote, quote_plus

from hypothesis import given
from hypothesis import strategies as st

from gateway.logging_setup import redact_text

NATIONAL = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(["91", "98", "97", "86", "70", "38", "35", "88", "90"]),
    st.text("0123456789", min_size=7, max_size=7),
)
SEPARATORS = st.sampled_from([" ", "-", ".", "\u200f", "\u200e", "", "%20"])
PREFIXES = st.sampled_from(["", "tel:", "\u200f", "\u200e", "+84", "84", "+84 ", "tel:+84"])
CONTEXT = st.sampled_from(["sms from {} handled", "{}", "q={}&x=1", "<{}>", "call {}."])


def written(national: str, prefix: str, separator: str) -> str:
    """A Vietnamese mobile as people, phones and providers write it."""
    body = f"{national[:3]}{separator}{national[3:6]}{separator}{national[6:]}"
    return (prefix + body) if prefix.rstrip().endswith("84") else f"{prefix}0{body}"


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@given(NATIONAL, PREFIXES, SEPARATORS, CONTEXT, st.booleans())
def test_a_phone_in_any_form_is_masked(national, prefix, separator, context, encoded):
    line = context.format(written(national, prefix, separator))
    if encoded:
        line = quote_plus(line, safe="=&")
    masked = redact_text(line)
    assert national[:6] not in digits(masked), (line, masked)
    assert national not in digits(masked)


@given(st.uuids(), st.integers(1, 10**9), st.integers(0, 9))
def test_ids_are_kept_whole(job: uuid.UUID, message_id: int, attempt: int):
    ids = [
        str(job),
        job.hex,
        f"send-sms-{message_id}-{attempt}",
        f"escalate-{message_id}-{attempt}",
        f"reminder-{message_id}-2026-11-23-0730",
        f"ATXid_{job.hex}",
        f"rq:job:{job}",
    ]
    for value in ids:
        assert redact_text(f"job {value} done") == f"job {value} done"


def test_an_encoded_plus_after_tel_is_masked():
    line = "href=" + quote("tel:+84912345678", safe="")
    assert "912345" not in redact_text(line)
