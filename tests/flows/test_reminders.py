"""Slot timing and reminder texts: tables for the rules, properties for the edges."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.encoding import GSM7, measure
from flows.reminder_texts import (
    DEFAULT_ROUTINE,
    PLACEHOLDERS,
    local_phone,
    render,
    unknown_placeholders,
    variants,
)
from flows.reminders import (
    Rule,
    ScheduleError,
    Slot,
    due,
    in_quiet_hours,
    next_runs,
    parse_times,
    parse_weekdays,
    slot_deadline,
    slots_on,
)

MONDAY = dt.date(2026, 11, 23)


def at(hhmm: str, day: dt.date = MONDAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm))


def decided(rule: Rule, now: dt.datetime, done=()) -> list[tuple[str, bool, str]]:
    return [(d.slot.label, d.send, d.reason) for d in due(rule, now, set(done))]


ROUTINE = Rule.parse(
    "07:30,12:30", deadline="14:00", quiet_start="21:00", quiet_end="06:00", since=at("00:00")
)
"""Created on Monday at midnight, so the tables see Monday's slots only."""


@pytest.mark.parametrize(
    ("now", "done", "expected"),
    [
        ("07:29", (), []),
        ("07:30", (), [("07:30", True, "")]),
        ("07:31", (), [("07:30", True, "")]),
        ("07:31", ((MONDAY, "07:30"),), []),
        ("11:00", (), [("07:30", True, "")]),
        ("12:30", (), [("07:30", False, "superseded by 12:30"), ("12:30", True, "")]),
        ("12:30", ((MONDAY, "07:30"),), [("12:30", True, "")]),
        ("13:59", ((MONDAY, "07:30"),), [("12:30", True, "")]),
        (
            "14:00",
            ((MONDAY, "07:30"),),
            [("12:30", False, "missed: deadline 14:00 passed")],
        ),
        ("23:00", ((MONDAY, "07:30"), (MONDAY, "12:30")), []),
    ],
)
def test_which_slots_are_due(now: str, done, expected) -> None:
    assert decided(ROUTINE, at(now), done) == expected


def test_yesterdays_missed_slots_are_recorded_as_skipped_the_next_morning() -> None:
    tuesday = MONDAY + dt.timedelta(days=1)
    decisions = due(ROUTINE, at("06:30", tuesday), set())
    assert [(d.slot.day, d.slot.label, d.send) for d in decisions] == [
        (MONDAY, "07:30", False),
        (MONDAY, "12:30", False),
    ]


@pytest.mark.parametrize(
    ("quiet", "now", "sends"),
    [
        (("21:00", "06:00"), "05:59", False),
        (("21:00", "06:00"), "06:00", True),
        (("05:00", "06:30"), "06:15", False),
        (("05:00", "06:30"), "06:30", True),
        ((None, None), "05:45", True),
    ],
)
def test_a_slot_in_quiet_hours_waits_for_them_to_end(quiet, now: str, sends: bool) -> None:
    rule = Rule.parse("05:30", "1234567", "09:00", *quiet, since=at("00:00"))
    assert [d.send for d in due(rule, at(now), set())] == ([True] if sends else [])


def test_weekdays_and_the_schedules_creation_limit_the_slots() -> None:
    weekdays = Rule.parse("08:00", weekdays="12345")
    assert slots_on(weekdays, MONDAY) and not slots_on(weekdays, MONDAY + dt.timedelta(days=5))
    young = Rule.parse("07:30,12:30", since=at("10:00"))
    assert decided(young, at("12:45")) == [("12:30", True, "")]


@pytest.mark.parametrize(
    ("times", "deadline", "slot", "expected"),
    [
        ("07:30", "14:00", "07:30", "14:00"),
        ("07:30,12:30", "14:00", "07:30", "12:30"),
        ("17:00", "14:00", "17:00", "19:00"),
        ("23:00", None, "23:00", "24:00"),
    ],
)
def test_a_slots_deadline(times: str, deadline, slot: str, expected: str) -> None:
    rule = Rule.parse(times, deadline=deadline)
    end = slot_deadline(rule, Slot(MONDAY, dt.time.fromisoformat(slot)))
    if expected == "24:00":
        assert end == at("00:00", MONDAY + dt.timedelta(days=1))
    else:
        assert end == at(expected)


@pytest.mark.parametrize(
    ("raw", "ok"),
    [("07:30", True), ("7:30, 12:30", True), ("07:30;07:30", True), ("24:00", False),
     ("7h30", False), ("", False)],
)  # fmt: skip
def test_times_are_read_as_staff_type_them(raw: str, ok: bool) -> None:
    if ok:
        assert parse_times(raw)[0] == dt.time(7, 30)
    else:
        with pytest.raises(ScheduleError):
            parse_times(raw)


def test_weekdays_must_be_iso_digits() -> None:
    assert parse_weekdays("135") == parse_weekdays("1, 3,5") == {1, 3, 5}
    for raw in ("", "8", "mon", "1-5", "1²"):
        with pytest.raises(ScheduleError):
            parse_weekdays(raw)


@given(st.text(max_size=40), st.text(max_size=12), st.text(max_size=8))
def test_whatever_staff_type_fails_only_with_a_schedule_error(times, weekdays, deadline) -> None:
    with contextlib.suppress(ScheduleError):
        Rule.parse(times, weekdays, deadline, deadline, "06:00")


def test_quiet_hours_may_wrap_midnight() -> None:
    assert in_quiet_hours(ROUTINE, dt.time(23, 0)) and in_quiet_hours(ROUTINE, dt.time(5, 59))
    assert not in_quiet_hours(ROUTINE, dt.time(6, 0))


