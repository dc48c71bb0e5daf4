"""A trainee's quiz: start or resume an attempt, answer each question (with how sure they are), check the
answers, submit, and see the result. Saving and submitting claim the attempt row as they load it."""

from flask import abort, g, redirect, render_template, request, url_for
from flask_login import current_user

from .. import mail
from ..db import db
from ..domain.learning import quiz
from ..domain.learning.progress import load_progress
from ..domain.notifications import Email
from ..lti import passback
from ..models import AttemptState, Enrolment
from ..web.content_store import get_course
from ..web.forms import ButtonForm
from ..web.loaders import own_attempt_or_404
from ..web.unit_of_work import refusal_shown
from . import guidance, presenters
from .forms import answer_form, confidence_choice, confidence_value
from .views import _readable_module, bp, trainee


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
