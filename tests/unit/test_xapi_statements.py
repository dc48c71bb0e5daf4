"""xAPI statements built in plain Python: ADL verbs, activity ids under the public address, scores, and
each one valid by Ralph's strict xAPI 1.0.3 model; the sender's backoff; settings refused at start."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from elearn import create_app
from elearn.config import ConfigError
from elearn.content import load_course
from elearn.interop.xapi import statements as build
from elearn.interop.xapi.sender import Policy

from ..conftest import FIXTURE_CONTENT
from ..lrs_server import assert_valid_xapi

COURSE = load_course(FIXTURE_CONTENT)
MODULE = COURSE.published_modules[0]
SITE = build.Site("https://learn.example.org/", "Acme Training")
LEARNER = build.Learner(str(uuid.uuid4()), enrolment_id=7)
AT = datetime(2026, 12, 1, 9, 30, 15, 250000, tzinfo=UTC)


def _graded(correct: int, passed: bool) -> dict:
    return build.quiz_graded(
        SITE, COURSE, LEARNER, MODULE, number=2, correct=correct, questions=4, passed=passed,
        started_at=AT, submitted_at=AT + timedelta(minutes=3, seconds=7.5),
    )  # fmt: skip


def test_each_statement_is_valid_xapi_with_adl_verbs_and_activity_ids_under_the_public_url():
    made = [
        build.page_experienced(SITE, COURSE, LEARNER, MODULE, MODULE.pages[0].id, AT),
        build.quiz_attempted(SITE, COURSE, LEARNER, MODULE, 2, AT),
        _graded(3, False),
        _graded(4, True),
        build.course_completed(SITE, COURSE, LEARNER, AT),
    ]
    for statement in made:
        assert_valid_xapi(statement)
    assert [s["verb"]["id"] for s in made] == [
        f"http://adlnet.gov/expapi/verbs/{v}" for v in ("experienced", "attempted", "failed", "passed", "completed")
    ]
    assert [s["object"]["id"] for s in made] == [
        f"https://learn.example.org/xapi/modules/{MODULE.id}/pages/{MODULE.pages[0].id}",
        f"https://learn.example.org/xapi/modules/{MODULE.id}/quiz",
        f"https://learn.example.org/xapi/modules/{MODULE.id}/quiz",
        f"https://learn.example.org/xapi/modules/{MODULE.id}/quiz",
        "https://learn.example.org/xapi/course",
    ]
    assert made[0]["object"]["definition"]["name"] == {"en-GB": MODULE.pages[0].title}
    assert made[0]["context"]["contextActivities"]["parent"][0]["id"].endswith(f"/modules/{MODULE.id}")
    assert made[0]["context"]["contextActivities"]["grouping"][0]["id"].endswith("/xapi/course")
    assert made[0]["timestamp"] == "2026-12-01T09:30:15.250Z"
    assert len({s["id"] for s in made}) == 5  # each statement its own id
    assert {s["context"]["registration"] for s in made} == {LEARNER.registration}


def test_a_graded_attempt_carries_its_score_success_and_duration():
    result = _graded(3, False)["result"]
    assert result == {
        "score": {"scaled": 0.75, "raw": 3, "min": 0, "max": 4},
        "success": False,
        "completion": True,
        "duration": "PT3M7.5S",
    }
    assert _graded(4, True)["result"]["score"]["scaled"] == 1


def test_the_actor_is_a_pseudonymous_account_unless_the_provider_chooses_mbox():
    statement = build.course_completed(SITE, COURSE, LEARNER, AT)
    assert statement["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": "https://learn.example.org", "name": LEARNER.pseudonym},
    }
    by_email = build.Learner(LEARNER.pseudonym, 7, email="sam@example.org")
    statement = build.course_completed(SITE, COURSE, by_email, AT)
    assert_valid_xapi(statement)
    assert statement["actor"] == {"objectType": "Agent", "mbox": "mailto:sam@example.org"}
    # One registration per enrolment, stable, and different for another enrolment of the same person.
    assert LEARNER.registration == build.Learner(LEARNER.pseudonym, 7).registration
    assert LEARNER.registration != build.Learner(LEARNER.pseudonym, 8).registration


def test_the_wait_after_a_failure_doubles_up_to_its_ceiling():
    policy = Policy(50, timedelta(minutes=15), timedelta(minutes=1), timedelta(hours=1))
    assert [policy.backoff(n) for n in (1, 2, 3, 7, 8, 30)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 60, 60, 60)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"XAPI_LRS_PASSWORD": None}, "ELEARN_XAPI_LRS_PASSWORD"),
        ({"XAPI_ACTOR": "name"}, "XAPI_ACTOR"),
        ({"XAPI_LRS_URL": "lrs.example.org"}, "xAPI endpoint"),
        ({"XAPI_LRS_URL": "http://lrs.example.org/xAPI/", "ENV": "production"}, "https"),
    ],
)
def test_settings_that_cannot_work_are_refused_at_start(tmp_path, settings, message):
    config = {
        "ENV": "testing",
        "SECRET_KEY": "x" * 40,
        "PUBLIC_URL": "https://learn.example.org",
        "INSTANCE_PATH": str(tmp_path),
        "XAPI_LRS_URL": "https://lrs.example.org/xAPI/",
        "XAPI_LRS_USERNAME": "key",
        "XAPI_LRS_PASSWORD": "secret",
        **settings,
    }
    with pytest.raises(ConfigError, match=message):
        create_app(config)


def test_a_local_lrs_over_plain_http_is_allowed_in_production(tmp_path):
    config = {
        "ENV": "production",
        "SECRET_KEY": "x" * 40,
        "PUBLIC_URL": "https://learn.example.org",
        "INSTANCE_PATH": str(tmp_path),
        "XAPI_LRS_URL": "http://127.0.0.1:8100/xAPI/",
        "XAPI_LRS_USERNAME": "key",
        "XAPI_LRS_PASSWORD": "secret",
    }
    assert create_app(config).config["XAPI_LRS_URL"].startswith("http://127.0.0.1")
