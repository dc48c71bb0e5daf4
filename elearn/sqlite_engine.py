"""SQLite, the embedded database: WAL, foreign keys, a lock taken at BEGIN for writes, and writers that
queue for that lock instead of sleeping.

SQLite lets one writer in at a time. A writer that finds the lock taken sleeps in SQLite's busy handler
for 1, 2, 5, 10... ms before it looks again, so under load most of a write's time was spent asleep after
the lock had long been free. Writers here first take an exclusive `flock` on a file beside the database:
the kernel hands it to the next waiter the moment it is released. Every process using the database
through this engine (web workers, job worker, cron) queues the same way; anything else (the sqlite3
shell) still meets SQLite's own lock and busy timeout, so correctness never rests on the queue.
"""

import collections
import contextvars
import fcntl
import os
import sqlite3
import threading
import time

import sqlalchemy as sa
from sqlalchemy import event

# Writes take the lock at BEGIN (BEGIN IMMEDIATE), so read-then-write transactions never fail with
# "database is locked" half-way; plain GET requests keep a deferred BEGIN.
sqlite_immediate = contextvars.ContextVar("sqlite_immediate", default=True)
BUSY_TIMEOUT_SECONDS = 10
_POLL_SECONDS = 0.0005
# Queue places held, by the thread that took them: a thread must never wait on itself.
_held: collections.Counter[int] = collections.Counter()
_held_guard = threading.Lock()


class QueuedConnection(sqlite3.Connection):
    """A driver connection that knows its place in the writers' queue."""

    writers_lock: int | None = None  # a descriptor of the lock file, one per connection
    writing = False
    writer_thread = 0


def make_sqlite_engine(url: str) -> sa.Engine:
    path = sa.engine.make_url(url).database
    lock_path = f"{path}-writers.lock" if path and path != ":memory:" else None
    engine = sa.create_engine(
        url,
        connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "factory": QueuedConnection},
        hide_parameters=True,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let SQLAlchemy's begin event issue BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        if lock_path:
            dbapi_connection.writers_lock = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        immediate = sqlite_immediate.get()
        dbapi_connection = connection.connection.dbapi_connection
        if immediate:
            _queue(dbapi_connection)
        # Straight to the driver: every request begins a transaction, and a full SQLAlchemy execution
        # of a constant statement cost as much as the request's first query.
        begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"
        try:
            dbapi_connection.execute(begin)
        except sqlite3.Error as error:  # as SQLAlchemy would have raised it ("database is locked", say)
            _leave(dbapi_connection)
            raise sa.exc.OperationalError(begin, None, error) from error

    @event.listens_for(engine, "close")
    def _on_close(dbapi_connection, _record):
        _leave(dbapi_connection)
        if dbapi_connection.writers_lock is not None:
            os.close(dbapi_connection.writers_lock)
            dbapi_connection.writers_lock = None

    # The next writer's turn comes once the transaction has ended in the database, not just before
    # (SQLAlchemy's commit and rollback events fire before the driver's call).
    dialect = engine.dialect
    for name in ("do_commit", "do_rollback"):
        setattr(dialect, name, _then_leave(getattr(dialect, name)))
    return engine


def _then_leave(end_transaction):
    def ended(connection):
        try:
            end_transaction(connection)
        finally:  # the pool's reset hands over its wrapper of the driver's connection
            _leave(getattr(connection, "dbapi_connection", connection))

    return ended


def _queue(connection: QueuedConnection) -> None:
    """Wait for this connection's turn to write (at most the busy timeout; then SQLite's lock decides)."""
    thread = threading.get_ident()
    if connection.writers_lock is None or connection.writing or _held[thread]:
        return  # a second writer in the same thread would wait on itself: SQLite's busy timeout answers it
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            fcntl.flock(connection.writers_lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() > deadline:
                return
            time.sleep(_POLL_SECONDS)
    connection.writing, connection.writer_thread = True, thread
    with _held_guard:
        _held[thread] += 1


def _leave(connection: QueuedConnection) -> None:
    if connection.writing:
        connection.writing = False
        with _held_guard:
            _held[connection.writer_thread] -= 1
        fcntl.flock(connection.writers_lock, fcntl.LOCK_UN)
