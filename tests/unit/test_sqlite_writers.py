"""SQLite writers queue on a file lock (elearn/sqlite_engine.py), with real threads and processes."""

import multiprocessing
import threading

import pytest
import sqlalchemy as sa

from elearn import sqlite_engine
from elearn.db import make_engine, read_only


def _engine(path) -> sa.Engine:
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS log (id INTEGER PRIMARY KEY, who TEXT, n INTEGER)")
    return engine


def _append(url: str, who: str, times: int) -> None:
    engine = make_engine(url)
    for _ in range(times):
        with engine.begin() as conn:  # read then write, as the app's claims do
            last = conn.exec_driver_sql("SELECT COUNT(*) FROM log").scalar()
            conn.execute(sa.text("INSERT INTO log (who, n) VALUES (:who, :n)"), {"who": who, "n": last})
    engine.dispose()


def test_writers_in_four_processes_each_land_once_in_turn(tmp_path):
    _engine(tmp_path / "q.db").dispose()
    url = f"sqlite:///{tmp_path / 'q.db'}"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_append, args=(url, f"p{i}", 150)) for i in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    engine = make_engine(url)
    with engine.connect() as conn:
        counts = [row.n for row in conn.exec_driver_sql("SELECT n FROM log ORDER BY id")]
    engine.dispose()
    assert counts == list(range(600))  # each read saw every earlier write: none interleaved, none lost


def test_a_waiting_writer_goes_in_once_the_first_has_committed(tmp_path):
    engine = _engine(tmp_path / "w.db")
    first_in, second_started, order = threading.Event(), threading.Event(), []

    def first():
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO log (who) VALUES ('first')")
            first_in.set()
            second_started.wait(5)
            threading.Event().wait(0.2)  # the second is queued by now
            order.append("first commits")

    def second():
        first_in.wait(5)
        second_started.set()
        with engine.begin() as conn:
            order.append("second in")
            conn.exec_driver_sql("INSERT INTO log (who) VALUES ('second')")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert order == ["first commits", "second in"]
    with engine.connect() as conn:
        assert [r.who for r in conn.exec_driver_sql("SELECT who FROM log ORDER BY id")] == ["first", "second"]
    engine.dispose()


def test_the_queue_place_is_given_up_on_rollback_and_on_close(tmp_path):
    engine = _engine(tmp_path / "r.db")
    with pytest.raises(ZeroDivisionError), engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO log (who) VALUES ('undone')")
        raise ZeroDivisionError
    conn = engine.connect()
    conn.exec_driver_sql("INSERT INTO log (who) VALUES ('abandoned')")
    conn.close()  # never committed: rolled back as it goes back to the pool
    with engine.begin() as conn:  # would wait for ever if either had kept its place
        conn.exec_driver_sql("INSERT INTO log (who) VALUES ('kept')")
    with engine.connect() as conn:
        assert [r.who for r in conn.exec_driver_sql("SELECT who FROM log")] == ["kept"]
    assert sum(sqlite_engine._held.values()) == 0
    engine.dispose()


def test_reads_do_not_queue_behind_a_writer(tmp_path):
    engine = _engine(tmp_path / "read.db")
    with engine.begin() as writer:
        writer.exec_driver_sql("INSERT INTO log (who) VALUES ('w')")
        result = []
        reader = threading.Thread(target=lambda: result.append(_count(engine)))
        reader.start()
        reader.join(5)
        assert result == [0]  # answered from the last committed state while the write is open
    engine.dispose()


def _count(engine) -> int:
    with read_only(), engine.connect() as conn:
        return conn.exec_driver_sql("SELECT COUNT(*) FROM log").scalar()


def test_a_thread_never_waits_on_itself(tmp_path, monkeypatch):
    """A second writer in the thread that holds the queue would wait for ever: SQLite's own busy timeout
    answers it instead, as it did before the queue."""
    monkeypatch.setattr(sqlite_engine, "BUSY_TIMEOUT_SECONDS", 0.2)
    engine = _engine(tmp_path / "self.db")
    with engine.begin() as holder:
        holder.exec_driver_sql("INSERT INTO log (who) VALUES ('holder')")
        with pytest.raises(sa.exc.OperationalError, match="locked"), engine.begin() as second:
            second.exec_driver_sql("INSERT INTO log (who) VALUES ('second')")
    engine.dispose()
