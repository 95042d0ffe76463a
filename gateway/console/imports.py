"""Console imports: keep the upload on disk, start and follow its background jobs.

The upload is streamed to a file under ``instance/console-imports`` (Werkzeug
spools a file part to disk as it arrives; it is never read into memory whole),
named by a random token, not by the user's file name. The jobs are enqueued
after the run's row is committed, so a job always finds its row; when Redis
cannot take them, the run is marked failed with a reason staff can act on.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from flask import current_app
from redis.exceptions import RedisError
from werkzeug.datastructures import FileStorage

from db.models import Commune, ImportRun
from gateway.jobs import DEFAULT
from gateway.services import import_runs
from gateway.services.import_report import Problem

KEEP_SECONDS = 24 * 3600
JOB_TIMEOUT = 30 * 60


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "console-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def start(upload: FileStorage, commune: Commune, staff_id: int) -> ImportRun:
    """Store the file, record the run and enqueue its preview."""
    folder = _folder()
    for old in folder.iterdir():
        if old.stat().st_mtime < time.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    suffix = Path(upload.filename or "").suffix.lower()
    path = folder / f"{token}{suffix}"
    upload.save(path)
    run = import_runs.create(path, upload.filename or path.name, commune, staff_id, token)
    _enqueue("workers.imports.preview_import", run)
    return run


def commit(run: ImportRun) -> None:
    _enqueue("workers.imports.commit_import", run)


def _enqueue(job: str, run: ImportRun) -> None:
    try:
        current_app.extensions["queues"][DEFAULT].enqueue(
            job, run.id, job_timeout=JOB_TIMEOUT, result_ttl=3600
        )
    except RedisError:
        import_runs.fail(
            run.id, Problem(0, "The background workers cannot be reached; try again shortly.")
        )
