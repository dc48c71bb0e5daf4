"""The completion files and the evidence pack as bytes: what the exports stream and what the job worker
builds, from the same rows, names and trailer, so a prepared file is the file a download would have been."""

import io
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import date

from flask import current_app
from sqlalchemy.orm import Session

from ..domain.evidence import exports as completion_export
from ..domain.evidence.export_filters import ExportFilters, filters_in_words
from ..domain.evidence.summary import evidence_summary
from ..formatting import plural
from ..models import Cohort, FileKind, Organisation
from ..renderers.pdf import summary_pdf
from ..renderers.spreadsheets import Cell, Counted, csv_pieces, safe_cell, write_xlsx
from ..renderers.xlsx import xlsx_chunks
from ..web.certificates import certificate_document, certificate_file_name, verification_urls
from ..web.content_store import get_course
from ..web.downloads import file_name

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"
# The completion list's last row, so a reader can tell a complete file from one cut off in transit.
END_OF_EXPORT = "End of export:"


def covers(session: Session, filters: ExportFilters) -> str:
    """The filters in words, as the exports page showed them: every file says what it covers."""
    return "; ".join(f"{name}: {value}" for name, value in filters_in_words(session, filters))


def trailer(rows: Counted, what_it_covers: str) -> Iterator[list]:
    """The last row, written once every data row has gone: how many, and what they cover. A file
    without it was cut off on the way."""
    yield [f"{END_OF_EXPORT} {plural(rows.count, 'row')}. Covers {what_it_covers}."]


def export_file_name(session: Session, kind: str, filters: ExportFilters, today: date, ext: str) -> str:
    """e.g. evidence-pack-Oak-Trust-2026-12-02.zip: what it is, whose, and the day it was made."""
    organisation = session.get(Organisation, filters.organisation_id) if filters.organisation_id else None
    cohort = session.get(Cohort, filters.cohort_id) if filters.cohort_id else None
    return file_name(
        kind,
        organisation.name if organisation else "all-organisations",
        cohort.title if cohort else None,
        f"from-{filters.course_from}" if filters.course_from else None,
        f"to-{filters.course_to}" if filters.course_to else None,
        today,
        ext=ext,
    )


def completion_rows(session: Session, filters: ExportFilters, today: date, verify_url=None) -> Counted:
    """The completion rows, counted as they go. Needs the app (course, settings): call it in the request."""
    months = current_app.config["REFRESHER_MONTHS"]
    return Counted(
        completion_export.rows(session, get_course(), filters, today, verify_url or verification_urls(), months)
    )


# What each column of the completion list holds (by heading; a module's three by their ending), so the CSV
# formats a column one way: a heading missing here fails at once rather than writing a cell unformatted.
_KINDS = {
    "Learner name": Cell.TEXT,
    "Email": Cell.TEXT,
    "Job title": Cell.TEXT,
    "Organisation": Cell.TEXT,
    "Cohort": Cell.TEXT,
    "Course type": Cell.PLAIN,
    "Course date": Cell.DATE,
    "Pre-learning deadline": Cell.DATE,
    "Pre-learning completed": Cell.DATETIME,
    "Completed late": Cell.PLAIN,
    "Readiness": Cell.PLAIN,
    "Content version": Cell.TEXT,
    "Certificate code": Cell.TEXT,
    "Verification URL": Cell.TEXT,
    "Attendance": Cell.PLAIN,
    "Competence outcome": Cell.PLAIN,
    "Refresher due": Cell.DATE,
    "Enrolled on": Cell.DATE,
    "Managers": Cell.TEXT,
    completion_export.TIME_ON_COURSE: Cell.PLAIN,
}
_MODULE_KINDS = {"passed on": Cell.DATE, "best score %": Cell.PLAIN, "attempts": Cell.PLAIN}


def completion_kinds(header: list[str]) -> list[Cell]:
    return [_KINDS.get(name) or _MODULE_KINDS[name.split(" ", 2)[2]] for name in header]


def completions_csv_pieces(header: list[str], what_it_covers: str, rows: Counted) -> Iterator[str]:
    """The completions CSV in pieces, ending with the trailer row; needs no app (it may run as it is sent)."""
    return csv_pieces(header, completion_kinds(header), rows, footer=lambda: next(trailer(rows, what_it_covers)))


def completions_xlsx_chunks(header: list[str], what_it_covers: str, rows: Counted) -> Iterator[bytes]:
    """The completions XLSX in pieces, ending with the trailer row; needs no app (it may run as it is sent)."""
    return xlsx_chunks(header, rows, safe_cell, footer=lambda: next(trailer(rows, what_it_covers)))


def build(session: Session, kind: FileKind, filters: ExportFilters, today: date) -> tuple[str, str, bytes, int]:
    """A prepared file's name, content type, bytes and number of completion rows."""
    if kind is FileKind.COMPLETIONS_XLSX:
        rows = completion_rows(session, filters, today)
        with tempfile.SpooledTemporaryFile(max_size=8 << 20) as spool:  # spills to disk past 8 MB
            header = completion_export.header(get_course())
            for chunk in completions_xlsx_chunks(header, covers(session, filters), rows):
                spool.write(chunk)
            spool.seek(0)
            content = spool.read()
        return export_file_name(session, "completions", filters, today, "xlsx"), XLSX, content, rows.count
    content, count = evidence_pack(session, filters, today)
    return export_file_name(session, "evidence-pack", filters, today, "zip"), ZIP, content, count


def evidence_pack(session: Session, filters: ExportFilters, today: date) -> tuple[bytes, int]:
    """One ZIP for an organisation or a cohort: the completion XLSX, a summary PDF naming its filters, and
    the certificates it covers."""
    course, months = get_course(), current_app.config["REFRESHER_MONTHS"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        with tempfile.TemporaryFile() as spool:
            count = write_xlsx(
                completion_export.header(course),
                completion_export.rows(session, course, filters, today, verification_urls(), months),
                spool,
            )
            spool.seek(0)
            pack.writestr(export_file_name(session, "completions", filters, today, "xlsx"), spool.read())
        summary = evidence_summary(session, course, filters, today, months)
        pack.writestr(
            export_file_name(session, "summary", filters, today, "pdf"),
            summary_pdf(summary, current_app.config["PROVIDER_NAME"]),
        )
        for certificate in completion_export.certificates_covered(session, filters, months):
            pack.writestr(f"certificates/{certificate_file_name(certificate)}", certificate_document(certificate))
    return buffer.getvalue(), count
