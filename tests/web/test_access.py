"""Deny by default: every route declares who may use it, and each is checked for every role."""

import pytest
from werkzeug.routing import IntegerConverter

from elearn.models import Role
from elearn.web.access import ANYONE, API_TOKEN, EXEMPT_ENDPOINTS, SIGNED_IN

from ..conftest import FormClient
from ..factories import PASSWORD, make_user


def test_every_route_declares_an_access_policy(app):
    undeclared = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in EXEMPT_ENDPOINTS
        and getattr(app.view_functions[rule.endpoint], "access_policy", None) is None
    ]
    assert undeclared == []


def _concrete_urls(app):
    """One URL per rule, with harmless ids (1) and names for its parameters; sign-out last."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint == "auth.sign_out"):
        if rule.endpoint in EXEMPT_ENDPOINTS:
            continue
        values = {arg: 1 if isinstance(rule._converters[arg], IntegerConverter) else "alpha" for arg in rule.arguments}
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, rule.build(values)[1]


@pytest.mark.parametrize("role", [None, Role.TRAINEE, Role.TRAINER, Role.MANAGER, Role.ADMIN])
def test_every_route_for_every_role(app, session, role):
    browser = FormClient(app.test_client())
    if role is not None:
        user = make_user(session, role, password=PASSWORD + "-long-enough")
        browser.sign_in(user.email, PASSWORD + "-long-enough")
    token = browser.csrf_token("/")  # so POSTs reach the access check, not just the CSRF check
    for endpoint, method, url in _concrete_urls(app):
        policy = app.view_functions[endpoint].access_policy
        response = browser.client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        if policy == ANYONE:
            assert response.status_code < 500, (endpoint, method)
        elif policy == API_TOKEN:  # a session, whoever's, is not a bearer token
            assert response.status_code == 401, (endpoint, method, response.status_code)
            assert response.headers["WWW-Authenticate"].startswith("Bearer"), (endpoint, method)
        elif role is None:
            assert response.status_code == 302 and "/sign-in" in response.headers["Location"], (endpoint, method)
        elif policy == SIGNED_IN or role in policy:
            assert response.status_code in (200, 302, 303, 400, 404), (endpoint, method, response.status_code)
        else:
            assert response.status_code == 404, (endpoint, method, role, response.status_code)
