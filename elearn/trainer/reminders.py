"""Trainer: email a reminder from the board to trainees who are not ready (all or some), after a preview."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import mail
from ..db import db
from ..domain.cohorts import reminders
from ..domain.cohorts.readiness import Readiness
from ..domain.cohorts.schedule import days_left_text, today_in_uk
from ..domain.evidence import audit
from ..domain.evidence.board import BoardRow, board_rows, sort_and_filter
from ..domain.notifications import Email
from ..formatting import plural, uk_date
from ..web.content_store import get_course
from ..web.forms import ButtonForm
from ..web.loaders import staff_cohort_or_404
from .views import bp, staff

DONE = (Readiness.READY, Readiness.LATE)


@bp.route("/cohorts/<int:cohort_id>/reminders", methods=["GET", "POST"])
@staff
def remind(cohort_id):
    cohort = staff_cohort_or_404(cohort_id)
    today = today_in_uk()
    rows = [
        r
        for r in sort_and_filter(board_rows(db.session, get_course(), cohort, today), "state", False, None)
        if r.state not in DONE
    ]
    form, error = ButtonForm(), None
    if form.validate_on_submit():
        chosen = [r for r in rows if str(r.enrolment_id) in request.form.getlist("enrolment")]
        if chosen:
            return _send(cohort, chosen, today)
        error = "Choose at least one trainee to remind"
    reminded = reminders.reminded_on(db.session, [r.user_id for r in rows], today)
    return render_template(
        "trainer/reminders.html",
        cohort=cohort,
        form=form,
        error=error,
        people=[{"row": r, "reminded_today": r.user_id in reminded} for r in rows],
        preview=mail.preview_text(reminder_email(rows[0], cohort, today)).split("\n\n") if rows else None,
    )


def _send(cohort, chosen: list[BoardRow], today):
    claimed, skipped = reminders.claim_board_reminders(
        db.session, cohort, [r.enrolment_id for r in chosen], current_user, today
    )
    by_id = {r.enrolment_id: r for r in chosen}
    mail.send_after_commit(*(reminder_email(by_id[i], cohort, today) for i in claimed))
    audit.record(
        db.session,
        current_user,
        "reminders_sent",
        cohort.title,
        cohort_id=cohort.id,
        sent=len(claimed),
        already_reminded_today=len(skipped),
    )
    message = f"Sent a reminder to {plural(len(claimed), 'trainee')}."
    if skipped:
        message += f" {plural(len(skipped), 'trainee was', 'trainees were')} already reminded today, so not again."
    flash(message, "success")
    return redirect(url_for("trainer.board", cohort_id=cohort.id), 303)


def reminder_email(row: BoardRow, cohort, today) -> Email:
    """The same reminder the scheduled run sends, with the trainee's progress from the board."""
    return Email(
        to=row.email,
        subject=f"Reminder: finish your pre-course learning by {uk_date(cohort.deadline_on)}",
        template="reminder",
        context={
            "name": row.name,
            "cohort": cohort,
            "days_left": days_left_text(cohort.deadline_on, today),
            "passed": sum(1 for m in row.modules.values() if m.passed_at),
            "total": len(row.modules),
            "link": mail.absolute_url("learn.course", enrolment_id=row.enrolment_id),
        },
    )
