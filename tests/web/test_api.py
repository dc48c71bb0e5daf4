"""The completions API: tokens stored hashed and recorded to the minute, cursor pages that miss and repeat
nothing, the export's filters and rules, clear 400s naming the parameter, and per-token rate limits."""

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import sqlalchemy as sa

from elearn.db import Database, utcnow
from elearn.domain.cohorts.schedule import today_in_uk
from elearn.domain.evidence import exports
from elearn.domain.evidence.export_filters import ExportFilters
from elearn.models import ApiToken, Completion, CourseType
from elearn.web.security import limiter

from ..conftest import fresh, make_test_app
from ..factories import enrol, make_cohort, make_user
from .api_helpers import api_world, bearer, complete, names_in, new_token
from .quiz_helpers import COURSE


def _get(client, path, token, **query):
    return client.get(path, query_string=query, headers=bearer(token))


def test_only_a_hash_of_the_token_is_stored(app, session):
    world = api_world(session)
    token = new_token(session, world.admin_id)
    assert token.startswith("elearn_") and len(token) > 40
    row = session.scalars(sa.select(ApiToken)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(row.prefix) and len(row.prefix) < len(token) // 3
    stored = session.execute(sa.select(*ApiToken.__table__.columns)).one()
    assert not any(token in str(value) for value in stored)


def test_use_is_recorded_at_most_once_a_minute(app, session, count_queries):
    world = api_world(session)
    token = new_token(session, world.admin_id)
    client = app.test_client()
    assert _get(client, "/api/v1/completions", token).status_code == 200
    fresh(session)
    first = session.scalars(sa.select(ApiToken.last_used_at)).one()
    assert first is not None
    session.rollback()
    with count_queries() as counter:
        assert _get(client, "/api/v1/completions", token).status_code == 200
    assert [s for s in counter.statements if not s.lstrip().upper().startswith("SELECT")] == []  # a read: no write
    session.execute(sa.update(ApiToken).values(last_used_at=utcnow() - timedelta(minutes=2)))
    session.commit()
    assert _get(client, "/api/v1/completions", token).status_code == 200
    fresh(session)
    assert session.scalars(sa.select(ApiToken.last_used_at)).one() > first


def test_cursor_pages_give_every_completion_once_in_key_order(app, session):
    world = api_world(session)
    token = new_token(session, world.admin_id)
    client = app.test_client()
    seen, cursor, pages = [], None, 0
    while True:
        body = _get(client, "/api/v1/completions", token, limit=3, **({"cursor": cursor} if cursor else {})).get_json()
        seen += [item["enrolment_id"] for item in body["data"]]
        pages += 1
        if pages == 1:  # a completion recorded while the client pages through: it comes on a later page
            late = enrol(session, make_user(session, full_name="Late Larch"), make_cohort(session))
            complete(session, late.id, "LATE-LATE-LATE-LATE")
        cursor = body["next_cursor"]
        if cursor is None:
            break
        assert body["next"].endswith(f"cursor={cursor}") and "limit=3" in body["next"]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 5
    assert pages == 2


def test_completions_hold_counted_completions_only_and_match_the_export(app, session):
    world = api_world(session)
    token = new_token(session, world.admin_id)
    waiting = enrol(session, make_user(session, full_name="Not Yet"), make_cohort(session))
    withdrawn = session.scalars(sa.select(Completion).order_by(Completion.id)).first()
    withdrawn.withdrawn_at, withdrawn.withdrawn_reason = utcnow(), "test"
    session.commit()
    body = _get(app.test_client(), "/api/v1/completions", token).get_json()
    codes = {item["certificate_code"] for item in body["data"]}
    assert withdrawn.certificate_code not in codes and len(codes) == 3
    rows = exports.rows(session, COURSE, ExportFilters(), today_in_uk(), lambda c: c, 12)
    header = exports.header(COURSE)
    from_export = {row[header.index("Certificate code")] for row in rows} - {""}
    assert codes == from_export  # one rule for what counts as completed
    enrolments = _get(app.test_client(), "/api/v1/enrolments", token).get_json()["data"]
    assert {e["id"] for e in enrolments if e["completion"] is None} == {waiting.id, withdrawn.enrolment_id}


def test_filters_mean_what_they_mean_on_the_exports_page(app, session):
    world = api_world(session)
    token = new_token(session, world.admin_id)
    refresher = make_cohort(session, title="Refresher", course_type=CourseType.REFRESHER, starts_in_days=30)
    enrol(session, make_user(session, full_name="Rita Refresh"), refresher)
    client = app.test_client()
    today = today_in_uk()

    def names(path, **query):
        response = _get(client, path, token, **query)
        assert response.status_code == 200, response.get_json()
        return names_in(response.get_json())

    assert names("/api/v1/enrolments", course_type="refresher") == {"Rita Refresh"}
    assert names("/api/v1/enrolments", cohort=world.elm_cohort_id) == {"Ella Elm"}
    assert names("/api/v1/enrolments", organisation=world.elm_id) == world.elm_names
    assert names("/api/v1/enrolments", **{"from": (today + timedelta(days=1)).isoformat()}) == {"Rita Refresh"}
    assert "Rita Refresh" not in names("/api/v1/enrolments", to=today.isoformat())
    assert names("/api/v1/enrolments", state="not_started") == {"Rita Refresh"}
    assert names("/api/v1/completions", course_type="refresher") == set()
    # As in the export: an organisation's staff, and anyone on its cohorts (Eddie, Elm's, is on Oak's).
    assert names("/api/v1/refreshers", organisation=world.oak_id) == world.oak_names | {"Eddie Elm"}
    assert names("/api/v1/refreshers", within_days=0) == set()  # none is overdue yet


def test_bad_parameters_get_a_problem_naming_each_one(app, session):
    world = api_world(session)
    token = new_token(session, world.admin_id)
    client = app.test_client()
    other_list = _get(client, "/api/v1/refreshers", token, limit=1).get_json()["next_cursor"]
    cases = {
        "limit": {"limit": "0"},
        "cursor": {"cursor": other_list},
        "from": {"from": "2026-02-31"},
        "organisation": {"organisation": "2147483648"},
        "state": {"state": "finished"},
        "within_days": {"within_days": "-1"},
    }
    for name, query in cases.items():
        path = "/api/v1/refreshers" if name == "within_days" else "/api/v1/enrolments"
        response = _get(client, path, token, **query)
        assert response.status_code == 400, (name, response.status_code)
        assert response.content_type == "application/problem+json"
        assert [p["name"] for p in response.get_json()["invalid-params"]] == [name]
    assert _get(client, "/api/v1/enrolments", token, cursor="not a cursor!").status_code == 400


def test_each_token_has_its_own_rate_limit(database_url, tmp_path, session):
    app = make_test_app(database_url, tmp_path, API_RATE_LIMIT="3 per minute")
    try:
        world = api_world(session)
        first, second = new_token(session, world.admin_id), new_token(session, world.admin_id, name="Other")
        client = app.test_client()
        statuses = [_get(client, "/api/v1/completions", first).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = _get(client, "/api/v1/completions", first)
        assert refused.content_type == "application/problem+json" and "Retry-After" in refused.headers
        assert _get(client, "/api/v1/completions", second).status_code == 200
    finally:
        limiter.reset()
        Database.sessionmaker_for(app).kw["bind"].dispose()


def test_two_workers_share_a_tokens_limit_in_redis(database_url, tmp_path, session, redis_url):
    settings = {"API_RATE_LIMIT": "4 per minute", "RATELIMIT_STORAGE_URI": redis_url}
    workers = [make_test_app(database_url, tmp_path / str(n), **settings) for n in (1, 2)]
    try:
        world = api_world(session)
        token = new_token(session, world.admin_id)
        clients = [worker.test_client() for worker in workers]
        statuses = [_get(clients[n % 2], "/api/v1/refreshers", token).status_code for n in range(5)]
        assert statuses == [200] * 4 + [429]  # not 8 before a refusal, as with memory:// per worker
    finally:
        for worker in workers:
            Database.sessionmaker_for(worker).kw["bind"].dispose()


def test_concurrent_requests_with_one_token_all_answer_and_record_its_use(app, session):
    # Real threads: on SQLite the use is written after the response in its own short BEGIN IMMEDIATE
    # transaction, so readers never fail with "database is locked" (the UPDATE is conditional: racing
    # requests in the same minute change it once between them).
    world = api_world(session)
    token = new_token(session, world.admin_id)
    barrier = threading.Barrier(8)

    def call(_n):
        client = app.test_client()
        barrier.wait()
        return [_get(client, "/api/v1/enrolments", token, limit=2).status_code for _ in range(3)]

    with ThreadPoolExecutor(8) as pool:
        statuses = [status for result in pool.map(call, range(8)) for status in result]
    assert statuses == [200] * 24
    fresh(session)
    assert session.scalars(sa.select(ApiToken.last_used_at)).one() is not None
