"""`flask db backup PATH` for SQLite: SQLite's online backup API copies a consistent snapshot while
the app keeps writing (WAL readers never block writers), then `PRAGMA integrity_check` proves the copy.
PostgreSQL is backed up with pg_dump (docs/deploy.md)."""

import sqlite3
from contextlib import closing
from pathlib import Path

import sqlalchemy as sa


class BackupError(RuntimeError):
    pass


def backup_sqlite(database_url: str, target: Path) -> Path:
    """Copy the database to target (a new file), checked; returns target."""
    url = sa.engine.make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError("This database is PostgreSQL: back it up with pg_dump (see docs/deploy.md).")
    source = Path(url.database or "")
    if not source.is_file():
        raise BackupError(f"No SQLite database at {source}")
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file name")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with closing(sqlite3.connect(source, timeout=30)) as src, closing(sqlite3.connect(partial)) as dst:
        src.backup(dst)  # all pages in one step: one consistent snapshot, whatever writers do meanwhile
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    problems = integrity_problems(partial)
    if problems:
        partial.unlink()
        raise BackupError("The copy failed its integrity check: " + "; ".join(problems[:5]))
    partial.rename(target)
    return target


def integrity_problems(path: Path) -> list[str]:
    """What `PRAGMA integrity_check` finds wrong (an empty list when it says 'ok')."""
    with closing(sqlite3.connect(path)) as connection:
        rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows
