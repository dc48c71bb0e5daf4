"""Admin pages for API tokens: created and shown once, listed without the secret, revoked after a
confirmation, every change in the audit log; managers cannot reach them."""

import re

import sqlalchemy as sa

from elearn.models import ApiToken, AuditEvent, Organisation, Role, organisation_managers

from ..conftest import FormClient, fresh
from ..factories import PASSWORD, make_user
from .api_helpers import bearer
from .test_invitations import _admin_client

_TOKEN = re.compile(r'value="(elearn_[A-Za-z0-9_-]+)"')


def _create(admin, name: str, organisation: str = "all"):
    return admin.post("/admin/api-tokens", {"name": name, "organisation_id": organisation})


def test_an_admin_creates_a_token_that_is_shown_once_and_works(app, session):
    oak = Organisation(name="Oak Trust")
    session.add(oak)
    session.commit()
    admin = _admin_client(app, session)
    page = _create(admin, "Oak HR system", str(oak.id))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    token = _TOKEN.search(html).group(1)
    assert "shown only once" in html and f"Bearer {token}" in html  # the curl line to copy
    assert page.headers["Cache-Control"] == "no-store"
    assert app.test_client().get("/api/v1/completions", headers=bearer(token)).status_code == 200
    listing = admin.get("/admin/api-tokens").get_data(as_text=True)
    assert "Oak HR system" in listing and "Oak Trust" in listing and token not in listing
    assert token[:13] in listing  # its first characters, to tell tokens apart
    fresh(session)
    row = session.scalars(sa.select(ApiToken)).one()
    assert row.organisation_id == oak.id and row.name == "Oak HR system"
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "api_token_created")).one()
    assert event.subject == "Oak HR system" and token not in str(event.details)


def test_a_token_needs_a_name_and_a_real_organisation(app, session):
    admin = _admin_client(app, session)
    blank = _create(admin, "   ")
    assert blank.status_code == 400 and "Enter a name for the token" in blank.get_data(as_text=True)
    unknown = _create(admin, "Someone", "999999")
    assert unknown.status_code == 400 and "Choose whose records the token can read" in unknown.get_data(as_text=True)
    fresh(session)
    assert session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_revoking_asks_first_then_stops_the_token_for_good(app, session):
    admin = _admin_client(app, session)
    token = _TOKEN.search(_create(admin, "Payroll").get_data(as_text=True)).group(1)
    fresh(session)
    token_id = session.scalars(sa.select(ApiToken.id)).one()
    session.rollback()
    confirm = admin.get(f"/admin/api-tokens/{token_id}/revoke")
    assert confirm.status_code == 200 and "Revoke 'Payroll'?" in confirm.get_data(as_text=True)
    assert app.test_client().get("/api/v1/completions", headers=bearer(token)).status_code == 200  # not yet
    done = admin.post(f"/admin/api-tokens/{token_id}/revoke", {})
    assert done.status_code == 303
    assert app.test_client().get("/api/v1/completions", headers=bearer(token)).status_code == 401
    assert "Revoked" in admin.get("/admin/api-tokens").get_data(as_text=True)
    again = admin.post(f"/admin/api-tokens/{token_id}/revoke", {})
    assert again.status_code == 200 and "already revoked" in again.get_data(as_text=True)
    fresh(session)
    assert session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "api_token_revoked")) == 1


def test_managers_cannot_see_or_manage_tokens(app, session):
    oak = Organisation(name="Oak Trust")
    session.add(oak)
    session.commit()
    manager = make_user(session, Role.MANAGER)
    session.execute(sa.insert(organisation_managers).values(user_id=manager.id, organisation_id=oak.id))
    session.commit()
    browser = FormClient(app.test_client())
    browser.sign_in(manager.email, PASSWORD)
    token = browser.csrf_token("/")
    assert browser.get("/admin/api-tokens").status_code == 404
    assert (
        browser.post(
            "/admin/api-tokens", {"name": "Mine", "organisation_id": str(oak.id), "csrf_token": token}
        ).status_code
        == 404
    )
    assert browser.get("/admin/api-tokens/1/revoke").status_code == 404
    fresh(session)
    assert session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0
