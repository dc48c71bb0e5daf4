"""Statements per API request stay the same as data grows (1, 10 and 100 completions): each list is one
query for the token and one for the page, however many rows there are and however deep the page."""

from elearn.db import utcnow
from elearn.models import Enrolment, Organisation, Role, User

from ..factories import make_cohort, make_user
from .api_helpers import bearer, complete, new_token

PATHS = [
    "/api/v1/completions",
    "/api/v1/enrolments",
    "/api/v1/refreshers?within_days=400",
    "/api/v1/completions?limit=5&cohort={cohort}&from=2000-01-01",
    "/api/v1/enrolments?limit=5&state=late&course_type=initial",
]
BUDGET = 2  # the token, then the page


def _statements(app, session, count_queries, n: int) -> dict[str, int]:
    """A new organisation of n people, each with a (late) completion; its token sees only them."""
    admin = make_user(session, Role.ADMIN)
    organisation = Organisation(name=f"Size {n}")
    session.add(organisation)
    session.commit()
    cohort = make_cohort(session, starts_in_days=-30)
    people = [
        User(email=f"p{n}-{i}@example.org", full_name=f"Person {i}", role=Role.TRAINEE, organisation_id=organisation.id)
        for i in range(n)
    ]
    session.add_all(people)
    session.flush()
    enrolments = [Enrolment(user_id=p.id, cohort_id=cohort.id) for p in people]
    session.add_all(enrolments)
    session.commit()
    for i, enrolment in enumerate(enrolments):
        complete(session, enrolment.id, f"N{n:03}-{i:04}-STMT-CODE", utcnow())
    token = new_token(session, admin.id, organisation.id, name=f"size {n}")
    client = app.test_client()
    counts = {}
    for template in PATHS:
        path = template.format(cohort=cohort.id)
        first = client.get(path, headers=bearer(token))  # records the token's use (at most once a minute)
        assert first.status_code == 200, first.get_json()
        body = first.get_json()
        assert len(body["data"]) == min(n, body["limit"])
        with count_queries() as counter:
            assert client.get(path, headers=bearer(token)).status_code == 200
        counts[path] = counter.count
        if body["next_cursor"]:  # a later page costs the same as the first
            with count_queries() as counter:
                later = client.get(body["next"], headers=bearer(token))
            assert later.status_code == 200 and later.get_json()["data"]
            counts[f"{path} (next page)"] = counter.count
    return counts


def test_api_statements_do_not_grow_with_the_data(app, session, count_queries):
    by_size = {n: _statements(app, session, count_queries, n) for n in (1, 10, 100)}
    for path, count in by_size[100].items():
        assert by_size[1].get(path, count) == by_size[10].get(path, count) == count, path
    assert max(by_size[100].values()) <= BUDGET, by_size[100]
