"""Admin evidence: completion exports (CSV, XLSX), evidence packs and certificates."""

import io
import tempfile
import zipfile
from datetime import date
from itertools import chain

from flask import Response, current_app, render_template, request, stream_with_context
from flask_login import current_user

from ..db import Database, db, read_only
from ..domain.cohorts.readiness import Readiness
from ..domain.cohorts.schedule import today_in_uk
from ..domain.evidence import audit
from ..domain.evidence import exports as completion_export
from ..domain.evidence.exports import ExportFilters, filters_in_words
from ..domain.evidence.summary import evidence_summary
from ..formatting import plural
from ..models import Cohort, CourseType, Organisation, User
from ..renderers.pdf import summary_pdf
from ..renderers.spreadsheets import Counted, csv_lines, safe_cell, write_xlsx
from ..renderers.xlsx import xlsx_chunks
from ..web.certificates import (
    certificate_document,
    certificate_file_name,
    certificate_response,
    verification_urls,
)
from ..web.content_store import get_course
from ..web.downloads import download_headers, file_name
from ..web.loaders import managed_organisation_ids
from ..web.request_input import whole_number
from . import presenters
from .blueprint import admin_only, bp, evidence_readers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# The CSV export's last row, so a reader can tell a complete file from one cut off in transit.
END_OF_EXPORT = "End of export:"


@bp.route("/exports")
@evidence_readers
def exports():
    return _exports_page(*_filters())


def _exports_page(filters: ExportFilters, errors: list[str]) -> str:
    return render_template(
        "admin/exports.html",
        filters=filters,
        errors=errors,
        args=request.args,
        options=presenters.filter_options(db.session, managed_organisation_ids()),
    )


@bp.route("/exports/completions.csv")
@evidence_readers
def export_csv():
    """Streamed; its last row says how many rows came before it, so a cut-off file shows it is incomplete."""
    filters, errors = _filters()
    if errors:
        return _exports_page(filters, errors), 400  # before streaming: a 200 would promise a file
    course, today, actor_id, verify_url = get_course(), today_in_uk(), current_user.id, verification_urls()
    header, covers = completion_export.header(course), _covers(filters)
    months = current_app.config["REFRESHER_MONTHS"]

    def generate():
        rows = Counted(completion_export.rows(db.session, course, filters, today, verify_url, months))
        with read_only():
            yield from csv_lines(header, chain(rows, _trailer(rows, covers)))
        db.session.rollback()  # end the read before the audit write
        audit_export(actor_id, "csv", filters, rows.count)

    return Response(
        stream_with_context(generate()),
        mimetype="text/csv",
        headers=download_headers(_file_name("completions", filters, today, "csv")),
    )


@bp.route("/exports/completions.xlsx")
@evidence_readers
def export_xlsx():
    """Streamed as it is written: the first bytes go before the first row is read."""
    filters, errors = _filters()
    if errors:
        return _exports_page(filters, errors), 400
    course, today, actor_id, verify_url = get_course(), today_in_uk(), current_user.id, verification_urls()
    header, name = completion_export.header(course), _file_name("completions", filters, today, "xlsx")
    app, months, covers = current_app._get_current_object(), current_app.config["REFRESHER_MONTHS"], _covers(filters)

    def generate():  # runs as the server sends the file, outside the request: its own session, then the audit
        with read_only(), Database.sessionmaker_for(app)() as session:
            rows = Counted(completion_export.rows(session, course, filters, today, verify_url, months))
            yield from xlsx_chunks(header, rows, safe_cell, footer=lambda: next(_trailer(rows, covers)))
        audit_export(actor_id, "xlsx", filters, rows.count, app)

    return Response(generate(), mimetype=XLSX, headers=download_headers(name))


@bp.route("/exports/evidence-pack.zip")
@evidence_readers
def evidence_pack():
    """One ZIP for an organisation or a cohort: the completion XLSX, a summary and the certificates."""
    filters, errors = _filters()
    if errors:
        return _exports_page(filters, errors), 400
    course, today, months, verify_url = (
        get_course(),
        today_in_uk(),
        current_app.config["REFRESHER_MONTHS"],
        verification_urls(),
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        with tempfile.TemporaryFile() as spool:
            count = write_xlsx(
                completion_export.header(course),
                completion_export.rows(db.session, course, filters, today, verify_url, months),
                spool,
            )
            spool.seek(0)
            pack.writestr(_file_name("completions", filters, today, "xlsx"), spool.read())
        summary = evidence_summary(db.session, course, filters, today, months)
        pack.writestr(
            _file_name("summary", filters, today, "pdf"), summary_pdf(summary, current_app.config["PROVIDER_NAME"])
        )
        for certificate in completion_export.certificates_covered(db.session, filters, months):
            pack.writestr(f"certificates/{certificate_file_name(certificate)}", certificate_document(certificate))
    audit_export(current_user.id, "evidence_pack", filters, count)
    return Response(
        buffer.getvalue(),
        mimetype="application/zip",
        headers=download_headers(_file_name("evidence-pack", filters, today, "zip")),
    )


@bp.route("/certificates/<code>.pdf")
@admin_only
def certificate(code):
    return certificate_response(code)


def _filters() -> tuple[ExportFilters, list[str]]:
    args, errors = request.args, []

    def number(name, label):
        value = args.get(name, "")
        if value and whole_number(value) is None:
            errors.append(f"Choose the {label} from the list")
        return whole_number(value)

    def day(name):
        value = args.get(name, "")
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            errors.append(f"'{value}' is not a date: use the date picker or YYYY-MM-DD")
            return None

    def choice(name, enum_cls, label):
        try:
            return enum_cls(args[name]) if args.get(name) else None
        except ValueError:
            errors.append(f"Choose the {label} from the list")
            return None

    return ExportFilters(
        number("organisation", "organisation"),
        number("cohort", "cohort"),
        day("from"),
        day("to"),
        choice("course_type", CourseType, "course type"),
        choice("state", Readiness, "readiness"),
        managed_organisation_ids(),
    ), errors


def _covers(filters: ExportFilters) -> str:
    """The filters in words, as the exports page showed them: every file says what it covers."""
    return "; ".join(f"{name}: {value}" for name, value in filters_in_words(db.session, filters))


def _trailer(rows: Counted, covers: str):
    """The last row, written once every data row has gone: how many, and what they cover. A file
    without it was cut off on the way."""
    yield [f"{END_OF_EXPORT} {plural(rows.count, 'row')}. Covers {covers}."]


def audit_export(actor_id: int, kind: str, filters: ExportFilters, count: int, app=None) -> None:
    """In its own transaction: a streamed export finishes after the request's session has moved on."""
    with Database.sessionmaker_for(app or current_app)() as session:
        actor = session.get(User, actor_id)
        audit.record(session, actor, "export", kind, filters=filters.describe(), rows=count)
        session.commit()


def _file_name(kind: str, filters: ExportFilters, today: date, ext: str) -> str:
    """e.g. evidence-pack-Oak-Trust-2026-12-02.zip: what it is, whose, and the day it was made."""
    organisation = db.session.get(Organisation, filters.organisation_id) if filters.organisation_id else None
    cohort = db.session.get(Cohort, filters.cohort_id) if filters.cohort_id else None
    return file_name(
        kind,
        organisation.name if organisation else "all-organisations",
        cohort.title if cohort else None,
        f"from-{filters.course_from}" if filters.course_from else None,
        f"to-{filters.course_to}" if filters.course_to else None,
        today,
        ext=ext,
    )
