"""The trainee's journey: course, module pages, quiz questions, check answers, result."""

import json

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from .. import mail
from ..db import db, utcnow
from ..domain.cohorts import cohort as cohorts
from ..domain.cohorts.schedule import today_in_uk
from ..domain.learning import quiz, reflections
from ..domain.learning.progress import load_progress, record_page_view
from ..domain.notifications import Email
from ..domain.people import data_rights, registration
from ..lti import passback
from ..models import Attempt, AttemptState, Cohort, Completion, Enrolment, Role
from ..renderers.ics import course_day_calendar
from ..web.access import roles
from ..web.certificates import certificate_response
from ..web.content_store import get_course
from ..web.forms import ButtonForm
from ..web.loaders import own_attempt_or_404, own_enrolment_or_404
from ..web.security import limiter, only_failures
from ..web.unit_of_work import refusal_shown, write_after
from . import guidance, presenters
from .forms import JoinForm, ReflectionForm, answer_form, confidence_choice, confidence_value

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


@bp.route("/<int:enrolment_id>/<module_id>")
@trainee
def module(enrolment_id, module_id):
    progress, status = _readable_module(enrolment_id, module_id)
    attempts = db.session.execute(  # the columns the list shows: no answers loaded
        sa.select(Attempt.id, Attempt.number, Attempt.submitted_at, Attempt.score_percent, Attempt.is_passed)
        .where(
            Attempt.enrolment_id == enrolment_id,
            Attempt.module_id == module_id,
            Attempt.state == AttemptState.SUBMITTED,
        )
        .order_by(Attempt.number)
    ).all()
    failed = sum(1 for a in attempts if a.is_passed is False)
    view = presenters.module_overview(progress, status, attempts, guidance.mastery_for(progress, status.module, failed))
    return render_template("learn/module.html", view=view, form=ButtonForm())


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


