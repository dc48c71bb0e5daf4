"""Trainer views: my cohorts, readiness board, trainee detail, quiz analysis, briefing, the day itself.

Trainers see only cohorts they are assigned to; admins see every cohort; managers see (read only) the
staff of their own organisations.
"""

import sqlalchemy as sa
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ..db import db, utcnow
from ..domain.cohorts import course_day as day_outcomes
from ..domain.cohorts.readiness import Readiness, count_by_state, readiness_for_cohorts
from ..domain.cohorts.schedule import today_in_uk
from ..domain.evidence.analysis import analyse, score_bands
from ..domain.evidence.board import SORT_KEYS, board_rows, sort_and_filter
from ..domain.evidence.briefing import confident_but_wrong, hardest_outcomes
from ..domain.learning.reflections import reflections_of
from ..models import Attempt, Attendance, Competence, Role, User
from ..renderers.pdf import briefing_pdf
from ..renderers.spreadsheets import csv_lines
from ..web.access import roles
from ..web.content_store import get_course
from ..web.downloads import download_headers, file_name
from ..web.loaders import (
    enrolment_in_cohort_or_404,
    hidden_enrolment_ids,
    managed_organisation_ids,
    staff_cohort_or_404,
    staff_cohorts,
)
from ..web.unit_of_work import refusal_shown
from . import analysis_presenters, board_presenters, charts
from .forms import day_outcome_form

bp = Blueprint("trainer", __name__, url_prefix="/trainer")
staff = roles(Role.TRAINER, Role.ADMIN)
readers = roles(Role.TRAINER, Role.ADMIN, Role.MANAGER)  # pages that only show readiness


@bp.context_processor
def _cohort_nav():
    return {"cohort_nav": lambda c: board_presenters.cohort_nav(c, request.endpoint, current_user.role is Role.MANAGER)}


@bp.route("/")
@readers
def cohorts():
    visible = staff_cohorts()
    ids = [c.id for c in visible]
    readiness = readiness_for_cohorts(db.session, get_course(), ids, today_in_uk())
    hidden = hidden_enrolment_ids(ids)
    shown = [r for r in readiness.values() if r.enrolment_id not in hidden]
    counts = {c.id: count_by_state(r for r in shown if r.cohort_id == c.id) for c in visible}
    today = today_in_uk()
    upcoming = [c for c in visible if c.starts_on >= today]
    recent = [c for c in reversed(visible) if c.starts_on < today][:10]
    return render_template(
        "trainer/cohorts.html",
        chart=charts.readiness_chart(upcoming, counts),
        upcoming=board_presenters.cohort_cards(upcoming, counts),
        recent=board_presenters.cohort_cards(recent, counts),
    )


@bp.route("/cohorts/<int:cohort_id>")
@readers
def board(cohort_id):
    cohort = staff_cohort_or_404(cohort_id)
    course = get_course()
    sort = request.args.get("sort") if request.args.get("sort") in SORT_KEYS else "state"
    descending = request.args.get("dir") == "desc"
    state = _state_arg()
    everyone = board_rows(db.session, course, cohort, today_in_uk(), managed_organisation_ids())
    rows = sort_and_filter(everyone, sort, descending, state)
    can_act = current_user.role is not Role.MANAGER
    view = board_presenters.board_view(cohort, course, rows, sort, descending, state, can_act)
    view["filters"] = board_presenters.board_filters(cohort, state, count_by_state(everyone))
    return render_template("trainer/board.html", view=view)


@bp.route("/cohorts/<int:cohort_id>/board.csv")
@readers
def board_csv(cohort_id):
    cohort = staff_cohort_or_404(cohort_id)
    course = get_course()
    everyone = board_rows(db.session, course, cohort, today_in_uk(), managed_organisation_ids())
    rows = sort_and_filter(everyone, "name", False, None)
    header, lines = board_presenters.board_csv_rows(course, rows)
    return Response(
        csv_lines(header, lines),
        mimetype="text/csv",
        headers=download_headers(file_name("readiness", cohort.title, cohort.starts_on, ext="csv")),
    )


