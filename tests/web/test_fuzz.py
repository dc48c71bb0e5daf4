"""Every route in app.url_map, for every role, with hostile ids, text, dates and choices: never a 5xx,
and a refused POST (4xx) writes nothing. Walked once deterministically, then explored by hypothesis."""

import itertools
import re
from datetime import date, timedelta
from urllib.parse import quote, urlencode

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter

from elearn.db import Base
from elearn.models import Role
from elearn.web.access import ANYONE, EXEMPT_ENDPOINTS, SIGNED_IN

from ..conftest import FormClient
from ..factories import PASSWORD, enrol, make_cohort, make_user
from .quiz_helpers import start_quiz

HOSTILE_IDS = ["0", "2147483648", "99999999999999999999", "9" * 5000]
HOSTILE_TEXT = [
    "",
    " ",
    "a\x00b",
    "AB\x00CD",
    "\x1b[31m",
    "line\r\nBcc: x@example.org",
    "\t",
    "\u202egnp.exe\u202c",
    "שלום",
    "😀" * 50,
    "=cmd|' /C calc'!A0",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%",
    "../../etc/passwd",
    "x" * 1_000_000,
    "2147483648",
    "99999999999999999999",
    "²",
    "-5",
    "1 1 0001",
    "0001",
    "0001-01-01",
    "9999-12-31",
    "31/02/2027",
    "2027-02-31",
    "initial",
    "open",
    "admin",
    "ready",
    "json",
]
QUERY_NAMES = [
    "page", "q", "role", "status", "action", "sort", "dir", "state", "organisation", "cohort",
    "from", "to", "course_type", "format", "code", "next", "change",
]  # fmt: skip
FORM_NAMES = [
    "email", "password", "confirm", "full_name", "job_title", "code", "title", "course_type",
    "organisation_id", "venue", "address", "starts_on", "days", "start_time", "end_time", "capacity",
    "deadline_on", "trainers", "people", "name", "training_contact_email", "role", "reason", "withdraw",
    "active", "state", "answer", "attendance", "competence", "note",
]  # fmt: skip
# The walk tries every one of these in every query value and form field.
CRITICAL = [
    "a\x00b",
    "line\r\nBcc: x@example.org",
    "2147483648",
    "99999999999999999999",
    "²",
    "0001",
    "1 1 0001",
    "x" * 60_000,  # longer than any field allows (the 1 MB value is in HOSTILE_TEXT, for the explorer)
]
SKIPPED = EXEMPT_ENDPOINTS | {"auth.sign_out"}  # signing out would end the walk for the role
EXAMPLES_PER_ROLE = 40


def _valid_forms(soon: date) -> dict[str, list[tuple[str, str]]]:
    """A form each endpoint accepts, so a single hostile field reaches the handler's own checks."""
    cohort = [
        ("title", "Course"), ("course_type", "initial"), ("organisation_id", ""), ("venue", "Room 1"),
        ("address", "1 High St"), ("starts_on", str(soon.day)), ("starts_on", str(soon.month)),
        ("starts_on", str(soon.year)), ("days", "1"), ("start_time", "09:30"), ("end_time", "16:30"),
        ("capacity", "12"), ("deadline_on", ""), ("deadline_on", ""), ("deadline_on", ""),
    ]  # fmt: skip
    person = [("full_name", "Sam Fuzz"), ("email", "fuzz@example.org"), ("job_title", "Nurse")]
    return {
        "admin.cohort_new": cohort,
        "admin.cohort_edit": cohort,
        "admin.organisations": [("name", "Fuzz Care"), ("training_contact_email", "")],
        "admin.user_new": [*person, ("role", "trainee"), ("organisation_id", "")],
        "admin.user": [*person, ("role", "trainee"), ("organisation_id", "")],
        "admin.cohort_invite": [("people", "Sam Fuzz, fuzz@example.org")],
        "admin.cohort_enrol": [("email", "fuzz@example.org")],
        "admin.cohort_state": [("state", "open")],
        "admin.user_anonymise": [("reason", "fuzz")],
        "admin.completion_change": [("reason", "fuzz"), ("withdraw", "1")],
        "auth.sign_in": [("email", "fuzz@example.org"), ("password", "not the password")],
        "account.create_account": [*person, ("password", PASSWORD), ("confirm", PASSWORD)],
        "account.request_reset": [("email", "fuzz@example.org")],
        "learn.join": [("code", "ABCD2345")],
        "trainer.day_outcome": [("attendance", "attended"), ("competence", "competent"), ("note", "")],
    }


def _world(app, session, role):
    """A small world with a real row behind every kind of id, and a browser signed in as role."""
    admin = make_user(session, Role.ADMIN, password=PASSWORD + "-admin")
    trainer = make_user(session, Role.TRAINER)
    trainee = make_user(session, Role.TRAINEE)
    cohort = make_cohort(session, starts_in_days=-1, join_code="ABCD2345")
    cohort.trainers.append(trainer)
    session.commit()
    enrolment = enrol(session, trainee, cohort)
    learner = FormClient(app.test_client())
    learner.sign_in(trainee.email, PASSWORD)
    attempt_id = start_quiz(learner, enrolment.id, "alpha")
    browser = learner if role is Role.TRAINEE else FormClient(app.test_client())
    if role in (Role.ADMIN, Role.TRAINER):
        user = admin if role is Role.ADMIN else trainer
        browser.sign_in(user.email, PASSWORD + "-admin" if role is Role.ADMIN else PASSWORD)
    by_name = {
        "cohort_id": cohort.id, "enrolment_id": enrolment.id, "attempt_id": attempt_id, "user_id": trainee.id,
        "invitation_id": 1, "number": 1, "module_id": "alpha", "page_id": "01-first", "code": "AAAA-AAAA-AAAA-AAAA",
        "token": "not-a-token",
    }  # fmt: skip
    real = {
        "by_name": {name: str(value) for name, value in by_name.items()},
        "ids": [str(i) for i in (admin.id, trainer.id, trainee.id, cohort.id, enrolment.id, attempt_id, 1, 2)],
        "names": ["alpha", "beta", "01-first", "ABCD2345", "AAAA-AAAA-AAAA-AAAA"],
    }
    return _Sender(browser, session, browser.csrf_token("/")), real


