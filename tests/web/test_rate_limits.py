"""Rate limits that hold in the documented deployment: shared in Redis, moving windows, real client
addresses behind a proxy, and no way for an attacker elsewhere to lock a person out."""

import uuid

import pytest
from limits.strategies import MovingWindowRateLimiter

from elearn.db import Database
from elearn.mail import wait_for_background_mail
from elearn.web.security import limiter

from ..conftest import IN_CI, FormClient, make_test_app
from ..factories import PASSWORD, make_cohort, make_user

REDIS_URL = "redis://127.0.0.1:6379/2"


@pytest.fixture
def app_with(database_url, tmp_path):
    """Extra apps on the test database (e.g. two workers); their connections are closed afterwards."""
    made = []

    def make(**settings):
        made.append(make_test_app(database_url, tmp_path / str(len(made)), **settings))
        return made[-1]

    yield make
    for app in made:
        Database.sessionmaker_for(app).kw["bind"].dispose()


def _from(app, address: str, via_proxy: str | None = None) -> FormClient:
    """A browser at `address`; via_proxy: it reaches the app through a proxy at that address."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = via_proxy or address
    if via_proxy:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = address
    return FormClient(client)


def _fail_sign_in(browser, email, times):
    return [browser.post("/sign-in", {"email": email, "password": "wrong password"}).status_code for _ in range(times)]


def test_behind_the_proxy_an_attacker_cannot_lock_the_victim_out(app_with, session):
    app = app_with(PROXY_HOPS=1)
    victim = make_user(session)
    attacker = _from(app, "203.0.113.9", via_proxy="10.0.0.1")
    assert _fail_sign_in(attacker, victim.email, 11)[-1] == 429
    # Everyone reaches the app from the proxy's address; the victim is still let in.
    _from(app, "198.51.100.7", via_proxy="10.0.0.1").sign_in(victim.email, PASSWORD)


def test_without_proxy_hops_a_forwarded_address_is_not_believed(app, session):
    user = make_user(session)
    statuses = [
        _from(app, f"198.51.100.{n}", via_proxy="10.0.0.1")
        .post("/sign-in", {"email": user.email, "password": "wrong password"})
        .status_code
        for n in range(11)
    ]
    assert statuses[-1] == 429  # a made-up X-Forwarded-For does not buy fresh attempts


def test_a_successful_sign_in_does_not_use_up_the_limit(app, session):
    user = make_user(session)
    browser = FormClient(app.test_client())
    for _ in range(12):
        browser.sign_in(user.email, PASSWORD)
        browser.client.delete_cookie("session")


def test_limits_use_a_moving_window(app):
    # A fixed window lets twice the limit through either side of its boundary.
    assert isinstance(limiter.limiter, MovingWindowRateLimiter)


@pytest.fixture
def redis_prefix():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if IN_CI:
            pytest.fail("Redis is not running at 127.0.0.1:6379 (CI must test the shared limiter)")
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    prefix = f"elearn-test-{uuid.uuid4().hex}"
    yield prefix
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)


def test_two_workers_share_sign_in_limits_in_redis(app_with, session, redis_prefix):
    config = {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": redis_prefix}
    workers = [app_with(**config) for _ in (1, 2)]
    user = make_user(session)
    browsers = [FormClient(worker.test_client()) for worker in workers]
    statuses = [_fail_sign_in(browsers[n % 2], user.email, 1)[0] for n in range(11)]
    assert statuses == [200] * 10 + [429]  # not 20 before a refusal, as with memory:// per worker


def test_password_reset_emails_at_most_three_an_hour(mail_app, smtp, session):
    user = make_user(session)
    browser = FormClient(mail_app.test_client())
    for _ in range(5):
        assert browser.post("/reset-password", {"email": user.email}).status_code == 302
    wait_for_background_mail()
    assert len(smtp.to(user.email)) == 3


def test_wrong_join_codes_are_throttled_per_account(app, session):
    make_cohort(session, join_code="K7MQ2XHD")
    user = make_user(session)
    browser = FormClient(app.test_client())
    browser.sign_in(user.email, PASSWORD)
    statuses = [browser.post("/course/join", {"code": f"WRONG{n:03}"}).status_code for n in range(11)]
    assert statuses == [200] * 10 + [429]


def test_certificate_checks_are_throttled_per_address(app_with):
    app = app_with(VERIFY_RATE_LIMIT="3 per minute")
    browser = app.test_client()
    assert [browser.get(f"/verify/NOPE{n}").status_code for n in range(4)] == [404, 404, 404, 429]
