"""Every setting of SPEC §3, typed, read in one place, failing fast when wrong."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

PROVIDERS = ("console", "africastalking")


class ConfigError(ValueError):
    """A setting is missing or wrong; raised at start-up, never mid-request."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: str
    sms_provider: str
    at_username: str | None
    at_api_key: str | None
    at_sender_id: str | None
    at_api_url: str | None
    webhook_token: str | None
    secret_key: str
    timezone: str
    default_region: str
    instance_path: Path
    metrics_token: str | None = None
    """Bearer token for ``/metrics`` (an addition to SPEC §3); unset, it is served only in debug."""

    @classmethod
    def from_env(cls, env: Mapping[str, str], instance_path: Path) -> Settings:
        """Build settings from environment-like values, checking each one."""

        def get(name: str, default: str | None = None) -> str | None:
            value = env.get(name)
            return value.strip() if value and value.strip() else default

        provider = get("SMS_PROVIDER", "console")
        if provider not in PROVIDERS:
            raise ConfigError(f"SMS_PROVIDER must be one of {', '.join(PROVIDERS)}: {provider!r}")
        if provider == "africastalking" and not (get("AT_USERNAME") and get("AT_API_KEY")):
            raise ConfigError("SMS_PROVIDER=africastalking needs AT_USERNAME and AT_API_KEY")

        timezone = get("TIMEZONE", "Asia/Ho_Chi_Minh")
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"TIMEZONE is not a known time zone: {timezone!r}") from exc

        region = get("DEFAULT_REGION", "VN").upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ConfigError(f"DEFAULT_REGION is not a phone region: {region!r}")

        return cls(
            database_url=get("DATABASE_URL", f"sqlite:///{instance_path / 'gateway.sqlite3'}"),
            redis_url=get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            sms_provider=provider,
            at_username=get("AT_USERNAME"),
            at_api_key=get("AT_API_KEY"),
            at_sender_id=get("AT_SENDER_ID"),
            at_api_url=get("AT_API_URL"),
            webhook_token=get("WEBHOOK_TOKEN"),
            secret_key=get("SECRET_KEY") or _instance_secret(instance_path),
            timezone=timezone,
            default_region=region,
            instance_path=instance_path,
            metrics_token=get("METRICS_TOKEN"),
        )


def _instance_secret(instance_path: Path) -> str:
    """A secret generated once into ``instance/`` so sessions survive restarts."""
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
