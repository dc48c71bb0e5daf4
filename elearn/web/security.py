"""CSRF on every POST, security headers on every response, no caching of signed-in pages, rate limits,
and the client's real address from a declared number of trusted proxies."""

import sys

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def init_app(app) -> None:
    csrf.init_app(app)  # exempt: the read-only bearer-token API and the LTI login and launch (each says why)
    hops = int(app.config["PROXY_HOPS"])
    if hops:  # only then: otherwise anyone could choose their address with an X-Forwarded-For header
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    limiter.init_app(app)
    _hide_server_version()

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if current_user.is_authenticated and request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response


def only_failures(response) -> bool:
    """For deduct_when: a successful sign-in or join (a redirect) does not use up the limit."""
    return response.status_code != 302


def _hide_server_version() -> None:
    """Gunicorn names itself and its version in a Server header on every response: tell no one."""
    gunicorn_http = sys.modules.get("gunicorn.http.wsgi")
    if gunicorn_http is not None:
        gunicorn_http.SERVER = "elearn"
