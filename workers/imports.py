"""Console imports, previewed and committed off the web request (see ``import_runs``)."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app

from db.base import database
from db.models import ImportRun
from gateway.services import import_runs
from gateway.services.import_report import Problem

JOB_TIMEOUT = 30 * 60
"""A district's file takes seconds; a province's, a few minutes on a slow disk."""


def preview_import(run_id: int) -> str:
    return _job(import_runs.preview, run_id)


def commit_import(run_id: int) -> str:
    return _job(import_runs.commit, run_id)


def _job(step: Callable[[int, str], ImportRun], run_id: int) -> str:
    """Run ``step``; a crash marks the run failed (so the page stops waiting) and is re-raised."""
    with database.connection_context():
        try:
            return step(run_id, current_app.config["SETTINGS"].default_region).state
        except Exception:
            import_runs.fail(run_id, Problem(0, "The import stopped on an unexpected error."))
            raise
