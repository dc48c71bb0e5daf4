"""The trainee's journey: their courses, joining with a code, their data, a course and its modules and pages
(the quiz is in quiz_views.py, reflections in reflections.py)."""

import json

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..db import db, utcnow
from ..domain.cohorts import cohort as cohorts
from ..domain.cohorts.schedule import today_in_uk
from ..domain.learning import reflections
from ..domain.learning.progress import load_progress, record_page_view
from ..domain.people import data_rights, registration
from ..models import Attempt, AttemptState, Cohort, Completion, Enrolment, Role
from ..renderers.ics import course_day_calendar
from ..web.access import roles
from ..web.certificates import certificate_response
from ..web.content_store import get_course
from ..web.forms import ButtonForm
from ..web.loaders import own_enrolment_or_404
from ..web.security import limiter, only_failures
from ..web.unit_of_work import refusal_shown, write_after
from . import guidance, presenters
from .forms import JoinForm, ReflectionForm

bp = Blueprint("learn", __name__, url_prefix="/course")
trainee = roles(Role.TRAINEE)


@bp.route("/")
@trainee
def courses():
    enrolments = db.session.scalars(
        sa.select(Enrolment).join(Cohort).where(Enrolment.user_id == current_user.id).order_by(Cohort.starts_on.desc())
    ).all()
    if len(enrolments) == 1:
        return redirect(url_for("learn.course", enrolment_id=enrolments[0].id))
    return render_template("learn/courses.html", enrolments=enrolments)


def _signed_in_account() -> str:
    return f"user:{getattr(current_user, 'id', None)}"


@bp.route("/join", methods=["GET", "POST"])
@trainee
@limiter.limit(
    lambda: current_app.config["JOIN_RATE_LIMIT"],
    methods=["POST"],
    key_func=_signed_in_account,
    deduct_when=only_failures,
)
def join():
    form = JoinForm()
    if form.validate_on_submit():
        with refusal_shown(form) as outcome:
            enrolment = cohorts.join_with_code(db.session, current_user, form.code.data, utcnow())
        if not outcome.refused:
            flash("You have joined the course.", "success")
            return redirect(url_for("learn.course", enrolment_id=enrolment.id))
    unconfirmed = not registration.is_confirmed(current_user)
    return render_template("learn/join.html", form=form, unconfirmed=unconfirmed, resend_form=ButtonForm())


@bp.route("/my-data")
@trainee
def my_data():
    """UK GDPR right of access: everything held about the signed-in person, readable or as JSON."""
    data = data_rights.export_personal_data(db.session, current_user)
    if request.args.get("format") == "json":
        return Response(
            json.dumps(data, indent=2),
            mimetype="application/json",
            headers={"Content-Disposition": 'attachment; filename="my-data.json"'},
        )
    return render_template("learn/my_data.html", data=data)


@bp.route("/<int:enrolment_id>/calendar.ics")
@trainee
def calendar(enrolment_id):
    cohort = own_enrolment_or_404(enrolment_id).cohort
    ics = course_day_calendar(cohort, current_app.config["PROVIDER_NAME"], utcnow())
    return Response(
        ics,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="course-day-{cohort.starts_on}.ics"'},
    )


@bp.route("/<int:enrolment_id>/certificate.pdf")
@trainee
def certificate(enrolment_id):
    enrolment = own_enrolment_or_404(enrolment_id)
    completion = db.session.scalar(sa.select(Completion).where(Completion.enrolment_id == enrolment.id))
    if completion is None:
        abort(404)
    return certificate_response(completion.certificate_code)


@bp.route("/<int:enrolment_id>")
@trainee
def course(enrolment_id):
    enrolment = own_enrolment_or_404(enrolment_id)
    progress = load_progress(db.session, get_course(), enrolment)
    withdrawn = db.session.scalar(
        sa.select(Completion).where(Completion.enrolment_id == enrolment.id, Completion.withdrawn_at.is_not(None))
    )
    view = presenters.course_overview(progress, today_in_uk(), guidance.next_step_for(progress), withdrawn)
    return render_template("learn/course.html", view=view)


# The columns the module's list of attempts shows (no answers), built once: every module overview runs it.
_SUBMITTED_ATTEMPTS = (
    sa.select(Attempt.id, Attempt.number, Attempt.submitted_at, Attempt.score_percent, Attempt.is_passed)
    .where(
        Attempt.enrolment_id == sa.bindparam("enrolment_id"),
        Attempt.module_id == sa.bindparam("module_id"),
        Attempt.state == AttemptState.SUBMITTED,
    )
    .order_by(Attempt.number)
)


@bp.route("/<int:enrolment_id>/<module_id>")
@trainee
def module(enrolment_id, module_id):
    progress, status = _readable_module(enrolment_id, module_id)
    attempts = db.session.execute(_SUBMITTED_ATTEMPTS, {"enrolment_id": enrolment_id, "module_id": module_id}).all()
    failed = sum(1 for a in attempts if a.is_passed is False)
    view = presenters.module_overview(progress, status, attempts, guidance.mastery_for(progress, status.module, failed))
    return render_template("learn/module.html", view=view)


@bp.route("/<int:enrolment_id>/<module_id>/<page_id>")
@trainee
def page(enrolment_id, module_id, page_id):
    progress, status = _readable_module(enrolment_id, module_id)
    index = next((i for i, p in enumerate(status.module.pages) if p.id == page_id), None)
    if index is None:
        abort(404)
    # A first read, or a re-read that moves the reading position or counts as a revisit (unlocking a
    # retake), is written after the response; reading the same page again costs no write.
    if progress.view_changes_anything(module_id, page_id):
        write_after(lambda session: record_page_view(session, progress.enrolment, module_id, page_id))
    return _page(progress, status.module, index)


def _page(progress, module, index: int, failed_form=None):
    """A module page with its reflection forms (the one just refused keeps its text and error)."""
    page = module.pages[index]
    saved = reflections.saved_texts(db.session, progress.enrolment.id, page)
    forms = {}
    for prompt in page.reflections:
        if failed_form is not None and failed_form._prefix == f"{prompt.id}-":
            forms[prompt.id] = failed_form
        else:
            forms[prompt.id] = ReflectionForm(
                prefix=prompt.id, formdata=None, data={"reflection": saved.get(prompt.id)}
            )
    view = presenters.page_view(progress, module, index, forms)
    return render_template("learn/page.html", view=view)


def _readable_module(enrolment_id: int, module_id: str):
    progress = load_progress(db.session, get_course(), own_enrolment_or_404(enrolment_id))
    status = progress.status(module_id)
    if status is None or not status.state.can_read:
        abort(404)
    return progress, status


# Registered on bp by importing them: the quiz (start, questions, check, result) and reflections.
from . import quiz_views as _quiz_routes  # noqa: E402,F401
from . import reflections as _reflection_routes  # noqa: E402,F401
