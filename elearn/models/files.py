"""Files prepared by the job worker (large spreadsheets, evidence packs) for the person who asked.

The bytes live in the database, so any web host can serve them; they expire after FILE_KEEP_HOURS."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ..db import Base, UTCDateTime, str_enum, utcnow


class FileKind(enum.StrEnum):
    COMPLETIONS_XLSX = "completions_xlsx"
    EVIDENCE_PACK = "evidence_pack"


class FileStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for the worker (or for a retry)
    BUILDING = "building"
    READY = "ready"
    FAILED = "failed"  # every try failed; the job is kept as a dead letter at Admin -> Jobs


class PreparedFile(Base):
    __tablename__ = "prepared_files"
    __table_args__ = (
        sa.CheckConstraint("size IS NULL OR size >= 0", name="size_not_negative"),
        sa.CheckConstraint("tries >= 0", name="tries_not_negative"),
        # A ready file always has its bytes and name: the worker writes them in the same statement.
        sa.CheckConstraint(
            "status != 'ready' OR (content IS NOT NULL AND filename IS NOT NULL AND finished_at IS NOT NULL)",
            name="ready_has_content",
        ),
        sa.Index("ix_prepared_files_requester_id_created_at", "requester_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[FileKind] = mapped_column(str_enum(FileKind))
    # The filters as the export reads them (ids, dates), and as the page showed them (words).
    filters: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    covers: Mapped[str] = mapped_column(sa.String(1000), default="")
    status: Mapped[FileStatus] = mapped_column(str_enum(FileStatus), default=FileStatus.QUEUED)
    tries: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    filename: Mapped[str | None] = mapped_column(sa.String(255))
    content_type: Mapped[str | None] = mapped_column(sa.String(100))
    size: Mapped[int | None] = mapped_column(sa.BigInteger)
    rows: Mapped[int | None]
    # Loaded only by a download, never by a list or a status check.
    content: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    error: Mapped[str] = mapped_column(sa.String(500), default="")
