"""Numbered lists longer than one screen: teams, provinces, open cases."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flows.ussd.engine import Ask, Done, choice
from flows.ussd.fit import LIMIT, numbered
from flows.ussd.texts import Texts

LABEL = 40
"""Longest label shown; callers clean and cut their labels to this."""

MORE = "9"
MAX_ITEMS = 8
"""Items on one page: ``9`` is kept for "more" and ``0`` for back."""


def pages(header: str, labels: Sequence[str], more: str, budget: int) -> list[range]:
    """Split a numbered list into screens of at most ``budget`` characters.

    Computed from the list alone, so every web process paginates a list the
    same way and a replayed "9" lands on the same page. Every page holds at
    least one item: labels are expected to be cut short enough for that.
    """
    result: list[range] = []
    start = 0
    while start < len(labels):
        end = start + 1
        while end < len(labels) and end - start < MAX_ITEMS:
            tail = f"\n{MORE} {more}" if end + 1 < len(labels) else ""
            if len(header) + 1 + len(numbered(labels[start : end + 1])) + len(tail) > budget:
                break
            end += 1
        result.append(range(start, end))
        start = end
    return result


def pick(
    texts: Texts,
    header: str,
    labels: Sequence[str],
    chosen: Callable[[int], Ask | Done],
) -> Ask:
    """The first page of ``labels``; ``chosen`` gets the index of the item picked.

    Pages leave room for the longest hint, so a hint never pushes an item off.
    """
    budget = LIMIT - len(texts.choose.format(1, MAX_ITEMS)) - 1
    return _page(texts, header, labels, pages(header, labels, texts.more, budget), chosen, 0)


def _page(
    texts: Texts,
    header: str,
    labels: Sequence[str],
    spans: list[range],
    chosen: Callable[[int], Ask | Done],
    page: int,
) -> Ask:
    """Each page restarts at 1 so an item is always one keypress, and ``0`` pops
    back to the previous page like any other screen."""
    span = spans[page]
    more = page + 1 < len(spans)
    lines = [header, numbered(labels[span.start : span.stop])]
    if more:
        lines.append(f"{MORE} {texts.more}")

    def answer(given: str) -> Ask | Done | None:
        if more and given == MORE:
            return _page(texts, header, labels, spans, chosen, page + 1)
        picked = choice(given, len(span))
        return None if picked is None else chosen(span.start + picked - 1)

    return Ask("\n".join(lines), texts.choose.format(1, len(span)), answer)
