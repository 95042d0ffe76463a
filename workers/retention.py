"""The daily purge of personal data past its retention (``services.retention``)."""

from __future__ import annotations

from dataclasses import asdict

from flask import current_app

from db.base import database
from gateway.services.retention import purge


def purge_expired() -> dict[str, int]:
    """Delete what is older than ``RETENTION_DAYS``; RQ keeps the counts as the result."""
    with database.connection_context():
        report = purge(current_app.config["SETTINGS"].retention_days)
    return asdict(report)
