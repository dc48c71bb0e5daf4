"""An LTI launch in a real browser: the platform's login redirect, its form posting the signed id_token, and
the learner signed in on their course; then the launch problem page. axe and 320 px reflow on both."""

from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from elearn.db import Database
from elearn.models import Enrolment

from ..web.lti_platform import SimulatedPlatform, register
from .helpers import audit


@pytest.fixture
def platform():
    simulated = SimulatedPlatform()
    yield simulated
    simulated.close()


def test_a_learner_launched_from_their_lms_lands_on_their_course(page, live_app, platform):
    live_app.config["PUBLIC_URL"] = live_app.config["LIVE_URL"]  # the launch URL the platform has registered
    with Database.sessionmaker_for(live_app)() as session:
        register(session, platform)
    login = {"iss": platform.issuer, "client_id": platform.client_id, "login_hint": "hint"}

    page.goto("/lti/login?" + urlencode(login))
    page.get_by_role("button", name="Continue to elearn").click(
        timeout=60_000
    )  # the first course page reads the content

    with Database.sessionmaker_for(live_app)() as session:  # ids are not 1 on PostgreSQL: sequences go on
        enrolment_id = session.scalar(sa.select(Enrolment.id))
    expect(page).to_have_url(live_app.config["LIVE_URL"] + f"/course/{enrolment_id}")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    audit(page)

    page.go_back()  # the platform's page again: posting the same id_token a second time
    page.get_by_role("button", name="Continue to elearn").click()
    expect(page.get_by_role("heading", name="elearn could not open your course")).to_be_visible()
    audit(page)


def test_the_launch_address_opened_directly_explains_itself(page):
    page.goto("/lti/launch")
    expect(page.get_by_text("Open elearn from your learning platform")).to_be_visible()
    audit(page)
