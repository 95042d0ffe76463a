import datetime as dt

import peewee
import pytest
from playhouse.schema_diff import diff_models

from db.base import database
from db.migrate import MIGRATIONS, pending, upgrade
from db.models import MODELS, Declaration
from tests import factories


def test_upgrade_on_an_existing_database_applies_nothing(app):
    assert pending() == []
    assert upgrade() == []


def test_schema_matches_the_models(app):
    assert not diff_models(database.obj, MODELS)


def test_upgrade_creates_every_table_on_an_empty_database(tmp_path):
    from db.base import connect

    connect(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    try:
        files = sorted(path.stem for path in MIGRATIONS.glob("0*.py"))
        assert upgrade() == files
        assert set(database.get_tables()) >= {m._meta.table_name for m in MODELS}
    finally:
        database.close()


def test_one_current_declaration_per_household_and_day(app):
    team = factories.team(factories.commune())
    household = factories.household(team, "H1")
    day = dt.date(2026, 11, 23)
    values = {"commune": team.commune, "household": household, "local_date": day}
    Declaration.create(kind="well", channel="sms", **values)
    Declaration.create(kind="well", channel="sms", is_current=False, **values)
    with pytest.raises(peewee.IntegrityError), database.atomic():
        Declaration.create(kind="symptoms", channel="sms", **values)
