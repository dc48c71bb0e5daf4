"""LTI 1.3 launch against a platform simulated in the tests (its own key, key set over real HTTP, signed
id_tokens): login -> redirect to the platform -> id_token posted back -> signed in on the course.
Every refusal names the problem and leaves no account, link or enrolment behind."""

import threading

import pytest
import sqlalchemy as sa

from elearn.models import AuditEvent, Enrolment, LtiLink, LtiNonce, Organisation, Role, User

from ..conftest import FormClient
from ..factories import make_cohort, make_user
from .lti_platform import LTI, SimulatedPlatform, begin_login, launch, new_rsa_key, register


@pytest.fixture
def platform():
    simulated = SimulatedPlatform()
    yield simulated
    simulated.close()


@pytest.fixture
def registered(session, platform):
    return register(session, platform)


def counts(session) -> dict:
    session.rollback()  # see what the app committed
    return {
        model.__tablename__: session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (User, Enrolment, LtiLink)
    }


def test_first_launch_creates_a_trainee_enrols_and_signs_them_in_then_the_next_finds_them(
    app, session, client, platform, registered
):
    organisation, cohort = registered
    with client.client.session_transaction() as planted:
        planted["planted"] = "by someone else"  # session fixation: nothing from before the launch survives

    response, _, _ = launch(client, platform)

    assert response.status_code == 303
    session.rollback()
    user = session.scalar(sa.select(User).where(User.email == "sam.learner@example.org"))
    assert (user.role, user.full_name, user.organisation_id, user.password_hash) == (
        Role.TRAINEE,
        "Sam Learner",
        organisation.id,
        None,
    )
    enrolment = session.scalar(sa.select(Enrolment).where(Enrolment.user_id == user.id))
    assert enrolment.cohort_id == cohort.id
    assert response.headers["Location"].endswith(f"/course/{enrolment.id}")
    link = session.scalar(sa.select(LtiLink))
    assert (link.issuer, link.subject, link.user_id) == (platform.issuer, "learner-1", user.id)
    with client.client.session_transaction() as signed_in:
        assert "planted" not in signed_in and signed_in["_user_id"] == user.session_token
    assert client.get(response.headers["Location"]).status_code == 200  # on their course, signed in
    assert platform.requests == ["/jwks.json"]  # the signature was checked against the served key set

    before = counts(session)
    again, _, _ = launch(client, platform, email="changed@example.org", name="Sam Renamed")
    assert again.status_code == 303 and again.headers["Location"] == response.headers["Location"]
    assert counts(session) == before  # the same account, by its (issuer, sub) link
    actions = session.scalars(sa.select(AuditEvent.action).where(AuditEvent.actor_id == user.id)).all()
    assert {"lti_account_created", "lti_account_linked"} <= set(actions)


def test_an_existing_trainee_of_the_organisation_is_matched_by_email(app, session, client, platform, registered):
    organisation, cohort = registered
    trainee = make_user(session, Role.TRAINEE, email="sam.learner@example.org", organisation_id=organisation.id)
    before = counts(session)

    response, _, _ = launch(client, platform)

    assert response.status_code == 303
    after = counts(session)
    assert after["users"] == before["users"] and after["lti_links"] == before["lti_links"] + 1
    assert session.scalar(sa.select(LtiLink.user_id)) == trainee.id
    assert session.scalar(sa.select(Enrolment.cohort_id).where(Enrolment.user_id == trainee.id)) == cohort.id


@pytest.mark.parametrize("who", ["staff", "other organisation", "unconfirmed"])
def test_an_account_the_email_rule_will_not_link_is_refused_not_duplicated(
    app, session, client, platform, registered, who
):
    organisation, _ = registered
    other = Organisation(name="Elsewhere Ltd")
    session.add(other)
    session.commit()
    fields = {
        "staff": {"role": Role.ADMIN, "organisation_id": organisation.id},
        "other organisation": {"role": Role.TRAINEE, "organisation_id": other.id},
        "unconfirmed": {"role": Role.TRAINEE, "organisation_id": organisation.id, "email_confirmed": False},
    }[who]
    make_user(session, email="sam.learner@example.org", password="a-long-enough-password-123", **fields)
    before = counts(session)

    response, _, _ = launch(client, platform)

    assert response.status_code == 409
    assert "cannot be joined to your learning platform automatically" in response.get_data(as_text=True)
    assert counts(session) == before
    with client.client.session_transaction() as browser_session:
        assert "_user_id" not in browser_session


def test_a_custom_parameter_chooses_a_cohort_of_the_platforms_organisation_only(
    app, session, client, platform, registered
):
    organisation, _ = registered
    refresher = make_cohort(session, organisation_id=organisation.id)
    foreign = make_cohort(session)  # no organisation: not the platform's to fill

    response, _, _ = launch(client, platform, **{LTI + "custom": {"elearn_cohort_id": str(refresher.id)}})
    assert response.status_code == 303
    assert session.scalar(sa.select(Enrolment.cohort_id)) == refresher.id

    before = counts(session)
    refused, _, _ = launch(
        client,
        platform,
        sub="learner-2",
        email="other@example.org",
        **{LTI + "custom": {"elearn_cohort_id": str(foreign.id)}},
    )
    assert refused.status_code == 403 and "not one your learning platform can open" in refused.get_data(as_text=True)
    assert counts(session) == before


OTHER_KEY = new_rsa_key()


