"""Admin evidence: completion exports (CSV, XLSX), evidence packs and certificates."""

import io
import tempfile
import zipfile
from datetime import date

from flask import Response, current_app, render_template, request, stream_with_context
from flask_login import current_user

from .. import mail
from ..db import Database, db, read_only
from ..domain.cohorts.readiness import Readiness
from ..domain.cohorts.schedule import today_in_uk
from ..domain.evidence import audit
from ..domain.evidence import exports as completion_export
from ..domain.evidence.exports import ExportFilters
from ..domain.evidence.summary import evidence_summary
from ..models import CourseType, User
from ..renderers.pdf import summary_pdf
from ..renderers.spreadsheets import csv_lines, write_xlsx
from ..web.certificates import certificate_response
from ..web.content_store import get_course
from ..web.loaders import managed_organisation_ids
from . import presenters
from .blueprint import admin_only, bp, evidence_readers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/exports")
@evidence_readers
def exports():
    filters, errors = _filters()
    return render_template(
        "admin/exports.html",
        filters=filters,
        errors=errors,
        args=request.args,
        options=presenters.filter_options(db.session, managed_organisation_ids()),
        query=request.query_string.decode(),
    )


@bp.route("/exports/completions.csv")
@evidence_readers
def export_csv():
    filters, _errors = _filters()
    course, today, actor_id = get_course(), today_in_uk(), current_user.id
    header = completion_export.header(course)

    def generate():
        count = 0

        def counted():
            nonlocal count
            for row in completion_export.rows(
                db.session, course, filters, today, _verify_url, current_app.config["REFRESHER_MONTHS"]
            ):
                count += 1
                yield row

        with read_only():
            yield from csv_lines(header, counted())
        db.session.rollback()  # end the read before the audit write
        audit_export(actor_id, "csv", filters, count)

    return Response(stream_with_context(generate()), mimetype="text/csv", headers=download_headers("completions.csv"))


@bp.route("/exports/completions.xlsx")
@evidence_readers
def export_xlsx():
    filters, _errors = _filters()
    course = get_course()
    with tempfile.TemporaryFile() as spool:  # write-only XLSX goes to disk, never all in memory
        count = write_xlsx(
            completion_export.header(course),
            completion_export.rows(
                db.session, course, filters, today_in_uk(), _verify_url, current_app.config["REFRESHER_MONTHS"]
            ),
            spool,
        )
        audit_export(current_user.id, "xlsx", filters, count)
        spool.seek(0)
        data = spool.read()
    return Response(data, mimetype=XLSX, headers=download_headers("completions.xlsx"))


@bp.route("/exports/evidence-pack.zip")
@evidence_readers
def evidence_pack():
    """One ZIP for an organisation or a cohort: the completion XLSX, a summary and the certificates."""
    filters, _errors = _filters()
    course, today = get_course(), today_in_uk()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        with tempfile.TemporaryFile() as spool:
            count = write_xlsx(
                completion_export.header(course),
                completion_export.rows(
                    db.session, course, filters, today, _verify_url, current_app.config["REFRESHER_MONTHS"]
                ),
                spool,
            )
            spool.seek(0)
            pack.writestr("completions.xlsx", spool.read())
        summary = evidence_summary(db.session, course, filters, today, current_app.config["REFRESHER_MONTHS"])
        pack.writestr("summary.pdf", summary_pdf(summary, current_app.config["PROVIDER_NAME"]))
        for code in completion_export.certificate_codes(db.session, filters):
            pack.writestr(f"certificates/{code}.pdf", certificate_response(code).get_data())
    audit_export(current_user.id, "evidence_pack", filters, count)
    return Response(buffer.getvalue(), mimetype="application/zip", headers=download_headers("evidence-pack.zip"))


@bp.route("/certificates/<code>.pdf")
@admin_only
def certificate(code):
    return certificate_response(code)


def _filters() -> tuple[ExportFilters, list[str]]:
    args, errors = request.args, []

    def number(name):
        value = args.get(name, "")
        return int(value) if value.isdigit() else None

    def day(name):
        value = args.get(name, "")
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            errors.append(f"'{value}' is not a date: use the date picker or YYYY-MM-DD")
            return None

    def choice(name, enum_cls):
        try:
            return enum_cls(args[name]) if args.get(name) else None
        except ValueError:
            return None

    return ExportFilters(
        number("organisation"),
        number("cohort"),
        day("from"),
        day("to"),
        choice("course_type", CourseType),
        choice("state", Readiness),
        managed_organisation_ids(),
    ), errors


def _verify_url(code: str) -> str:
    return mail.absolute_url("public.verify", code=code)


def audit_export(actor_id: int, kind: str, filters: ExportFilters, count: int) -> None:
    """In its own transaction: a streamed export finishes after the request's session has moved on."""
    with Database.sessionmaker_for(current_app)() as session:
        actor = session.get(User, actor_id)
        audit.record(session, actor, "export", kind, filters=filters.describe(), rows=count)
        session.commit()


def download_headers(filename: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
