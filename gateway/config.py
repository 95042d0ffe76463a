"""Every setting of SPEC §3, typed, read in one place, failing fast when wrong."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

PROVIDERS = ("console", "africastalking", "kannel")
KANNEL_REQUIRED = ("KANNEL_SENDSMS_URL", "KANNEL_USERNAME", "KANNEL_PASSWORD", "PUBLIC_URL")
"""What ``SMS_PROVIDER=kannel`` cannot run without: where to send, as whom, and
where Kannel reaches the delivery-report webhook."""
TRUE = ("1", "true", "yes", "on")


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
    redis_sentinels: tuple[tuple[str, int], ...] = ()
    """Sentinels to ask where the Redis master is (``REDIS_SENTINELS`` or a
    ``redis+sentinel://`` URL); empty means ``redis_url`` names the server itself."""
    redis_sentinel_master: str | None = None
    retention_days: int = 90
    """How long declarations, inbound texts and case timelines are kept (``RETENTION_DAYS``)."""
    kannel_sendsms_url: str | None = None
    kannel_username: str | None = None
    kannel_password: str | None = None
    kannel_smsc: str | None = None
    public_url: str | None = None
    kannel_reports_submit_only: bool = False
    """``KANNEL_REPORTS_SUBMIT_ONLY`` (an addition to SPEC §3): the route's delivery
    reports only say that the operator took a message (international routes into
    Vietnam), so a reply from the phone is the proof of receipt."""
    session_idle_minutes: int = 120
    """A console session unused this long ends (``SESSION_IDLE_MINUTES``)."""
    session_max_hours: int = 12
    """A console session ends this long after its login, used or not (``SESSION_MAX_HOURS``)."""
    trusted_proxies: int = 0
    """How many proxies in front of the web processes set ``X-Forwarded-For`` and
    ``X-Forwarded-Proto`` (``TRUSTED_PROXIES``); 0 trusts no forwarded header."""
    worker_processes: int = os.cpu_count() or 1
    """Worker processes one ``gateway worker`` runs and keeps running (``WORKER_PROCESSES``,
    default one per core, as Celery's workers): one handles the inbox while the others
    send its replies (``bench/README.md``)."""
    worker_niceness: int = 10
    """How far a ``gateway worker`` lowers its CPU priority (``WORKER_NICENESS``, 0-19; 0
    leaves it as it was), so the web processes keep the cores while a burst arrives
    (``gateway.worker_priority``)."""
    sms_rate_limit: float = 0.0
    """Messages a second the workers together send on one route (an addition to SPEC §3);
    0, the default, is no cap of the gateway's own: Africa's Talking queues on its side and
    Kannel paces each SMPP bind to its ``throughput``. Set it for a route that does neither
    (real routes take 25-150)."""

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
        missing = [name for name in KANNEL_REQUIRED if not get(name)]
        if provider == "kannel" and missing:
            raise ConfigError(f"SMS_PROVIDER=kannel needs {', '.join(missing)}")

        timezone = get("TIMEZONE", "Asia/Ho_Chi_Minh")
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"TIMEZONE is not a known time zone: {timezone!r}") from exc

        region = get("DEFAULT_REGION", "VN").upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ConfigError(f"DEFAULT_REGION is not a phone region: {region!r}")

        redis_url = get("REDIS_URL", "redis://127.0.0.1:6379/0")
        sentinel = sentinel_settings(
            redis_url, get("REDIS_SENTINELS"), get("REDIS_SENTINEL_MASTER")
        )
        retention = get("RETENTION_DAYS", "90")
        if not retention.isdigit() or int(retention) < 1:
            raise ConfigError(f"RETENTION_DAYS must be a whole number of days: {retention!r}")
        rate = get("SMS_RATE_LIMIT", "0")
        try:
            sms_rate_limit = float(rate)
        except ValueError as exc:
            raise ConfigError(f"SMS_RATE_LIMIT must be messages a second: {rate!r}") from exc
        if not 0 <= sms_rate_limit < float("inf"):
            raise ConfigError(f"SMS_RATE_LIMIT must be 0 (no cap) or more: {rate!r}")

        return cls(
            session_idle_minutes=_positive(
                get("SESSION_IDLE_MINUTES", "120"), "SESSION_IDLE_MINUTES"
            ),
            session_max_hours=_positive(get("SESSION_MAX_HOURS", "12"), "SESSION_MAX_HOURS"),
            trusted_proxies=_positive(get("TRUSTED_PROXIES", "0"), "TRUSTED_PROXIES", lowest=0),
            database_url=get("DATABASE_URL", f"sqlite:///{instance_path / 'gateway.sqlite3'}"),
            redis_url=sentinel.url,
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
            redis_sentinels=sentinel.sentinels,
            redis_sentinel_master=sentinel.master,
            retention_days=int(retention),
            kannel_sendsms_url=get("KANNEL_SENDSMS_URL"),
            kannel_username=get("KANNEL_USERNAME"),
            kannel_password=get("KANNEL_PASSWORD"),
            kannel_smsc=get("KANNEL_SMSC"),
            public_url=get("PUBLIC_URL"),
            kannel_reports_submit_only=(get("KANNEL_REPORTS_SUBMIT_ONLY", "") or "").lower()
            in TRUE,
            sms_rate_limit=sms_rate_limit,
            worker_processes=_positive(
                get("WORKER_PROCESSES", str(cls.worker_processes)), "WORKER_PROCESSES"
            ),
            worker_niceness=_niceness(get("WORKER_NICENESS", str(cls.worker_niceness))),
        )


