"""SMS providers behind one small interface, chosen by ``SMS_PROVIDER``."""

from __future__ import annotations

from flask import current_app

from gateway.config import ConfigError, Settings
from gateway.providers.africastalking import AfricasTalkingProvider
from gateway.providers.base import ProviderError, SendResult, SmsProvider
from gateway.providers.console import ConsoleProvider
from gateway.providers.kannel import KannelProvider


def get_provider(settings: Settings) -> SmsProvider:
    """A new provider for these settings (credentials were checked by ``Settings``)."""
    if settings.sms_provider == "africastalking":
        if not (settings.at_username and settings.at_api_key):
            raise ConfigError("SMS_PROVIDER=africastalking needs AT_USERNAME and AT_API_KEY")
        return AfricasTalkingProvider(
            settings.at_username,
            settings.at_api_key,
            sender_id=settings.at_sender_id,
            api_url=settings.at_api_url,
        )
    if settings.sms_provider == "kannel":
        if not (
            settings.kannel_sendsms_url
            and settings.kannel_username
            and settings.kannel_password
            and settings.public_url
        ):
            raise ConfigError(
                "SMS_PROVIDER=kannel needs KANNEL_SENDSMS_URL, KANNEL_USERNAME,"
                " KANNEL_PASSWORD and PUBLIC_URL"
            )
        return KannelProvider(
            settings.kannel_sendsms_url,
            settings.kannel_username,
            settings.kannel_password,
            settings.public_url,
            smsc=settings.kannel_smsc,
            webhook_token=settings.webhook_token,
            reports_submit_only=settings.kannel_reports_submit_only,
        )
    return ConsoleProvider()


def current_provider() -> SmsProvider:
    """The current app's provider, built on first use and kept in ``app.extensions``."""
    extensions = current_app.extensions
    if "sms_provider" not in extensions:
        extensions["sms_provider"] = get_provider(current_app.config["SETTINGS"])
    return extensions["sms_provider"]


__all__ = ["ProviderError", "SendResult", "SmsProvider", "current_provider", "get_provider"]