@bp.route("/cohorts/<int:cohort_id>/trainees/<int:enrolment_id>")
@readers
def trainee(cohort_id, enrolment_id):
    cohort = staff_cohort_or_404(cohort_id)
    enrolment = enrolment_in_cohort_or_404(cohort, enrolment_id)
    attempts = db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.enrolment_id == enrolment.id)
        .options(selectinload(Attempt.answers))
        .order_by(Attempt.started_at)
    ).all()
    person = db.session.get(User, enrolment.user_id)
    return render_template(
        "trainer/trainee.html",
        cohort=cohort,
        person=person,
        enrolment=enrolment,
        attempts=board_presenters.attempt_views(get_course(), attempts),
        reflections=reflections_of(db.session, get_course(), [enrolment.id]),
        can_act=current_user.role is not Role.MANAGER,
    )


@bp.route("/cohorts/<int:cohort_id>/trainees/<int:enrolment_id>/day", methods=["GET", "POST"])
@staff
def day_outcome(cohort_id, enrolment_id):
    cohort = staff_cohort_or_404(cohort_id)
    enrolment = enrolment_in_cohort_or_404(cohort, enrolment_id)
    person = db.session.get(User, enrolment.user_id)
    form = day_outcome_form(
        cohort.days,
        attendance=enrolment.attendance.value,
        competence=enrolment.competence.value,
        note=enrolment.competence_note,
    )
    if form.validate_on_submit():
        with refusal_shown(form) as outcome:
            day_outcomes.record_day_outcome(
                db.session,
                enrolment,
                cohort,
                Attendance(form.attendance.data),
                Competence(form.competence.data),
                form.note.data or "",
                current_user,
                utcnow(),
                today_in_uk(),
            )
        if not outcome.refused:
            flash(f"Saved the outcome for {person.full_name}.", "success")
            return redirect(url_for("trainer.board", cohort_id=cohort.id), 303)
    return render_template("trainer/day_outcome.html", cohort=cohort, person=person, form=form)


@bp.route("/cohorts/<int:cohort_id>/analysis")
@staff
def analysis(cohort_id):
    cohort = staff_cohort_or_404(cohort_id)
    return _analysis_page(analyse(db.session, get_course(), [cohort.id]), score_bands(db.session, [cohort.id]), cohort)


@bp.route("/analysis")
@roles(Role.ADMIN)
def analysis_all():
    return _analysis_page(analyse(db.session, get_course(), None), score_bands(db.session, None), None)


@bp.route("/cohorts/<int:cohort_id>/briefing")
@staff
def briefing(cohort_id):
    cohort = staff_cohort_or_404(cohort_id)
    view = _briefing_view(cohort)
    return render_template("trainer/briefing.html", view=view, cohort=cohort)


@bp.route("/cohorts/<int:cohort_id>/briefing.pdf")
@staff
def briefing_download(cohort_id):
    cohort = staff_cohort_or_404(cohort_id)
    return Response(
        briefing_pdf(_briefing_view(cohort)),
        mimetype="application/pdf",
        headers=download_headers(file_name("briefing", cohort.title, cohort.starts_on, ext="pdf")),
    )


def _analysis_page(result, bands, cohort):
    course = get_course()
    return render_template(
        "trainer/analysis.html",
        cohort=cohort,
        modules=analysis_presenters.analysis_by_module(course, result, bands),
        attempts=result.attempts,
    )


def _briefing_view(cohort):
    course = get_course()
    rows = board_rows(db.session, course, cohort, today_in_uk())
    result = analyse(db.session, course, [cohort.id])
    saved = reflections_of(db.session, course, [r.enrolment_id for r in rows])
    view = analysis_presenters.briefing_view(
        cohort, course, rows, hardest_outcomes(result), confident_but_wrong(result)
    )
    return view | {"reflections": analysis_presenters.briefing_reflections(rows, saved)}


def _state_arg() -> Readiness | None:
    try:
        return Readiness(request.args["state"])
    except (KeyError, ValueError):
        return None