@dataclass(frozen=True)
class SentinelSettings:
    url: str
    """A ``redis://`` URL: the server, or with Sentinels only the password and database."""
    sentinels: tuple[tuple[str, int], ...] = ()
    master: str | None = None


def sentinel_settings(url: str, sentinels: str | None, master: str | None) -> SentinelSettings:
    """Where Redis is: one server, or a master that Sentinels point to.

    Two spellings, one meaning: ``REDIS_SENTINELS=h1:26379,h2:26379`` with
    ``REDIS_SENTINEL_MASTER=name`` (``REDIS_URL`` then gives only the password
    and database), or ``REDIS_URL=redis+sentinel://:password@h1:26379,h2:26379/name/0``.
    """
    if url.startswith("redis+sentinel://"):
        if sentinels:
            raise ConfigError("set REDIS_SENTINELS or a redis+sentinel:// REDIS_URL, not both")
        parts = urlsplit(url)
        hosts = parts.netloc.rpartition("@")[2]
        path = [part for part in parts.path.split("/") if part]
        if not path or len(path) > 2 or (len(path) == 2 and not path[1].isdigit()):
            raise ConfigError(f"REDIS_URL needs /<master name>[/<db>] after the Sentinels: {url!r}")
        auth = parts.netloc.rpartition("@")[0]
        url = f"redis://{auth + '@' if auth else ''}localhost/{path[1] if len(path) == 2 else 0}"
        sentinels, master = hosts, master or path[0]
    elif not url.startswith(("redis://", "rediss://", "unix://")):
        schemes = "redis://, rediss://, unix:// or redis+sentinel://"
        raise ConfigError(f"REDIS_URL must start with {schemes}: {url!r}")
    if not sentinels:
        if master:
            raise ConfigError("REDIS_SENTINEL_MASTER needs REDIS_SENTINELS")
        return SentinelSettings(url)
    if not master:
        raise ConfigError("REDIS_SENTINELS needs REDIS_SENTINEL_MASTER (the master's name)")
    return SentinelSettings(url, tuple(_host_port(item) for item in sentinels.split(",")), master)


def _host_port(item: str) -> tuple[str, int]:
    host, _sep, port = item.strip().rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"a Sentinel must be written host:port: {item.strip()!r}")
    return host.strip("[]"), int(port)


def _positive(value: str, name: str, lowest: int = 1) -> int:
    """A whole number setting of at least ``lowest``."""
    if not value.isascii() or not value.isdigit() or int(value) < lowest:
        raise ConfigError(f"{name} must be a whole number of at least {lowest}: {value!r}")
    return int(value)


def _niceness(value: str) -> int:
    """``WORKER_NICENESS``: a nice value a process may take without privileges."""
    niceness = _positive(value, "WORKER_NICENESS", lowest=0)
    if niceness > 19:
        raise ConfigError(f"WORKER_NICENESS must be at most 19: {value!r}")
    return niceness


def _instance_secret(instance_path: Path) -> str:
    """A secret generated once into ``instance/`` so sessions survive restarts."""
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
