"""What a worker reads of its session's priority (``gateway.worker_priority``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway import worker_priority


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/autogroup-85 nice 0\n", 0),
        ("/autogroup-85 nice 10\n", 10),
        ("/autogroup-85 nice -5\n", -5),
        # A process whose session has no autogroup (init's own, where CI's runner
        # runs): the kernel prints nothing.
        ("", 0),
    ],
)
def test_the_session_niceness_is_read_from_the_autogroup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: int
):
    autogroup = tmp_path / "autogroup"
    autogroup.write_text(text)
    monkeypatch.setattr(worker_priority, "AUTOGROUP", autogroup)
    assert worker_priority.session_niceness() == expected


def test_without_autogroups_the_session_counts_as_not_niced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(worker_priority, "AUTOGROUP", tmp_path / "absent")
    assert worker_priority.session_niceness() == 0
