"""Prepared files: a large XLSX or an evidence pack is built by the job worker; its page says how it is
going ("Check again"), then offers the download, to the person who asked only, while they may still see
what it covers (checked again on every visit: anyone else gets 404)."""

from flask import Response, current_app, redirect, render_template, url_for
from flask_login import current_user

from .. import jobs
from ..db import Database, db, utcnow, writes_on_get
from ..domain.evidence import audit, prepared_files
from ..domain.evidence.export_filters import ExportFilters
from ..jobs.tasks import build_prepared_file
from ..models import FileKind, FileStatus, PreparedFile
from ..web.downloads import download_headers
from ..web.forms import ButtonForm
from ..web.loaders import managed_organisation_ids
from ..web.unit_of_work import after_commit
from . import presenters
from .blueprint import bp, evidence_readers
from .export_files import covers

# Audit names for downloads, as the streamed exports record them.
AUDIT_KIND = {FileKind.COMPLETIONS_XLSX: "xlsx", FileKind.EVIDENCE_PACK: "evidence_pack"}


def prepare(kind: FileKind, filters: ExportFilters) -> int:
    """Record the request and queue its build once it is committed; the new file's id."""
    config = current_app.config
    prepared = prepared_files.request_file(
        db.session, current_user, kind, filters, covers(db.session, filters), utcnow(), config["PREPARED_FILE_HOURS"]
    )
    prepared_files.delete_expired(db.session, utcnow())  # old files go whenever a new one is asked for
    _build_after_commit(prepared)
    return prepared.id


@bp.route("/files/<int:file_id>")
@evidence_readers
def prepared_file(file_id: int):
    prepared = _own_file(file_id)
    view = presenters.prepared_file_page(prepared, utcnow(), current_app.config["PREPARED_FILE_BUILD_MINUTES"])
    return render_template("admin/prepared_file.html", file=view, form=ButtonForm())


@bp.route("/files/<int:file_id>/download")
@writes_on_get  # the audit entry
@evidence_readers
def prepared_file_download(file_id: int):
    prepared = _own_file(file_id)
    if prepared.status is not FileStatus.READY:
        return redirect(url_for("admin.prepared_file", file_id=file_id), 303)
    filters = ExportFilters.from_json(prepared.filters)
    audit.record(
        db.session,
        current_user,
        "export",
        AUDIT_KIND[prepared.kind],
        filters=filters.describe(),
        rows=prepared.rows,
        prepared_file=prepared.id,
    )
    return Response(prepared.content, mimetype=prepared.content_type, headers=download_headers(prepared.filename))


@bp.route("/files/<int:file_id>/again", methods=["POST"])
@evidence_readers
def prepared_file_again(file_id: int):
    """'Try again' after a failure: the same file, queued once more (a second click changes nothing)."""
    prepared = _own_file(file_id)
    if ButtonForm().validate() and prepared_files.ask_again(
        db.session, prepared, utcnow(), current_app.config["PREPARED_FILE_HOURS"]
    ):
        audit.record(db.session, current_user, "export_requested", prepared.kind.value, file=prepared.id, again=True)
        _build_after_commit(prepared)
    return redirect(url_for("admin.prepared_file", file_id=file_id), 303)


def _own_file(file_id: int) -> PreparedFile:
    return prepared_files.file_for(db.session, file_id, current_user, managed_organisation_ids(), utcnow())


def _build_after_commit(prepared: PreparedFile) -> None:
    file_id, description = prepared.id, f"prepare file {prepared.id}: {prepared.kind.value} for user {current_user.id}"
    timeout = current_app.config["PREPARED_FILE_BUILD_MINUTES"] * 60

    def queue() -> None:
        try:
            jobs.enqueue(build_prepared_file, file_id, description=description, timeout_seconds=timeout)
        except Exception as exc:  # Redis unreachable: say so on the file's page rather than wait for ever
            current_app.logger.exception("Could not queue prepared file %s", file_id)
            with Database.sessionmaker_for(current_app)() as session:
                prepared_files.fail_unqueued(session, file_id, f"{type(exc).__name__}: the job queue", utcnow())
                session.commit()

    after_commit(queue)
