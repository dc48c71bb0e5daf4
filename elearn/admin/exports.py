"""Admin evidence: the exports page and its filters, the streamed completion files (CSV, XLSX) and
certificates. Large XLSX files and evidence packs are prepared by the job worker (prepared.py)."""

from datetime import date

from flask import Response, current_app, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user

from ..db import Database, db, read_only, utcnow
from ..domain.cohorts.readiness import Readiness
from ..domain.cohorts.schedule import today_in_uk
from ..domain.evidence import audit, prepared_files
from ..domain.evidence import exports as completion_export
from ..domain.evidence.export_filters import ExportFilters
from ..formatting import uk_date
from ..models import CourseType, FileKind, User
from ..renderers.spreadsheets import Counted
from ..web.certificates import certificate_response, verification_urls
from ..web.content_store import get_course
from ..web.downloads import download_headers
from ..web.forms import choices
from ..web.loaders import managed_organisation_ids
from ..web.request_input import whole_number
from . import presenters
from .blueprint import admin_only, bp, evidence_readers
from .export_files import (
    XLSX,
    completion_rows,
    completions_csv_pieces,
    completions_xlsx_chunks,
    covers,
    export_file_name,
)
from .forms import ExportFilterForm
from .prepared import prepare


@bp.route("/exports")
@evidence_readers
def exports():
    filters, errors = _filters()
    form = ExportFilterForm(formdata=None, data=_form_data(filters))
    for name, message in errors:
        form[name].errors = [message]
    return _exports_page(form), 400 if errors else 200


@bp.route("/exports", methods=["POST"])
@evidence_readers
def exports_chosen():
    """Every button on the page posts the filters: 'Apply' and the streamed files go on to a GET address
    holding them; a large XLSX or an evidence pack is queued for the worker, and its page follows."""
    form = _with_choices(ExportFilterForm())
    if not form.validate():
        return _exports_page(form), 400
    filters = _filters_from(form)
    action = request.form.get("action", "")
    args = _query_args(filters)
    if action == "csv":
        return redirect(url_for("admin.export_csv", **args), 303)
    if action == "xlsx" and completion_export.enrolments_covered(db.session, filters) <= _stream_max():
        return redirect(url_for("admin.export_xlsx", **args), 303)
    if action in ("xlsx", "evidence_pack"):
        kind = FileKind.COMPLETIONS_XLSX if action == "xlsx" else FileKind.EVIDENCE_PACK
        return redirect(url_for("admin.prepared_file", file_id=prepare(kind, filters)), 303)
    return redirect(url_for("admin.exports", **args), 303)


def _exports_page(form: ExportFilterForm) -> str:
    return render_template(
        "admin/exports.html",
        form=_with_choices(form),
        stream_max=_stream_max(),
        recent=presenters.prepared_file_rows(prepared_files.recent_files(db.session, current_user, utcnow())),
    )


@bp.route("/exports/completions.csv")
@evidence_readers
def export_csv():
    """Streamed; its last row says how many rows came before it, so a cut-off file shows it is incomplete."""
    filters, errors = _filters()
    if errors:
        return exports()  # before streaming: a 200 would promise a file
    today, actor_id = today_in_uk(), current_user.id
    header, what_it_covers = completion_export.header(get_course()), covers(db.session, filters)
    verify_url = verification_urls()

    def generate():  # the rows' query is made here, inside the stream: made in the view, its PostgreSQL
        # connection outlived the response (found by the collector as a connection left open)
        rows = completion_rows(db.session, filters, today, verify_url)
        with read_only():
            yield from completions_csv_pieces(header, what_it_covers, rows)
        db.session.rollback()  # end the read before the audit write
        audit_export(actor_id, "csv", filters, rows.count)

    return Response(
        stream_with_context(generate()),
        mimetype="text/csv",
        headers=download_headers(export_file_name(db.session, "completions", filters, today, "csv")),
    )


