"""The ``gateway`` command: a Flask CLI group, so ``flask --app wsgi ...`` works too."""

from __future__ import annotations

from flask import Flask
from flask.cli import FlaskGroup

from gateway.cli import data, db, flows, reminders, reports, retention, staff, workers


def init_app(app: Flask) -> None:
    for command in (
        db.db,
        data.import_file,
        data.demo,
        staff.staff,
        workers.worker,
        workers.cron,
        workers.run,
        reports.report,
        reports.messages,
        reminders.reminders,
        flows.flows,
        retention.purge,
    ):
        app.cli.add_command(command)


def _create_app() -> Flask:
    from gateway import create_app

    return create_app()


def main() -> None:
    group = FlaskGroup(
        create_app=_create_app,
        add_default_commands=False,
        add_version_option=False,
        load_dotenv=False,
        help="SMS/USSD gateway for community health teams.",
    )
    # On the group itself, not only the app: simulating needs no app at all.
    group.add_command(flows.flows)
    group.main(prog_name="gateway")
