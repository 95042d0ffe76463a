"""Where Redis is: one server, or a master behind Sentinels, in either spelling."""

from __future__ import annotations

from pathlib import Path

import pytest
from redis.sentinel import SentinelConnectionPool

from gateway.config import ConfigError, Settings
from gateway.redis_connection import connect, describe


def settings(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env({"SECRET_KEY": "x", **env}, tmp_path)


def test_two_spellings_of_the_same_sentinels(tmp_path: Path):
    listed = settings(
        tmp_path,
        REDIS_URL="redis://:s3cret@ignored/2",
        REDIS_SENTINELS="10.0.0.1:26379, 10.0.0.2:26380",
        REDIS_SENTINEL_MASTER="queues",
    )
    url = settings(
        tmp_path, REDIS_URL="redis+sentinel://:s3cret@10.0.0.1:26379,10.0.0.2:26380/queues/2"
    )
    for one in (listed, url):
        assert one.redis_sentinels == (("10.0.0.1", 26379), ("10.0.0.2", 26380))
        assert one.redis_sentinel_master == "queues"
        client = connect(one)
        pool = client.connection_pool
        assert isinstance(pool, SentinelConnectionPool)
        assert pool.service_name == "queues"
        assert pool.connection_kwargs["db"] == 2
        assert pool.connection_kwargs["password"] == "s3cret"
        assert "s3cret" not in describe(one)


def test_a_plain_url_has_no_sentinels(tmp_path: Path):
    plain = settings(tmp_path, REDIS_URL="redis://:pw@cache:6380/1")
    assert plain.redis_sentinels == ()
    assert not isinstance(connect(plain).connection_pool, SentinelConnectionPool)
    assert describe(plain) == "redis://cache:6380/1"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"REDIS_SENTINELS": "10.0.0.1:26379"}, "REDIS_SENTINEL_MASTER"),
        ({"REDIS_SENTINEL_MASTER": "queues"}, "REDIS_SENTINELS"),
        ({"REDIS_SENTINELS": "10.0.0.1", "REDIS_SENTINEL_MASTER": "q"}, "host:port"),
        ({"REDIS_SENTINELS": "h:99999", "REDIS_SENTINEL_MASTER": "q"}, "host:port"),
        ({"REDIS_URL": "redis+sentinel://h:26379"}, "master name"),
        ({"REDIS_URL": "redis+sentinel://h:26379/q/x"}, "master name"),
        ({"REDIS_URL": "redis+sentinel://h:1/q", "REDIS_SENTINELS": "h:2"}, "not both"),
        ({"REDIS_URL": "http://cache"}, "REDIS_URL"),
        ({"RETENTION_DAYS": "0"}, "RETENTION_DAYS"),
        ({"RETENTION_DAYS": "ninety"}, "RETENTION_DAYS"),
    ],
)
def test_a_wrong_redis_setting_fails_at_start_up(tmp_path: Path, env, message):
    with pytest.raises(ConfigError, match=message):
        settings(tmp_path, **env)
