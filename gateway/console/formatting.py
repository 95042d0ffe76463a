"""How times, ages and codes read on a console page.

Times are stored as naive UTC; staff think in the commune's local time, so
every time shown goes through :func:`local` with the commune's zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, g
from flask_babel import gettext as _
from markupsafe import Markup

from db.base import utcnow
from db.models import RUNGS
from flows import clock
from gateway.console import labels


def _zone() -> str:
    commune = g.get("commune")
    return commune.timezone if commune else current_app.config["SETTINGS"].timezone


def local(moment: dt.datetime | None) -> str:
    """``14/08/2024 09:05`` in the commune's time."""
    if moment is None:
        return ""
    return clock.to_local(_zone(), moment).strftime("%d/%m/%Y %H:%M")


def age(since: dt.datetime | None, until: dt.datetime | None = None) -> str:
    """How long ago, in the largest units that matter for a case: ``3 h 05 min``."""
    if since is None:
        return ""
    minutes = max(int(((until or utcnow()) - since).total_seconds() // 60), 0)
    if minutes < 60:
        return _("%(m)d min", m=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _("%(h)d h %(m)02d min", h=hours, m=minutes)
    return _("%(d)d days", d=hours // 24)


def label(kind: str, code: str | None) -> str:
    """The translated word for a stored code, or the code itself when unknown."""
    if code is None:
        return ""
    return str(getattr(labels, kind).get(code, code))


def weekday(moment: dt.datetime) -> str:
    return str(labels.WEEKDAYS[str(moment.isoweekday())])


def column_label(name: str) -> str:
    """A report column's heading; a column added to the report later shows its name."""
    return str(labels.REPORT_COLUMNS.get(name, name.replace("_", " ")))


def tel(phone: str | None) -> Markup:
    """A phone a staff member's own phone can call with one tap; ``—`` when there is none."""
    if not phone:
        return Markup("—")
    return Markup('<a class="tel" href="tel:{0}">{0}</a>').format(phone)


def tel_list(phones: list[str]) -> Markup:
    return Markup(", ").join(tel(phone) for phone in phones) if phones else tel(None)


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def helpers() -> dict[str, Any]:
    """Put into every console template by the blueprint's context processor."""
    return {
        "local": local,
        "age": age,
        "label": label,
        "percent": percent,
        "symptom_words": labels.symptoms,
        "ladder": RUNGS,
        "weekday": weekday,
        "column_label": column_label,
        "tel": tel,
        "tel_list": tel_list,
    }
