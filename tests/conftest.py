"""Shared fixtures: a migrated database (SQLite, or PostgreSQL via ELEARN_TEST_DATABASE_URL),
an app on the fixture course, a CSRF-aware client, and a query counter."""

import gc
import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from elearn import create_app
from elearn.db import Base, Database, sqlite_immediate
from elearn.migrate import upgrade_to_head

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
PROJECT_ROOT = Path(__file__).parent.parent
IN_CI = os.environ.get("CI") == "true"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("ELEARN_TEST_DATABASE_URL")
    if url:
        engine = sa.create_engine(url)
        with engine.begin() as conn:  # a clean schema, then the real migrations
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    upgrade_to_head(url)
    return url


def make_test_app(database_url: str, tmp_path: Path, content_dir: Path = FIXTURE_CONTENT, **extra):
    config = {
        "ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": database_url,
        "CONTENT_DIR": str(content_dir),
        "INSTANCE_PATH": str(tmp_path / "instance"),
        **extra,
    }
    return create_app(config)


@pytest.fixture(autouse=True)
def _collect_garbage_after_each_test():
    """A database connection left open is reported (as an error) only when it is collected: collect at
    each test's end, so the report names that test or the next, not one chosen by the collector's timing.
    A production app freezes what it built (elearn.create_app): thaw it, or it would never be collected."""
    yield
    gc.unfreeze()
    gc.collect()


@pytest.fixture
def app(database_url, tmp_path):
    app = make_test_app(database_url, tmp_path)
    yield app
    _empty_tables(app)


def _empty_tables(app) -> None:
    engine = Database.sessionmaker_for(app).kw["bind"]
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()


@pytest.fixture
def session(app):
    """A session outside any request, for arranging and checking data.

    Its transactions BEGIN deferred on SQLite: a test that reads, then lets the app write, must
    not hold the write lock the app's BEGIN IMMEDIATE is waiting for.
    """
    token = sqlite_immediate.set(False)
    with Database.sessionmaker_for(app)() as s:
        yield s
    sqlite_immediate.reset(token)


