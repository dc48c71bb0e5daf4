"""axe-core and 320 px reflow on the API token pages, driven by keyboard: create (the token shown once, then
used against the API), the list, and revoking after a confirmation."""

from playwright.sync_api import expect

from elearn.db import Database
from elearn.models import Organisation, Role

from ..factories import make_user
from .helpers import audit
from .test_other_pages import ADMIN_PASSWORD, _sign_in


def test_api_token_pages_pass_axe_and_work_by_keyboard(page, live_app):
    with Database.sessionmaker_for(live_app)() as session:
        session.add(Organisation(name="Oak Trust"))
        session.commit()
        admin = make_user(session, Role.ADMIN, password=ADMIN_PASSWORD)

    _sign_in(page, admin.email, ADMIN_PASSWORD)
    page.goto("/admin/api-tokens")
    audit(page)
    page.get_by_role("button", name="Create token").click()  # no name: the error summary
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit(page)
    page.get_by_label("Name").focus()
    page.keyboard.type("Oak HR system")
    page.get_by_label("Whose records it can read").select_option(label="Oak Trust")
    page.get_by_label("Name").focus()
    page.keyboard.press("Enter")  # submits the form from the keyboard
    expect(page.get_by_role("heading", name="API token created")).to_be_visible()
    audit(page)
    token = page.get_by_label("Token for Oak HR system (Oak Trust)").input_value()
    api = page.request.get("/api/v1/completions", headers={"Authorization": f"Bearer {token}"})
    assert api.status == 200 and api.json()["data"] == []

    page.goto("/admin/api-tokens")
    expect(page.get_by_role("cell", name="Oak HR system", exact=True)).to_be_visible()
    assert token not in page.content()
    audit(page)
    page.get_by_role("link", name="Revoke Oak HR system").click()
    expect(page.get_by_role("heading", name="Revoke 'Oak HR system'?")).to_be_visible()
    audit(page)
    page.get_by_role("button", name="Revoke token").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Requests with it are refused from now on")).to_be_visible()
    audit(page)
    refused = page.request.get("/api/v1/completions", headers={"Authorization": f"Bearer {token}"})
    assert refused.status == 401