def test_next_runs_for_the_console() -> None:
    assert next_runs(ROUTINE, at("08:00"), 3) == [
        at("12:30"), at("07:30", MONDAY + dt.timedelta(1)), at("12:30", MONDAY + dt.timedelta(1)),
    ]  # fmt: skip
    early = Rule.parse("05:00", deadline="09:00", quiet_start="21:00", quiet_end="06:00")
    assert next_runs(early, at("04:00"), 1) == [at("06:00")]


times_strategy = st.lists(st.times().map(lambda t: t.replace(second=0, microsecond=0)), min_size=1)
rules = st.builds(
    Rule,
    times=times_strategy.map(lambda ts: tuple(sorted(set(ts)))),
    weekdays=st.frozensets(st.integers(1, 7), min_size=1),
    deadline=st.none() | st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    quiet=st.none() | st.tuples(st.times(), st.times()).filter(lambda q: q[0] != q[1]),
    since=st.none() | st.datetimes(dt.datetime(2026, 11, 20), dt.datetime(2026, 11, 25)),
)
moments = st.datetimes(dt.datetime(2026, 11, 22), dt.datetime(2026, 11, 27))


@given(rules, moments, st.sets(st.tuples(st.dates(), st.sampled_from(["07:30", "12:30"]))))
def test_due_never_raises_nor_repeats_nor_returns_what_is_done(rule, now, done) -> None:
    decisions = due(rule, now, done)
    keys = [(d.slot.day, d.slot.label) for d in decisions]
    assert len(keys) == len(set(keys))
    assert not set(keys) & done
    for decision in decisions:
        assert decision.slot.starts <= now < decision.deadline or not decision.send
        assert not (decision.send and in_quiet_hours(rule, now.time()))
    assert due(rule, now, done | set(keys)) == []


@settings(max_examples=40, deadline=None)
@given(rules, st.dates(dt.date(2026, 11, 22), dt.date(2026, 11, 25)))
def test_a_day_minute_by_minute_decides_each_slot_exactly_once(rule, day) -> None:
    done: set[tuple[dt.date, str]] = set()
    now = dt.datetime.combine(day, dt.time())
    for _ in range(2 * 24 * 60):
        for decision in due(rule, now, done):
            key = (decision.slot.day, decision.slot.label)
            assert key not in done
            done.add(key)
        now += dt.timedelta(minutes=1)
    expected = {
        (slot.day, slot.label)
        for slot in slots_on(rule, day)
        if rule.since is None or slot.starts >= rule.since
    }
    assert expected <= done


WORST = {
    "deadline": "14:00", "date": "23/11", "team": "T" * 30, "group": "G" * 30,
    "team_leader_phone": "+" + "9" * 15, "member_phone": "+" + "9" * 15, "monitoring_day": 14,
    "count": 30, "households": 9999, "declared": 9999, "on_time": 9999, "symptoms": 9999,
    "open_cases": 999,
    "monitoring": 9999, "codes": [f"AB{i:03d} 0912{i:06d}" for i in range(60)],
}  # fmt: skip
"""Longer names, phones and numbers than a commune has, to check the texts still fit."""
SEGMENTS = {"members": 3, "group_leaders": 3}


@pytest.mark.parametrize("seed", DEFAULT_ROUTINE, ids=lambda seed: seed.audience)
def test_the_routines_texts_are_gsm7_and_fit(seed) -> None:
    assert not unknown_placeholders(seed.template)
    languages = variants(seed.template)
    assert "vi" in languages
    for language in ("vi", "vi-accents", "en"):
        text = render(seed.template, language, WORST, SEGMENTS.get(seed.audience, 1))
        measured = measure(text)
        assert measured.encoding == GSM7
        assert measured.segments <= SEGMENTS.get(seed.audience, 1), (language, text)
        assert "{" not in text


def test_households_reading_english_get_english() -> None:
    morning = DEFAULT_ROUTINE[0].template
    assert render(morning, "en", WORST).startswith("Good morning!")
    assert render(morning, "vi-accents", WORST).startswith("Chao buoi sang!")


def test_a_long_list_is_cut_and_counted_to_fit() -> None:
    codes = [f"AB{i:03d}" for i in range(100)]
    text = render("{count} ho: {codes}.", "vi", {"count": 100, "codes": codes}, 1)
    assert measure(text).segments == 1
    assert text.startswith("100 ho: AB000, AB001") and "ho khac." in text
    english = render("x\nen: {codes}", "en", {"codes": codes}, 1)
    assert english.endswith("more")


def test_values_are_cleaned_to_the_templates_alphabet() -> None:
    assert render("Ho {head}", "vi", {"head": "Nguyễn Văn Đức 😀"}) == "Ho Nguyen Van Duc"
    assert render("Hộ {head}", "vi", {"head": "Nguyễn\nVăn"}) == "Hộ Nguyễn Văn"


@given(st.text(max_size=300), st.sampled_from(["vi", "vi-accents", "en", "xx"]))
def test_render_never_raises_on_what_staff_type(template: str, language: str) -> None:
    render(template, language, WORST, 3)


def test_unknown_placeholders_are_pointed_out_and_left_as_typed() -> None:
    assert unknown_placeholders("{deadline} {name} {x}") == ["name", "x"]
    assert render("{name} truoc {deadline}", "vi", {"deadline": "14:00"}) == "{name} truoc 14:00"
    assert "codes" in PLACEHOLDERS


def test_phones_are_shown_as_written_in_vietnam() -> None:
    assert local_phone("+84912345678") == "0912345678"
    assert local_phone("+4915123456789") == "+4915123456789"
