"""Query values and path ids, parsed with bounds: a 400 or a 404, never a 500.

Python's ``str.isdigit`` says yes to ``²`` and ``٣`` and ``int()`` takes them
or fails; a 20-digit id overflows PostgreSQL's ``integer`` (a 500 there, a
silent miss on SQLite); a date in year 1 overflows the day arithmetic behind
the report; a NUL byte is refused by PostgreSQL's driver. So every console
value is read here, ASCII digits only, within what the database can hold.

The console's filters forgive what staff mistype: a value that is not a number
or a date at all is ignored (the filter is off), while a well-formed number or
date outside its bounds is a 400 that names the field and the bounds.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import Flask, abort, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.routing import BaseConverter, ValidationError

DB_INT_MAX = 2**31 - 1
"""PostgreSQL's ``integer``, the type of every id column (SQLite's is wider)."""
MAX_PAGE = 100_000
"""Far past any list's end (a province's households at 50 a page), and the
row offset it makes stays small."""
REPORT_YEARS = 10
"""How far back a report may be asked for; the product has no older data."""
ASCII_INT = re.compile(r"[0-9]{1,20}")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class IdConverter(BaseConverter):
    """``<id:name>`` in a route: ASCII digits that fit an id column, or no match (404)."""

    regex = r"[0-9]{1,10}"
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= DB_INT_MAX:
            raise ValidationError()
        return number

    def to_url(self, value: Any) -> str:
        return str(int(value))


def integer(args: MultiDict[str, str], name: str, highest: int = DB_INT_MAX) -> int | None:
    """A whole number from 1 to ``highest``; ``None`` when absent or not a number."""
    raw = args.get(name, "").strip()
    if not ASCII_INT.fullmatch(raw):
        return None
    number = int(raw)
    if not 1 <= number <= highest:
        abort(
            400,
            _(
                "%(field)s must be a whole number from 1 to %(highest)d.",
                field=name,
                highest=highest,
            ),
        )
    return number


def page(args: MultiDict[str, str]) -> int:
    """The list page asked for, 1 when none is."""
    return integer(args, "page", MAX_PAGE) or 1


def day(args: MultiDict[str, str], name: str, latest: dt.date) -> dt.date | None:
    """A ``YYYY-MM-DD`` date up to ``latest`` (a later one is ``latest``).

    ``None`` when absent or not a date; a 400 when earlier than the product's data.
    """
    raw = args.get(name, "").strip()
    if not ISO_DATE.fullmatch(raw):
        return None
    try:
        asked = dt.date.fromisoformat(raw)
    except ValueError:
        return None
    earliest = latest - dt.timedelta(days=366 * REPORT_YEARS)
    if asked < earliest:
        abort(
            400,
            _(
                "%(field)s must be a date from %(earliest)s to %(latest)s.",
                field=name,
                earliest=earliest.isoformat(),
                latest=latest.isoformat(),
            ),
        )
    return min(asked, latest)


def text(args: MultiDict[str, str], name: str, longest: int) -> str:
    """Free text (a search), trimmed to ``longest`` characters."""
    return args.get(name, "").strip()[:longest]


def refuse_control_characters() -> None:
    """A 400 for a NUL or other control character in any query or form value.

    No console field holds one, and PostgreSQL refuses NUL in text: without
    this a search for ``%00`` would be a 500 there and a miss on SQLite. In
    the path (a commune code) it is a 404: no page has such a name.
    """
    if CONTROL.search(request.path):
        abort(404)
    for values in (request.args, request.form):
        for name, value in values.items(multi=True):
            if CONTROL.search(name) or CONTROL.search(value):
                field = CONTROL.sub("", name)[:40]
                abort(400, _("%(field)s holds a character that is not allowed.", field=field))


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
