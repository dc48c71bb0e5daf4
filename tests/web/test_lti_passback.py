"""LTI grade passback and the tool's own key: a launched learner who completes has their completion posted
to the platform's line item (token from the platform's token URL for a JWT signed with the tool's key),
through the job queue. Also: the tool's key set, and registering platforms from the command line."""

import logging

import pytest
import sqlalchemy as sa

from elearn.models import LtiPlatform, LtiScoreTarget, Organisation
from elearn.web.content_store import get_course

from ..conftest import FormClient, make_test_app
from .lti_platform import SimulatedPlatform, launch, new_rsa_key, private_pem, register
from .quiz_helpers import pass_module


@pytest.fixture
def tool_key_file(tmp_path):
    path = tmp_path / "lti-tool-key.pem"
    path.write_bytes(private_pem(new_rsa_key()))  # as `openssl genpkey -algorithm RSA` would write it
    return path


@pytest.fixture
def app(database_url, tmp_path, tool_key_file):
    from ..conftest import _empty_tables

    app = make_test_app(database_url, tmp_path, LTI_PRIVATE_KEY_FILE=str(tool_key_file))
    yield app
    _empty_tables(app)


@pytest.fixture
def registered(session, platform):
    return register(session, platform)


@pytest.fixture
def platform(client):
    simulated = SimulatedPlatform()
    simulated.tool_jwks = client.get("/lti/jwks.json").get_json()  # the admin gives the platform the tool's keys
    yield simulated
    simulated.close()


def complete_course(app, client, session, enrolment_id: int) -> None:
    with app.app_context():
        modules = get_course().published_modules
    for module in modules:
        pass_module(client, session, enrolment_id, module.id)


def test_the_tools_key_set_publishes_its_public_key_only(client, tool_key_file):
    keys = client.get("/lti/jwks.json").get_json()["keys"]
    assert len(keys) == 1
    key = keys[0]
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig") and key["kid"]
    assert "d" not in key and "p" not in key  # no private part


def test_a_launched_learners_completion_is_posted_to_the_platforms_line_item(
    app,
    session,
    client,
    platform,
    registered,
):
    response, _, _ = launch(client, platform, **platform.ags_claim("/lineitems/7"))
    assert response.status_code == 303
    enrolment_id = int(response.headers["Location"].rsplit("/", 1)[1])
    target = session.scalar(sa.select(LtiScoreTarget))
    assert (target.enrolment_id, target.subject, target.score_posted_at) == (enrolment_id, "learner-1", None)

    complete_course(app, client, session, enrolment_id)

    assert len(platform.scores) == 1
    path, score = platform.scores[0]
    assert path == "/lineitems/7/scores"
    assert (score["userId"], score["scoreGiven"], score["scoreMaximum"]) == ("learner-1", 1, 1)
    assert (score["activityProgress"], score["gradingProgress"]) == ("Completed", "FullyGraded")
    session.rollback()
    assert session.scalar(sa.select(LtiScoreTarget.score_posted_at)) is not None
    assert "/token" in platform.requests  # the access token came from the platform, for the tool's signed JWT


def test_a_platform_that_refuses_the_score_leaves_it_unposted_and_the_completion_kept(
    app,
    session,
    client,
    platform,
    registered,
    caplog,
):
    platform.refuse_scores = True
    response, _, _ = launch(client, platform, **platform.ags_claim())
    enrolment_id = int(response.headers["Location"].rsplit("/", 1)[1])

    with caplog.at_level(logging.ERROR):
        complete_course(app, client, session, enrolment_id)

    assert platform.scores == []
    assert any(record.message == "After-commit step failed" for record in caplog.records)  # logged, not raised
    session.rollback()
    assert session.scalar(sa.select(LtiScoreTarget.score_posted_at)) is None  # a queued job would be retried
    assert client.get(f"/course/{enrolment_id}").status_code == 200


def test_a_line_item_on_another_host_is_not_kept(app, session, client, platform, registered):
    claim = platform.ags_claim()
    endpoint = next(iter(claim.values()))
    endpoint["lineitem"] = "http://169.254.169.254/lineitems/1"  # a signed claim must not aim elearn elsewhere
    response, _, _ = launch(client, platform, **claim)
    assert response.status_code == 303
    assert session.scalar(sa.select(sa.func.count()).select_from(LtiScoreTarget)) == 0


def test_platforms_are_registered_and_changed_from_the_command_line(app, session):
    organisation = Organisation(name="Acme Care")
    session.add(organisation)
    session.commit()
    runner = app.test_cli_runner()
    arguments = [
        "lti", "add-platform", "--name", "Acme Moodle", "--issuer", "https://moodle.acme.org",
        "--client-id", "abc123", "--deployment-id", "1", "--deployment-id", "2",
        "--auth-login-url", "https://moodle.acme.org/mod/lti/auth.php",
        "--auth-token-url", "https://moodle.acme.org/mod/lti/token.php",
        "--keyset-url", "https://moodle.acme.org/mod/lti/certs.php", "--organisation-id", str(organisation.id),
    ]  # fmt: skip

    assert runner.invoke(args=arguments).exit_code == 0
    changed = runner.invoke(args=[*arguments[:-2], "--organisation-id", str(organisation.id), "--name", "Acme VLE"])
    assert changed.exit_code == 0, changed.output
    session.rollback()
    platform = session.scalar(sa.select(LtiPlatform))
    assert (platform.name, platform.deployment_ids) == ("Acme VLE", ["1", "2"])
    assert "Acme VLE" in runner.invoke(args=["lti", "list-platforms"]).output

    plain_http = runner.invoke(args=[*arguments[:4], "--issuer", "http://moodle.acme.org", *arguments[6:]])
    assert plain_http.exit_code != 0 and "must be an https:// address" in plain_http.output
    assert session.scalar(sa.select(sa.func.count()).select_from(LtiPlatform)) == 1


@pytest.fixture
def client(app):
    return FormClient(app.test_client())
