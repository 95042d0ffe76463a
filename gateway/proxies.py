"""Client addresses through the load balancer: trust exactly the proxies configured.

Behind a load balancer every request comes from the proxy's address, so the
login throttle would count every client as one. ``TRUSTED_PROXIES=N`` tells
Werkzeug's :class:`ProxyFix` to take the client's address and scheme from the
last N hops of ``X-Forwarded-For`` and ``X-Forwarded-Proto``; with the default
0 those headers are ignored, since any client could write them.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    hops = app.config["SETTINGS"].trusted_proxies
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
