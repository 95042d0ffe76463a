"""Security headers on every page, through ``flask-talisman``.

The console serves everything it needs itself (SPEC §8: no asset comes from the
internet; one stylesheet, one script, charts as SVG drawn on the server), so
the Content-Security-Policy allows only this origin, no inline script or
style, and no framing (clickjacking). ``nosniff`` keeps a downloaded CSV from
being run as a page. HSTS is sent only on HTTPS requests (as Werkzeug sees
them, through :mod:`gateway.proxies`); plain HTTP is left alone because TLS
ends at the load balancer and development runs on ``http://127.0.0.1``.

Providers' callbacks never reach these hooks: they are served by an app of
their own (:mod:`gateway.webhooks`), and no browser reads them.

The session cookie's flags stay with :mod:`gateway.console.auth`, which
decides ``Secure`` per response.
"""

from __future__ import annotations

from flask import Flask
from flask_talisman import Talisman

SELF = "'self'"
CONTENT_SECURITY_POLICY = {
    "default-src": SELF,
    "script-src": SELF,
    "style-src": SELF,
    "img-src": [SELF, "data:"],
    "connect-src": SELF,
    "form-action": SELF,
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}
HSTS_SECONDS = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    Talisman(
        app,
        force_https=False,
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        strict_transport_security=True,
        strict_transport_security_max_age=HSTS_SECONDS,
        strict_transport_security_include_subdomains=False,
        referrer_policy="same-origin",
        session_cookie_secure=False,
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        x_content_type_options=True,
    )