@bp.route("/exports/completions.xlsx")
@evidence_readers
def export_xlsx():
    """Streamed as it is written: the first bytes go before the first row is read."""
    filters, errors = _filters()
    if errors:
        return exports()
    today, actor_id, app = today_in_uk(), current_user.id, current_app._get_current_object()
    name = export_file_name(db.session, "completions", filters, today, "xlsx")
    header, what_it_covers = completion_export.header(get_course()), covers(db.session, filters)
    course, verify_url, months = get_course(), verification_urls(), current_app.config["REFRESHER_MONTHS"]

    def generate():  # runs as the server sends the file, outside the request: its own session, then the audit
        with read_only(), Database.sessionmaker_for(app)() as session:
            rows = Counted(completion_export.rows(session, course, filters, today, verify_url, months))
            yield from completions_xlsx_chunks(header, what_it_covers, rows)
        audit_export(actor_id, "xlsx", filters, rows.count, app)

    return Response(generate(), mimetype=XLSX, headers=download_headers(name))


@bp.route("/certificates/<code>.pdf")
@admin_only
def certificate(code):
    return certificate_response(code)


def _filters() -> tuple[ExportFilters, list[tuple[str, str]]]:
    """The filters from a GET address (dates as YYYY-MM-DD), and (field, message) for each bad one."""
    args, errors = request.args, []

    def number(name, label):
        value = args.get(name, "")
        if value and whole_number(value) is None:
            errors.append((name, f"Choose the {label} from the list"))
        return whole_number(value)

    def day(name, field):
        value = args.get(name, "")
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            errors.append((field, f"'{value}' is not a date: enter a day, month and year"))
            return None

    def choice(name, enum_cls, label):
        try:
            return enum_cls(args[name]) if args.get(name) else None
        except ValueError:
            errors.append((name, f"Choose the {label} from the list"))
            return None

    return ExportFilters(
        number("organisation", "organisation"),
        number("cohort", "cohort"),
        day("from", "course_from"),
        day("to", "course_to"),
        choice("course_type", CourseType, "course type"),
        choice("state", Readiness, "readiness"),
        managed_organisation_ids(),
    ), errors


def _filters_from(form: ExportFilterForm) -> ExportFilters:
    return ExportFilters(
        int(form.organisation.data) if form.organisation.data else None,
        int(form.cohort.data) if form.cohort.data else None,
        form.course_from.data,
        form.course_to.data,
        CourseType(form.course_type.data) if form.course_type.data else None,
        Readiness(form.state.data) if form.state.data else None,
        managed_organisation_ids(),
    )


def _form_data(filters: ExportFilters) -> dict:
    return {
        "organisation": str(filters.organisation_id or ""),
        "cohort": str(filters.cohort_id or ""),
        "course_from": filters.course_from,
        "course_to": filters.course_to,
        "course_type": filters.course_type.value if filters.course_type else "",
        "state": filters.state.value if filters.state else "",
    }


def _query_args(filters: ExportFilters) -> dict:
    """The filters as a GET address's arguments (the page, the CSV and the XLSX read them back)."""
    values = _form_data(filters)
    values["from"], values["to"] = values.pop("course_from"), values.pop("course_to")
    return {name: (v.isoformat() if isinstance(v, date) else v) for name, v in values.items() if v}


def _with_choices(form: ExportFilterForm) -> ExportFilterForm:
    options = presenters.filter_options(db.session, managed_organisation_ids())
    form.organisation.choices = choices([("", "All organisations"), *options["organisations"]])
    form.cohort.choices = choices(
        [("", "All cohorts"), *((i, f"{title}, {uk_date(on)}") for i, title, on in options["cohorts"])]
    )
    form.course_type.choices = choices(
        [("", "Initial and refresher"), *((t.value, t.value.capitalize()) for t in CourseType)]
    )
    form.state.choices = choices([("", "Any"), *options["states"]])
    return form


def _stream_max() -> int:
    return current_app.config["XLSX_STREAM_MAX_ROWS"]


def audit_export(actor_id: int, kind: str, filters: ExportFilters, count: int, app=None, **details) -> None:
    """In its own transaction: a streamed export finishes after the request's session has moved on."""
    with Database.sessionmaker_for(app or current_app)() as session:
        actor = session.get(User, actor_id)
        audit.record(session, actor, "export", kind, filters=filters.describe(), rows=count, **details)
        session.commit()
