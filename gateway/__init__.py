"""The Flask application factory: nothing is built at import time."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from dotenv import load_dotenv
from flask import Flask

from gateway import (
    cli,
    console,
    database,
    health,
    logging_setup,
    metrics,
    proxies,
    redis_queues,
    security_headers,
    webhooks,
)
from gateway.config import Settings


def create_app(config: Mapping[str, str] | None = None) -> Flask:
    """Build the app from the environment (and ``.env``), or from ``config`` in tests.

    A test passes its own mapping so nothing leaks in from the machine's
    environment or a developer's ``.env``.
    """
    app = Flask(__name__, instance_path=str(Path.cwd() / "instance"))
    if config is None:
        load_dotenv(Path.cwd() / ".env")
        config = os.environ
    settings = Settings.from_env(config, Path(app.instance_path))
    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        MAX_FORM_MEMORY_SIZE=64 * 1024,
    )

    logging_setup.init_app(app)
    security_headers.init_app(app)
    metrics.init_app(app)
    database.init_app(app)
    redis_queues.init_app(app)
    health.init_app(app)
    webhooks.init_app(app)
    console.init_app(app)
    cli.init_app(app)
    proxies.init_app(app)  # outermost: callbacks and pages alike see the client's address
    return app