def _rules(app):
    return [rule for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule) if rule.endpoint not in SKIPPED]


def _path(rule, values: dict[str, str]) -> str:
    """The rule with each argument replaced by the given raw text (percent-encoded, even an int's)."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: quote(values[m.group(1)], safe=""), rule.rule)


def _is_int(rule, arg: str) -> bool:
    return isinstance(rule._converters[arg], IntegerConverter)


def _row_counts(session) -> tuple:
    session.rollback()  # see what the app committed; hold no snapshot (or SQLite lock) afterwards
    counts = tuple(
        session.execute(
            sa.select(
                *[sa.select(sa.func.count()).select_from(t).scalar_subquery() for t in Base.metadata.sorted_tables]
            )
        ).one()
    )
    session.rollback()
    return counts


class _Sender:
    """Sends requests as one browser; fails on a 5xx, or on a refused POST that changed row counts."""

    def __init__(self, browser, session, token):
        self.browser, self.session, self.token = browser, session, token

    def __call__(self, method, path, query=None, form=()):
        url = f"{path}?{urlencode(query)}" if query else path
        posting = method == "POST"
        before = _row_counts(self.session) if posting else None
        data = MultiDict([*form, ("csrf_token", self.token)]) if posting else None
        described = f"{method} {url[:300]} form={[(k, v[:80]) for k, v in form]!r}"
        try:  # under TESTING an exception reaches us instead of a 500 page
            response = self.browser.client.open(url, method=method, data=data)
        except Exception as exc:
            raise AssertionError(f"{described} raised {exc!r}") from exc
        response.close()
        described += f" -> {response.status_code}"
        assert response.status_code < 500, described
        if posting and response.status_code >= 400:
            assert _row_counts(self.session) == before, f"refused but wrote rows: {described}"


@pytest.mark.parametrize("role", [None, Role.TRAINEE, Role.TRAINER, Role.ADMIN])
def test_every_route_with_hostile_input_walked_once(app, session, role):
    """Deterministic: every rule and method with out-of-range ids, then with real ids and each query
    value, then each field of a form the handler accepts, set to each of the most dangerous values."""
    send, real = _world(app, session, role)
    forms = _valid_forms(date.today() + timedelta(days=30))
    for rule in _rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if role is None:  # routing comes before the role check: one walk of impossible ids is enough
                for value in HOSTILE_IDS if rule.arguments else []:
                    send(method, _path(rule, {a: value if _is_int(rule, a) else "a\x00b" for a in rule.arguments}))
            sane = _path(rule, {a: real["by_name"].get(a, "1") for a in rule.arguments})
            if not _allowed(app, rule, role):
                send(method, sane)  # refused before the view runs
                continue
            for value in CRITICAL if method == "GET" else []:
                send(method, sane, query=dict.fromkeys(QUERY_NAMES, value[:2000]))
            base = forms.get(rule.endpoint, [("email", "")]) if method == "POST" else []
            for i, value in itertools.product(range(len(base)), CRITICAL):
                send(method, sane, form=[(k, value if j == i else v) for j, (k, v) in enumerate(base)])


def _allowed(app, rule, role) -> bool:
    policy = app.view_functions[rule.endpoint].access_policy
    return policy == ANYONE or (role is not None and (policy == SIGNED_IN or role in policy))


def _requests(app, real):
    rules = _rules(app)
    forms = _valid_forms(date.today() + timedelta(days=30))
    text = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=40), st.sampled_from(real["names"]))
    int_text = st.one_of(
        st.sampled_from([*HOSTILE_IDS, "-1", "²", "٣", "2147483647"]),
        st.integers(0, 10**25).map(str),
        st.sampled_from(real["ids"]),
    )

    @st.composite
    def request(draw):
        rule = draw(st.sampled_from(rules))
        method = draw(st.sampled_from(sorted(rule.methods - {"HEAD", "OPTIONS"})))
        values = {a: draw(int_text if _is_int(rule, a) else text) for a in rule.arguments}
        query = draw(st.dictionaries(st.sampled_from(QUERY_NAMES), text, max_size=3))
        form = list(forms.get(rule.endpoint, []))
        for _ in range(draw(st.integers(0, 3)) if method == "POST" else 0):
            field = draw(st.sampled_from(FORM_NAMES + [k for k, _v in form]))
            form = [(k, v) for k, v in form if k != field] + [(field, draw(text))]
        return method, _path(rule, values), query, form

    return request()


@pytest.mark.parametrize("role", [None, Role.TRAINEE, Role.TRAINER, Role.ADMIN])
def test_hostile_requests_never_fail_on_the_server(app, session, role):
    send, real = _world(app, session, role)

    @settings(
        max_examples=EXAMPLES_PER_ROLE,
        deadline=None,
        derandomize=True,  # the same examples on every run: CI stays stable
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def explore(data):
        method, path, query, form = data.draw(_requests(app, real))
        send(method, path, query, form)

    explore()