@pytest.mark.parametrize(
    ("token_changes", "status", "words"),
    [
        ({"key": OTHER_KEY}, 401, "signature does not match"),  # signed by someone else, under the platform's kid
        ({"kid": "no-such-key"}, 401, "a key your learning platform does not publish"),
        ({"exp": 1_000_000_000, "iat": 999_999_000}, 401, "The launch has expired"),
        ({"aud": "some-other-tool"}, 403, "no registration for its issuer and client id"),
        ({"iss": "https://unknown-lms.example.org"}, 403, "no registration for its issuer and client id"),
        (
            {LTI + "deployment_id": "deployment-9"},
            403,
            "deployment of elearn on your learning platform is not registered",
        ),
        ({"sub": None}, 400, "Must have a user (sub)"),
        ({LTI + "resource_link": None}, 400, "Missing Resource Link Id"),
        ({"email": None}, 400, "did not send your email address"),
        ({LTI + "message_type": "LtiDeepLinkingRequest"}, 400, "missing something elearn needs"),
    ],
    ids=[
        "bad signature",
        "wrong kid",
        "expired",
        "wrong audience",
        "unknown issuer",
        "unknown deployment",
        "no sub",
        "no resource link",
        "no email",
        "deep linking",
    ],
)
def test_bad_launches_are_refused_with_a_clear_error_and_nothing_created(
    app, session, client, platform, registered, token_changes, status, words
):
    before = counts(session)

    response, _, _ = launch(client, platform, **token_changes)

    assert response.status_code == status, response.get_data(as_text=True)[:800]
    page = response.get_data(as_text=True)
    assert "elearn could not open your course" in page and words in page
    assert counts(session) == before
    with client.client.session_transaction() as browser_session:
        assert "_user_id" not in browser_session


def test_a_replayed_id_token_is_refused(app, session, client, platform, registered):
    first, token, state = launch(client, platform)
    assert first.status_code == 303
    before = counts(session)

    same_browser = client.client.post("/lti/launch", data={"id_token": token, "state": state})
    assert same_browser.status_code == 400  # the launch deleted its state cookie
    client.client.set_cookie(f"lti1p3-{state}", state)  # a replay that captured the cookie as well
    replay = client.client.post("/lti/launch", data={"id_token": token, "state": state})

    assert replay.status_code == 401
    assert "already been used" in replay.get_data(as_text=True)
    assert counts(session) == before
    assert session.scalar(sa.select(sa.func.count()).select_from(LtiNonce).where(LtiNonce.used_at.is_not(None))) == 1


def test_a_launch_from_a_browser_that_did_not_begin_the_login_is_refused(app, session, client, platform, registered):
    state, nonce = begin_login(client, platform)
    token = platform.id_token(platform.claims(nonce))
    other_browser = app.test_client()
    before = counts(session)

    response = other_browser.post("/lti/launch", data={"id_token": token, "state": state})

    assert response.status_code == 400 and "did not start in this browser" in response.get_data(as_text=True)
    assert counts(session) == before


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"state": "state-x"},
        {"state": "state-x", "id_token": "not-a-token"},
        {"state": "state-x", "id_token": "a.b.c"},
        {"state": "state-x", "id_token": "W10.W10.sig"},  # base64 of [] for header and body
        {
            "state": "state-x",
            "id_token": "eyJraWQiOjF9.eyJpc3MiOlsxXSwiYXVkIjp7fX0.sig",
        },  # numbers, lists where text goes
    ],
)
def test_junk_posted_to_the_launch_is_a_400_page(app, session, client, form):
    response = client.client.post("/lti/launch", data=form)
    assert response.status_code == 400
    assert "elearn could not open your course" in response.get_data(as_text=True)


def test_login_from_an_unknown_platform_or_without_a_hint_is_refused(app, client, platform, registered):
    unknown = client.get("/lti/login", query_string={"iss": "https://nobody.example.org", "login_hint": "x"})
    assert unknown.status_code == 403 and "does not know this learning platform" in unknown.get_data(as_text=True)
    no_hint = client.get("/lti/login", query_string={"iss": platform.issuer, "client_id": platform.client_id})
    assert no_hint.status_code == 400 and "login_hint" in no_hint.get_data(as_text=True)
    assert client.get("/lti/launch").status_code == 400


def test_the_same_id_token_posted_twice_at_once_signs_in_exactly_once(app, session, client, platform, registered):
    """Two workers racing with one id_token (and its state cookie): the database lets one through."""
    state, nonce = begin_login(client, platform)
    token = platform.id_token(platform.claims(nonce))
    barrier = threading.Barrier(2)
    statuses = []

    def post():
        browser = app.test_client()
        browser.set_cookie(f"lti1p3-{state}", state)
        barrier.wait()
        statuses.append(browser.post("/lti/launch", data={"id_token": token, "state": state}).status_code)

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [303, 401]
    assert counts(session) == {"users": 1, "enrolments": 1, "lti_links": 1}


def test_logins_are_limited_per_address_and_store_no_nonce_past_the_limit(app, session, client, platform, registered):
    app.config["LTI_LOGIN_RATE_LIMIT"] = "2 per minute"
    begin_login(client, platform)
    begin_login(client, platform)

    third = client.get("/lti/login", query_string={"iss": platform.issuer, "login_hint": "x"})

    assert third.status_code == 429
    assert session.scalar(sa.select(sa.func.count()).select_from(LtiNonce)) == 2


def test_a_linked_account_since_made_staff_is_not_signed_in_by_a_launch(app, session, client, platform, registered):
    assert launch(client, platform)[0].status_code == 303
    session.rollback()
    user = session.scalar(sa.select(User))
    user.role = Role.TRAINER
    session.commit()
    browser = FormClient(app.test_client())

    response, _, _ = launch(browser, platform)

    assert response.status_code == 403 and "Staff accounts cannot be opened" in response.get_data(as_text=True)
    with browser.client.session_transaction() as browser_session:
        assert "_user_id" not in browser_session
