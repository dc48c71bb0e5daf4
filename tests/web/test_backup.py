"""`flask db backup`: a consistent SQLite copy taken while answers are being saved, restored into a
fresh path, serves pages with everything saved before the backup began."""

import shutil
import threading

import pytest
import sqlalchemy as sa

from elearn.backup import integrity_problems
from elearn.db import Database
from elearn.migrate import upgrade_to_head
from elearn.models import AttemptAnswer as Answer

from ..conftest import FormClient, _empty_tables, make_test_app
from ..factories import PASSWORD, trainee_with_enrolment
from .quiz_helpers import answer_all, start_quiz


@pytest.fixture
def sqlite_app(tmp_path):
    """Always SQLite (the backup command is for SQLite; PostgreSQL uses pg_dump)."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    upgrade_to_head(url)
    app = make_test_app(url, tmp_path)
    yield app
    _empty_tables(app)


def test_backup_while_answers_are_saved_restores_and_serves(sqlite_app, tmp_path):
    with Database.sessionmaker_for(sqlite_app)() as session:
        user, enrolment = trainee_with_enrolment(session)
        email, enrolment_id = user.email, enrolment.id
        client = FormClient(sqlite_app.test_client())
        client.sign_in(email, PASSWORD)
        first = start_quiz(client, enrolment_id, "alpha")
        answer_all(client, session, first)  # saved before the backup: must be in it
        saved_before = session.scalar(sa.select(sa.func.count(Answer.id)))
        assert saved_before > 0

        stop = threading.Event()
        writes = []

        def keep_answering():  # the same answers again and again: every save is a committed write
            while not stop.is_set():
                answer_all(client, session, first)
                writes.append(1)

        writer = threading.Thread(target=keep_answering)
        writer.start()
        try:
            while not writes:
                stop.wait(0.05)
            backup = tmp_path / "backups" / "elearn-backup.db"
            backup.parent.mkdir()
            result = sqlite_app.test_cli_runner().invoke(args=["db", "backup", str(backup)])
        finally:
            stop.set()
            writer.join()
    assert result.exit_code == 0, result.output
    assert "integrity check: ok" in result.output and len(writes) >= 1
    assert integrity_problems(backup) == []

    restored = tmp_path / "restored" / "elearn.db"
    restored.parent.mkdir()
    shutil.copy(backup, restored)
    app = make_test_app(f"sqlite:///{restored}", tmp_path / "restored")
    client = FormClient(app.test_client())
    client.sign_in(email, PASSWORD)
    page = client.get(f"/course/attempt/{first}/question/1")
    assert page.status_code == 200
    with Database.sessionmaker_for(app)() as session:
        assert session.scalar(sa.select(sa.func.count(Answer.id))) >= saved_before


def test_backup_refuses_to_overwrite_and_points_postgresql_to_pg_dump(sqlite_app, tmp_path):
    runner = sqlite_app.test_cli_runner()
    existing = tmp_path / "taken.db"
    existing.write_text("keep me")
    assert "exists already" in runner.invoke(args=["db", "backup", str(existing)]).output
    assert existing.read_text() == "keep me"
    sqlite_app.config["DATABASE_URL"] = "postgresql+psycopg://postgres@127.0.0.1/elearn"
    assert "pg_dump" in runner.invoke(args=["db", "backup", str(tmp_path / "new.db")]).output
