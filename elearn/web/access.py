"""Deny by default: every view declares who may use it; a hook enforces it before the view runs.

A test walks app.url_map and fails on any endpoint without a declared policy.
"""

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from ..models import Role

ANYONE = "anyone"
SIGNED_IN = "signed_in"
# A bearer token, not a session: the API blueprint checks it before its views (elearn/api/auth.py).
API_TOKEN = "api_token"  # nosec B105: the name of an access policy, not a secret
# Flask's own endpoint for static files, served without a session.
EXEMPT_ENDPOINTS = {"static"}


def policy(who):
    """Declare the policy of a view: ANYONE, SIGNED_IN, or a set of roles."""

    def decorate(view):
        view.access_policy = who
        return view

    return decorate


def public(view):
    return policy(ANYONE)(view)


def signed_in(view):
    return policy(SIGNED_IN)(view)


def api_token(view):
    return policy(API_TOKEN)(view)


def roles(*allowed: Role):
    return policy(frozenset(allowed))


def init_app(app) -> None:
    app.before_request(enforce_policy)


def enforce_policy():
    if request.endpoint is None or request.endpoint in EXEMPT_ENDPOINTS:
        return None
    view = current_app.view_functions[request.endpoint]
    who = getattr(view, "access_policy", None)
    if who is None:
        abort(404)  # undeclared: refuse, and do not reveal that it exists
    if who in (ANYONE, API_TOKEN):
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    if who == SIGNED_IN or current_user.role in who:
        return None
    abort(404)  # another role's page: not found, as for someone else's data
