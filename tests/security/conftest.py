"""A commune behind a webhook token, for the security tests."""

from __future__ import annotations

import dataclasses

import pytest
from flask import Flask
from redis import Redis

from db.base import utcnow
from db.models import OutboundMessage
from tests import factories
from tests.security.callbacks import (
    HOUSEHOLD_PHONE,
    MEMBER_PHONE,
    SENT_ID,
    STATION,
    TOKEN,
    resumable_session,
)


@pytest.fixture
def guarded_app(app: Flask) -> Flask:
    """The app with ``WEBHOOK_TOKEN`` set."""
    app.config["SETTINGS"] = dataclasses.replace(app.config["SETTINGS"], webhook_token=TOKEN)
    return app


@pytest.fixture
def commune(app: Flask, redis_client: Redis) -> None:
    """A household and its member, a message already sent to it, and a resumable session."""
    commune = factories.commune("SC", health_station_phone=STATION)
    team = factories.team(commune, "Thon Dong")
    member = factories.member(team, MEMBER_PHONE, "Le Thi Hoa")
    factories.household(team, "SC001", (HOUSEHOLD_PHONE,), member)
    OutboundMessage.create(
        phone=HOUSEHOLD_PHONE,
        text="Nhac khai bao",
        state="sent",
        provider="africastalking",
        provider_id=SENT_ID,
        sent_at=utcnow(),
    )
    redis_client.set(*resumable_session())
