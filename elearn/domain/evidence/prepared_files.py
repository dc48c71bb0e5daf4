"""Prepared files: a large export asked for on the web and built by the job worker, for its requester only.

queued -> building -> ready, or -> failed once every try has failed; a failed file may be asked for again
(failed -> queued). Each step is one conditional UPDATE, so a duplicate job or a double click changes
nothing twice. A file expires after a while (its bytes hold personal data) and is then deleted."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import FileKind, FileStatus, PreparedFile, User
from ..errors import NotFound
from . import audit
from .export_filters import ExportFilters

KIND_NAMES = {FileKind.COMPLETIONS_XLSX: "Completions (Excel, XLSX)", FileKind.EVIDENCE_PACK: "Evidence pack (ZIP)"}


def request_file(
    session: Session, requester: User, kind: FileKind, filters: ExportFilters, covers: str, now: datetime, hours: int
) -> PreparedFile:
    """A new file, queued; the caller enqueues its build once this is committed."""
    prepared = PreparedFile(
        requester_id=requester.id,
        kind=kind,
        filters=filters.as_json(),
        covers=covers[:1000],
        status=FileStatus.QUEUED,
        created_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    session.add(prepared)
    session.flush()
    audit.record(session, requester, "export_requested", kind.value, file=prepared.id, filters=filters.describe())
    return prepared


def ask_again(session: Session, prepared: PreparedFile, now: datetime, hours: int) -> bool:
    """Queue a failed file again ("Try again"); False if it is not failed (already retried, or ready)."""
    done = session.execute(
        sa.update(PreparedFile)
        .where(PreparedFile.id == prepared.id, PreparedFile.status == FileStatus.FAILED)
        .values(status=FileStatus.QUEUED, error="", tries=0, expires_at=now + timedelta(hours=hours))
        .execution_options(synchronize_session=False)
    )
    session.expire(prepared)
    return done.rowcount == 1


def start_building(session: Session, file_id: int, now: datetime) -> bool:
    """Claim a queued file for this try; False if there is nothing to build (gone, ready or failed)."""
    done = session.execute(
        sa.update(PreparedFile)
        .where(PreparedFile.id == file_id, PreparedFile.status.in_([FileStatus.QUEUED, FileStatus.BUILDING]))
        .values(status=FileStatus.BUILDING, started_at=now, tries=PreparedFile.tries + 1)
        .execution_options(synchronize_session=False)
    )
    return done.rowcount == 1


def finish(
    session: Session, file_id: int, filename: str, content_type: str, content: bytes, rows: int, now: datetime
) -> None:
    session.execute(
        sa.update(PreparedFile)
        .where(PreparedFile.id == file_id, PreparedFile.status == FileStatus.BUILDING)
        .values(
            status=FileStatus.READY,
            filename=filename,
            content_type=content_type,
            content=content,
            size=len(content),
            rows=rows,
            finished_at=now,
            error="",
        )
        .execution_options(synchronize_session=False)
    )


def record_failure(session: Session, file_id: int, error: str, is_last_try: bool, now: datetime) -> None:
    """A try failed: queued again for the next try, or failed for good after the last."""
    session.execute(
        sa.update(PreparedFile)
        .where(PreparedFile.id == file_id, PreparedFile.status == FileStatus.BUILDING)
        .values(
            status=FileStatus.FAILED if is_last_try else FileStatus.QUEUED,
            error=error[:500],
            finished_at=now if is_last_try else None,
        )
        .execution_options(synchronize_session=False)
    )


def fail_unqueued(session: Session, file_id: int, error: str, now: datetime) -> None:
    """The job could not be queued (the queue is unreachable): failed at once, not waiting for ever."""
    session.execute(
        sa.update(PreparedFile)
        .where(PreparedFile.id == file_id, PreparedFile.status == FileStatus.QUEUED)
        .values(status=FileStatus.FAILED, error=error[:500], finished_at=now)
        .execution_options(synchronize_session=False)
    )


def file_for(session: Session, file_id: int, user: User, scope: tuple[int, ...] | None, now: datetime) -> PreparedFile:
    """The requester's own unexpired file, while they may still see what it covers (scope: theirs now);
    otherwise NotFound, the same answer as for a file that never existed."""
    prepared = session.get(PreparedFile, file_id)
    if prepared is None or prepared.requester_id != user.id or prepared.expires_at <= now:
        raise NotFound("No such file")
    if not ExportFilters.from_json(prepared.filters).visible_within(scope):
        raise NotFound("No such file")
    return prepared


def is_stalled(prepared: PreparedFile, now: datetime, build_minutes: int) -> bool:
    """A build that began longer ago than any build may take died with its worker: say so, do not wait."""
    started = prepared.started_at
    return (
        prepared.status is FileStatus.BUILDING
        and started is not None
        and now - started > timedelta(minutes=build_minutes)
    )


def recent_files(session: Session, user: User, now: datetime, limit: int = 10) -> list[PreparedFile]:
    """The user's files not yet expired, newest first (without their bytes)."""
    query = (
        sa.select(PreparedFile)
        .where(PreparedFile.requester_id == user.id, PreparedFile.expires_at > now)
        .order_by(PreparedFile.created_at.desc(), PreparedFile.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def delete_expired(session: Session, now: datetime) -> int:
    """Delete files past their time (their bytes hold personal data); the number deleted."""
    done = session.execute(
        sa.delete(PreparedFile).where(PreparedFile.expires_at <= now).execution_options(synchronize_session=False)
    )
    return done.rowcount
