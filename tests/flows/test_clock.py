import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from flows import clock

HANOI = "Asia/Ho_Chi_Minh"


def test_a_vietnamese_day_starts_at_17_utc_the_evening_before():
    assert clock.at(HANOI, dt.date(2026, 12, 7)) == dt.datetime(2026, 12, 6, 17, 0)
    assert clock.local_date(HANOI, dt.datetime(2026, 12, 6, 17, 0)) == dt.date(2026, 12, 7)
    assert clock.local_date(HANOI, dt.datetime(2026, 12, 6, 16, 59)) == dt.date(2026, 12, 6)


def test_the_deadline_is_local():
    deadline = clock.at(HANOI, dt.date(2026, 12, 7), dt.time(14, 0))
    assert deadline == dt.datetime(2026, 12, 7, 7, 0)


def test_the_month_begins_on_the_local_first():
    first, start = clock.month_start(HANOI, dt.datetime(2026, 11, 30, 18, 0))
    assert first == dt.date(2026, 12, 1)
    assert start == dt.datetime(2026, 11, 30, 17, 0)


@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1)))
def test_local_and_utc_round_trip(moment: dt.datetime):
    for zone in (HANOI, "Africa/Nairobi", "UTC"):
        assert clock.to_utc(zone, clock.to_local(zone, moment)) == moment
