"""Admin: who needs a refresher soon, on a page and as CSV."""

from flask import Response, current_app, render_template
from flask_login import current_user

from ..db import db
from ..domain.cohorts.schedule import today_in_uk
from ..domain.evidence.export_filters import ExportFilters
from ..domain.evidence.refreshers import group_by_window, refreshers
from ..models import Role
from ..renderers.spreadsheets import csv_lines
from ..web.downloads import download_headers
from ..web.loaders import managed_organisation_ids
from .blueprint import bp, evidence_readers
from .bulk import refresher_cohorts_taking_people
from .exports import audit_export


@bp.route("/refreshers")
@evidence_readers
def refresher_dashboard():
    rows = refreshers(
        db.session, today_in_uk(), current_app.config["REFRESHER_MONTHS"], organisation_ids=managed_organisation_ids()
    )
    is_admin = current_user.role is Role.ADMIN
    return render_template(
        "admin/refreshers.html",
        groups=group_by_window(rows),
        refresher_cohorts=refresher_cohorts_taking_people() if is_admin else [],
        months=current_app.config["REFRESHER_MONTHS"],
    )


@bp.route("/refreshers.csv")
@evidence_readers
def refreshers_csv():
    rows = refreshers(
        db.session, today_in_uk(), current_app.config["REFRESHER_MONTHS"], organisation_ids=managed_organisation_ids()
    )
    audit_export(
        current_user.id, "refreshers_csv", ExportFilters(organisation_ids=managed_organisation_ids()), len(rows)
    )
    lines = ([r.name, r.email, r.organisation, r.cohort, r.due_on, r.days_left] for r in rows)
    return Response(
        csv_lines(["Name", "Email", "Organisation", "Last course", "Refresher due", "Days left"], lines),
        mimetype="text/csv",
        headers=download_headers("refreshers.csv"),
    )
