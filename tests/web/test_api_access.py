"""Every API route, for a token of each organisation and for an all-organisations token: a token of one
organisation never sees another's data, whatever the filters ask for; without a live token, 401."""

import pytest

from elearn.web.access import API_TOKEN

from .api_helpers import api_world, bearer, names_in, new_token


def _api_paths(app) -> list[str]:
    paths = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if getattr(app.view_functions[rule.endpoint], "access_policy", None) == API_TOKEN
    ]
    assert paths, "no API routes found"
    return sorted(paths)


def _all_pages(client, path: str, token: str, **query) -> set[str]:
    """Every name on every page, following next_cursor with a small page size."""
    names, cursor = set(), None
    while True:
        args = {**query, "limit": 1, **({"cursor": cursor} if cursor else {})}
        response = client.get(path, query_string=args, headers=bearer(token))
        assert response.status_code == 200, (path, args, response.get_json())
        body = response.get_json()
        names |= names_in(body)
        cursor = body["next_cursor"]
        if cursor is None:
            return names


def test_a_token_of_one_organisation_never_sees_another_organisations_data(app, session):
    world = api_world(session)
    oak = new_token(session, world.admin_id, world.oak_id)
    elm = new_token(session, world.admin_id, world.elm_id)
    everyone = new_token(session, world.admin_id)
    client = app.test_client()
    elm_side = {
        "": {},
        "filtered to the other organisation": {"organisation": world.elm_id},
        "filtered to the other organisation's cohort": {"cohort": world.elm_cohort_id},
    }
    for path in _api_paths(app):
        oak_staff, elm_staff = world.oak_names, world.elm_names
        for label, query in elm_side.items():
            seen = _all_pages(client, path, oak, **query)
            assert seen <= oak_staff and not seen & world.elm_names, (path, label, seen)
        assert _all_pages(client, path, oak) == oak_staff, path
        assert _all_pages(client, path, elm) == elm_staff, path
        # Elm's person on Oak's cohort is Elm's: an Oak token filtering on its own cohort does not see them.
        assert not _all_pages(client, path, oak, cohort=world.oak_cohort_id) & world.elm_names, path
        assert _all_pages(client, path, everyone) == oak_staff | elm_staff, path


@pytest.mark.parametrize("header", [None, "Bearer ", "Bearer elearn_not-a-token", "Basic dXNlcjpwYXNz", "elearn_x"])
def test_without_a_live_token_every_route_answers_401(app, session, header):
    client = app.test_client()
    for path in _api_paths(app):
        response = client.get(path, headers={"Authorization": header} if header else {})
        assert response.status_code == 401, (path, header)
        assert response.content_type == "application/problem+json"
        assert response.headers["WWW-Authenticate"].startswith('Bearer realm="elearn API"')
        assert response.get_json()["status"] == 401


def test_a_revoked_token_is_refused_at_once(app, session):
    from elearn.db import utcnow
    from elearn.domain.people import api_tokens
    from elearn.models import ApiToken, User

    world = api_world(session)
    token = new_token(session, world.admin_id)
    client = app.test_client()
    assert client.get("/api/v1/completions", headers=bearer(token)).status_code == 200
    row = session.query(ApiToken).one()
    api_tokens.revoke(session, row, session.get(User, world.admin_id), utcnow())
    session.commit()
    response = client.get("/api/v1/completions", headers=bearer(token))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_signed_in_admin_session_is_not_an_api_token(app, session):
    from elearn.models import Role

    from ..conftest import FormClient
    from ..factories import PASSWORD, make_user

    admin = make_user(session, Role.ADMIN, password=PASSWORD + "-long-enough")
    browser = FormClient(app.test_client())
    browser.sign_in(admin.email, PASSWORD + "-long-enough")
    assert browser.get("/api/v1/completions").status_code == 401