@bp.route("/<int:enrolment_id>/<module_id>/quiz", methods=["POST"])
@trainee
def start_quiz(enrolment_id, module_id):
    progress, status = _readable_module(enrolment_id, module_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    with refusal_shown() as outcome:
        attempt = quiz.start_or_resume(db.session, get_course(), progress, module_id)
    if outcome.refused:
        return redirect(url_for("learn.module", enrolment_id=enrolment_id, module_id=module_id))
    return redirect(_next_question_url(attempt), 303)


@bp.route("/attempt/<int:attempt_id>")
@trainee
def resume(attempt_id):
    """Carry on an attempt where it was left: the first unanswered question, or the check page."""
    attempt, _module = _attempt_and_module(attempt_id)
    if attempt.state is not AttemptState.OPEN:
        return redirect(url_for("learn.result", attempt_id=attempt.id))
    return redirect(_next_question_url(attempt))


@bp.route("/attempt/<int:attempt_id>/question/<int:number>", methods=["GET", "POST"])
@trainee
def question(attempt_id, number):
    attempt, module = _attempt_and_module(attempt_id)
    if attempt.state is not AttemptState.OPEN:
        return redirect(url_for("learn.result", attempt_id=attempt.id), 303)
    draw = quiz.attempt_draw(attempt)
    if not 1 <= number <= len(draw):
        abort(404)
    drawn = draw[number - 1]
    view = presenters.question_view(
        module, module.quiz.question(drawn.question_id), drawn, number - 1, len(draw), attempt.id, attempt.enrolment_id
    )
    form = answer_form(view["choices"], view["is_multiple"], view["question"].prompt)
    if request.method == "GET":
        form.answer.data = _saved_choice(attempt, number - 1, view["is_multiple"])
        form.confidence.data = _saved_confidence(attempt, number - 1)
    elif form.validate_on_submit():
        confident = confidence_value(form.confidence.data)
        with refusal_shown(form) as outcome:
            quiz.save_answer(db.session, module, attempt, number - 1, request.form.getlist("answer"), confident)
        if not outcome.refused:
            if number < len(draw) and not request.args.get("change"):
                return redirect(url_for("learn.question", attempt_id=attempt.id, number=number + 1), 303)
            return redirect(url_for("learn.check", attempt_id=attempt.id), 303)
    return render_template("learn/question.html", view=view, form=form, attempt=attempt, number=number)


@bp.route("/attempt/<int:attempt_id>/check", methods=["GET", "POST"])
@trainee
def check(attempt_id):
    attempt, module = _attempt_and_module(attempt_id)
    course = get_course()
    form = ButtonForm()
    error = None
    if attempt.state is not AttemptState.OPEN:
        return redirect(url_for("learn.result", attempt_id=attempt.id), 303)
    if form.validate_on_submit():
        with refusal_shown(banner=False) as outcome:
            submission = quiz.submit(db.session, course, module, attempt)
        if not outcome.refused:
            if submission.completion:
                _send_completion_email(submission.completion, attempt.enrolment_id)
                passback.completion_recorded(attempt.enrolment_id)  # to the LMS that launched it, if any
            if submission.support_reached:
                guidance.send_support_email(module, attempt.enrolment_id)
            return redirect(url_for("learn.result", attempt_id=attempt.id), 303)
        error = outcome.message
    rows = presenters.check_rows(module, attempt, quiz.attempt_draw(attempt), quiz.saved_answers(attempt))
    return render_template("learn/check.html", module=module, rows=rows, form=form, error=error, attempt=attempt)


@bp.route("/attempt/<int:attempt_id>/result")
@trainee
def result(attempt_id):
    attempt, module = _attempt_and_module(attempt_id)
    if attempt.state is AttemptState.OPEN:
        return redirect(url_for("learn.check", attempt_id=attempt.id))
    if attempt.state is AttemptState.VOID:
        abort(404)
    course = get_course()
    enrolment = db.session.get(Enrolment, attempt.enrolment_id)
    progress = load_progress(db.session, course, enrolment)
    modules = [s.module.id for s in progress.statuses]
    index = modules.index(module.id)
    next_status = progress.statuses[index + 1] if index + 1 < len(modules) else None
    view = presenters.result_view(
        course, module, attempt, enrolment.id, next_status, guidance.mastery_for(progress, module)
    )
    return render_template("learn/result.html", view=view, completion=progress.completion, form=ButtonForm())


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
    return render_template("learn/page.html", view=view, form=ButtonForm())


def _send_completion_email(completion, enrolment_id: int) -> None:
    cohort = db.session.get(Enrolment, enrolment_id).cohort
    mail.send_after_commit(
        Email(
            to=current_user.email,
            subject="You have finished your pre-course learning",
            template="completion",
            context={
                "name": current_user.full_name,
                "cohort": cohort,
                "code": completion.certificate_code,
                "completed_at": completion.completed_at,
                "link": mail.absolute_url("learn.course", enrolment_id=enrolment_id),
            },
        )
    )


def _readable_module(enrolment_id: int, module_id: str):
    progress = load_progress(db.session, get_course(), own_enrolment_or_404(enrolment_id))
    status = progress.status(module_id)
    if status is None or not status.state.can_read:
        abort(404)
    return progress, status


def _attempt_and_module(attempt_id: int):
    # A POST saves or submits: load and lock the attempt in one statement (the claim quiz.py needs).
    attempt, enrolment = own_attempt_or_404(attempt_id, claim=request.method == "POST")
    module = get_course().module(attempt.module_id)
    if module is None:
        abort(404)
    g.enrolment = enrolment  # held for the request, so session.get(Enrolment, ...) needs no query
    return attempt, module


def _next_question_url(attempt) -> str:
    missing = quiz.unanswered_positions(attempt)
    if not missing:
        return url_for("learn.check", attempt_id=attempt.id)
    return url_for("learn.question", attempt_id=attempt.id, number=missing[0] + 1)


def _saved_confidence(attempt, position: int) -> str | None:
    answer = next((a for a in attempt.answers if a.position == position), None)
    return confidence_choice(answer.confident) if answer else None


def _saved_choice(attempt, position: int, is_multiple: bool):
    selected = quiz.saved_answers(attempt).get(position)
    if not selected:
        return None
    return sorted(selected) if is_multiple else next(iter(selected))


from . import reflections as _reflection_routes  # noqa: E402,F401 - registers its routes on bp
