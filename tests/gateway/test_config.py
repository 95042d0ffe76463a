from pathlib import Path

import pytest

from gateway.config import ConfigError, Settings


def test_defaults_follow_the_spec(tmp_path: Path):
    settings = Settings.from_env({}, tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path / 'gateway.sqlite3'}"
    assert settings.redis_url == "redis://127.0.0.1:6379/0"
    assert settings.sms_provider == "console"
    assert settings.timezone == "Asia/Ho_Chi_Minh"
    assert settings.default_region == "VN"
    assert settings.webhook_token is None
    assert settings.worker_niceness == 10
    assert Settings.from_env({"WORKER_NICENESS": "0"}, tmp_path).worker_niceness == 0


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path: Path):
    first = Settings.from_env({}, tmp_path).secret_key
    assert len(first) >= 32
    assert Settings.from_env({}, tmp_path).secret_key == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SMS_PROVIDER": "carrier-pigeon"}, "SMS_PROVIDER"),
        ({"SMS_PROVIDER": "africastalking"}, "AT_USERNAME"),
        ({"TIMEZONE": "Mars/Olympus"}, "TIMEZONE"),
        ({"DEFAULT_REGION": "XX"}, "DEFAULT_REGION"),
        ({"WORKER_NICENESS": "20"}, "WORKER_NICENESS"),
        ({"WORKER_NICENESS": "-5"}, "WORKER_NICENESS"),
        ({"WORKER_NICENESS": "low"}, "WORKER_NICENESS"),
    ],
)
def test_a_wrong_setting_fails_at_start_up(tmp_path: Path, env, message):
    with pytest.raises(ConfigError, match=message):
        Settings.from_env({"SECRET_KEY": "x", **env}, tmp_path)


def test_africastalking_with_credentials(tmp_path: Path):
    settings = Settings.from_env(
        {"SMS_PROVIDER": "africastalking", "AT_USERNAME": "sandbox", "AT_API_KEY": "k"}, tmp_path
    )
    assert settings.at_username == "sandbox"