class FormClient:
    """The Flask test client, plus: post a form with the CSRF token the page gave us."""

    def __init__(self, client):
        self.client = client

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def csrf_token(self, page_url: str = "/sign-in") -> str:
        html = self.client.get(page_url, follow_redirects=True).get_data(as_text=True)
        match = _CSRF.search(html)
        assert match, f"no CSRF token on {page_url}"
        return match.group(1)

    def post(self, url, data=None, token_from: str | None = None, **kwargs):
        """data: a dict, or a list of (name, value) pairs for repeated fields."""
        pairs = (
            data
            if isinstance(data, list)
            else [(k, item) for k, v in (data or {}).items() for item in (v if isinstance(v, list) else [v])]
        )
        form = MultiDict(pairs)  # a tuple value stays one value: (file, filename) for uploads
        if "csrf_token" not in form:
            form.add("csrf_token", self.csrf_token(token_from or url))
        return self.client.post(url, data=form, **kwargs)

    def sign_in(self, email: str, password: str):
        response = self.post("/sign-in", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response


@pytest.fixture
def client(app):
    return FormClient(app.test_client())


@pytest.fixture
def count_queries(app):
    """Use as: with count_queries() as counter: ...; counter.count"""
    engine = Database.sessionmaker_for(app).kw["bind"]

    @contextmanager
    def counting():
        class Counter:
            count = 0
            statements: list = []

        def _before(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN", "PRAGMA")):
                Counter.count += 1
                Counter.statements.append(statement)

        sa.event.listen(engine, "before_cursor_execute", _before)
        try:
            yield Counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", _before)

    return counting


def fresh(session) -> None:
    """Forget what the test's session has read: end its snapshot and expire every object,
    so the next read sees what the app has committed since."""
    session.rollback()
    session.expire_all()


class Mailbox:
    """Messages a real local SMTP server (aiosmtpd) received, parsed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        from email import message_from_bytes
        from email.policy import default

        message = message_from_bytes(envelope.content, policy=default)
        message.envelope_recipients = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["To"]]


@pytest.fixture
def smtp():
    """A real SMTP server on 127.0.0.1; tests assert on what it receives."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    mailbox.port = port
    yield mailbox
    controller.stop()


@pytest.fixture
def mail_app(database_url, tmp_path, smtp):
    """The app sending through the local SMTP server."""
    app = make_test_app(
        database_url,
        tmp_path,
        MAIL_BACKEND="smtp",
        MAIL_HOST="127.0.0.1",
        MAIL_PORT=smtp.port,
        MAIL_USE_STARTTLS=False,
        PUBLIC_URL="https://learn.example.org",
    )
    token = sqlite_immediate.set(False)  # as for the session fixture: tests' own reads must not block the app
    yield app
    sqlite_immediate.reset(token)
    _empty_tables(app)


def link_in(message, path_prefix: str) -> str:
    """The path of the first link in a message's text part that starts with path_prefix."""
    text = message.get_body(("plain",)).get_content()
    match = re.search(rf"https://learn\.example\.org({re.escape(path_prefix)}\S+)", text)
    assert match, f"no {path_prefix} link in:\n{text}"
    return match.group(1)


@pytest.fixture
def redis_url() -> str:
    """A Redis database the tests own (ELEARN_TEST_REDIS_URL), emptied first; skipped without one,
    except under CI=true, where a missing Redis fails the run."""
    url = os.environ.get("ELEARN_TEST_REDIS_URL")
    if not url:
        if IN_CI:
            pytest.fail("CI=true needs ELEARN_TEST_REDIS_URL (the job queue is tested against a real Redis)")
        pytest.skip("set ELEARN_TEST_REDIS_URL=redis://127.0.0.1:6379/<db> to test the job queue")
    from redis import Redis

    with Redis.from_url(url) as connection:
        connection.flushdb()
    return url


@pytest.fixture
def queue_app(database_url, tmp_path, smtp, redis_url):
    """The app with a real Redis job queue (JOBS=rq) and the local SMTP server; retries at once."""
    app = make_test_app(
        database_url,
        tmp_path,
        JOBS="rq",
        REDIS_URL=redis_url,
        JOB_RETRY_INTERVALS=[0, 0],
        MAIL_BACKEND="smtp",
        MAIL_HOST="127.0.0.1",
        MAIL_PORT=smtp.port,
        MAIL_USE_STARTTLS=False,
        PUBLIC_URL="https://learn.example.org",
    )
    token = sqlite_immediate.set(False)
    yield app
    sqlite_immediate.reset(token)
    if "elearn.redis" in app.extensions:
        app.extensions["elearn.redis"].close()
    _empty_tables(app)


@pytest.fixture(scope="session")
def lrs_server(tmp_path_factory):
    from .lrs_server import RalphLRS, make_auth_file, ralph_or_skip

    ralph_or_skip(IN_CI)
    root = tmp_path_factory.mktemp("lrs")
    server = RalphLRS(root, make_auth_file(root / "auth.json"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def lrs(lrs_server):
    """A real LRS (Ralph, file-system backend), running and empty; a test may stop() and start() it."""
    lrs_server.forget_statements()
    if lrs_server.process is None:
        lrs_server.start()
    yield lrs_server
    if lrs_server.process is None:
        lrs_server.start()


def xapi_settings(lrs, **extra) -> dict:
    from .lrs_server import PASSWORD, USERNAME

    return {
        "XAPI_LRS_URL": lrs.endpoint,
        "XAPI_LRS_USERNAME": USERNAME,
        "XAPI_LRS_PASSWORD": PASSWORD,
        "PUBLIC_URL": "https://learn.example.org",
        **extra,
    }


@pytest.fixture
def xapi_app(database_url, tmp_path, lrs):
    """The app sending xAPI statements to the test LRS (sent by `flask xapi send`, as JOBS=inline)."""
    app = make_test_app(database_url, tmp_path, **xapi_settings(lrs))
    token = sqlite_immediate.set(False)  # as for the session fixture: tests' own reads must not block the app
    yield app
    sqlite_immediate.reset(token)
    _empty_tables(app)
