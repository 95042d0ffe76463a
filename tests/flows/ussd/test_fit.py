"""The small parsers and fitting helpers the menus are built on."""

from __future__ import annotations

import pytest

from flows.ussd.fit import clean, join_fitting, numbered
from flows.ussd.lists import pages
from flows.ussd.recording import several, temperature_tenths


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("13", {1, 3}),
        ("1 3", {1, 3}),
        ("1,3", {1, 3}),
        ("3-1", {1, 3}),
        ("113", {1, 3}),
        ("6", {6}),
        ("7", None),
        ("0", None),
        ("", None),
        (" ", None),
        ("1a", None),
        ("١", None),
        ("1" * 50, None),
    ],
)
def test_several(answer: str, expected: set[int] | None) -> None:
    assert several(answer, 6) == (None if expected is None else frozenset(expected))


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("385", 385),
        ("340", 340),
        ("429", 429),
        ("38.5", 385),
        ("38,5", 385),
        ("39", 390),
        ("339", None),
        ("430", None),
        ("33", None),
        ("43", None),
        ("3850", None),
        ("38.", None),
        ("38.55", None),
        ("", None),
        ("abc", None),
    ],
)
def test_temperature_tenths(answer: str, expected: int | None) -> None:
    assert temperature_tenths(answer) == expected


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        (None, 10, ""),
        ("", 10, ""),
        ("Nguyễn Văn Đức", 30, "Nguyen Van Duc"),
        ("Nguye\u0302\u0303n", 30, "Nguyen"),  # combining marks, as some keyboards send
        ("  Lê\tThị\n\rHoa  ", 30, "Le Thi Hoa"),
        ("Hoa 🌸 {€} ∑", 30, "Hoa"),
        ("Nguyen Thi Thanh Huong", 12, "Nguyen Thi"),
        ("Nguyenthithanhhuong", 12, "Nguyenthitha"),
    ],
)
def test_clean(text: str | None, limit: int, expected: str) -> None:
    assert clean(text, limit) == expected


def test_join_fitting_counts_what_does_not_fit() -> None:
    items = [f"HD{n:03}" for n in range(100)]
    text = join_fitting("Head:", items, ", ", "+{} more")

    assert len(text) <= 156
    shown = text.split("\n")[1].split(", ")
    assert shown[-1] == f"+{100 - len(shown) + 1} more"
    assert shown[:-1] == items[: len(shown) - 1]


def test_join_fitting_shows_everything_that_fits() -> None:
    assert join_fitting("Head:", ["a", "b"], ", ", "+{} more") == "Head:\na, b"


def test_pages_cover_every_label_once_and_fit() -> None:
    labels = [f"Thon so {n} xa Dong Phong" for n in range(40)]
    spans = pages("Header?", labels, "More", 140)

    assert [index for span in spans for index in span] == list(range(40))
    for number, span in enumerate(spans):
        more = "\n9 More" if number + 1 < len(spans) else ""
        assert len(span) <= 8
        assert len("Header?\n" + numbered(labels[span.start : span.stop]) + more) <= 140
