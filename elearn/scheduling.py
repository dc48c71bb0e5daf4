"""Scheduled commands (cron) may run on several hosts at once: only one run of a command does its work.
PostgreSQL: a session advisory lock (released when the run ends, or its connection dies). SQLite lives
on one host, so a lock file beside the database does the same."""

import fcntl
import zlib
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from .db import Database


@contextmanager
def only_one(name: str):
    """Yield True if this run holds the lock for `name`; False if another run holds it."""
    engine = Database.sessionmaker_for(current_app).kw["bind"]
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine, name) as held:
            yield held
    else:
        with _file_lock(Path(engine.url.database or current_app.instance_path).with_suffix(f".{name}.lock")) as held:
            yield held


@contextmanager
def _advisory_lock(engine, name: str):
    key = zlib.crc32(f"elearn:{name}".encode())
    with engine.connect() as connection:
        held = connection.execute(sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
        connection.commit()
        try:
            yield bool(held)
        finally:
            if held:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()


@contextmanager
def _file_lock(path: Path):
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
