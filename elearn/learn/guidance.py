"""What to do next: the Continue button, the reading button, what a failed quiz asks, and who to ask for help."""

from flask import url_for
from flask_login import current_user

from .. import mail
from ..content import Module
from ..db import db
from ..domain.learning import mastery, next_step
from ..domain.learning.gating import ModuleState
from ..domain.learning.mastery import unlock_message
from ..domain.learning.next_step import NextStep, StepKind, next_unread_page
from ..domain.notifications import Email
from ..models import Enrolment


def section_href(enrolment_id: int, module_id: str, page_id: str, anchor: str | None) -> str:
    href = url_for("learn.page", enrolment_id=enrolment_id, module_id=module_id, page_id=page_id)
    return href + (f"#{anchor}" if anchor else "")


_CONTINUE_TEXT = {
    StepKind.READ: "Next: {page} ({module})",
    StepKind.ANSWER: "Carry on with the {module} quiz where you left it.",
    StepKind.QUIZ: "Next: the {module} quiz.",
}


def continue_action(enrolment_id: int, step: NextStep) -> dict | None:
    """The course page's one primary button: exactly where the trainee left off."""
    if step.kind is StepKind.DONE:
        return None
    module = step.module
    if step.kind is StepKind.READ:
        href = url_for("learn.page", enrolment_id=enrolment_id, module_id=module.id, page_id=step.page_id)
    elif step.kind is StepKind.ANSWER:
        href = url_for("learn.resume", attempt_id=step.attempt_id)
    else:
        href = url_for("learn.module", enrolment_id=enrolment_id, module_id=module.id) + "#quiz"
    page = module.page(step.page_id) if step.page_id else None
    text = _CONTINUE_TEXT[step.kind].format(page=page and page.title, module=module.title)
    return {"href": href, "text": text}


def reading_action(enrolment_id: int, module: Module, read: set[str], last_read: str | None) -> dict:
    """ "Start reading", "Continue reading" at the next unread page, or "Read again" from the start."""
    unread = next_unread_page(module, read, last_read)
    page_id = unread or module.pages[0].id
    text = "Read again" if unread is None else ("Continue reading" if read else "Start reading")
    return {
        "text": text,
        "href": url_for("learn.page", enrolment_id=enrolment_id, module_id=module.id, page_id=page_id),
    }


def next_step_for(progress) -> next_step.NextStep:
    """Where the course page's Continue button goes for this trainee now."""
    module = next_step.current_module(progress)
    last = module and mastery.last_submitted_attempt(db.session, progress.enrolment.id, module.id)
    has_failed = bool(last) and not last.is_passed
    pending = mastery.still_to_revisit(db.session, module, last) if has_failed else []
    return next_step.next_step(progress, has_failed, pending)


def mastery_for(progress, module, failed: int | None = None) -> dict:
    """What the trainee must read again before the next try, and the support panel once it is due.
    failed: the module's failed attempts, when the caller has already counted them."""
    enrolment = progress.enrolment
    is_passed = progress.status(module.id).state is ModuleState.PASSED
    if failed is None:
        failed = mastery.failed_attempt_count(db.session, enrolment.id, module.id)
    # Nothing to revisit once passed or before a first failure: no need to load the last attempt.
    last = mastery.last_submitted_attempt(db.session, enrolment.id, module.id) if failed and not is_passed else None
    support = (
        support_contact(enrolment.cohort, failed)
        if mastery.needs_support(failed, is_passed, module.quiz.support_after)
        else None
    )
    missed = mastery.missed_outcomes(module, last) if last else []
    pending = mastery.still_to_revisit(db.session, module, last)
    return mastery_view(enrolment.id, module, missed, pending, support) | {"can_retake": not is_passed and not pending}


def send_support_email(module, enrolment_id: int) -> None:
    """Tell each of the cohort's trainers once, when a trainee first reaches the support rule on a module."""
    enrolment = db.session.get(Enrolment, enrolment_id)
    link = mail.absolute_url("trainer.trainee", cohort_id=enrolment.cohort_id, enrolment_id=enrolment_id)
    mail.send_after_commit(
        *(
            Email(
                to=trainer.email,
                subject=f"{current_user.full_name} may need your support",
                template="needs_support",
                context={
                    "trainer_name": trainer.full_name,
                    "name": current_user.full_name,
                    "module": module.title,
                    "failed": module.quiz.support_after,
                    "cohort": enrolment.cohort,
                    "link": link,
                },
            )
            for trainer in enrolment.cohort.trainers
        )
    )


def mastery_view(enrolment_id: int, module: Module, missed, pending, support: dict | None) -> dict:
    """The summary above a failed result: outcomes missed, sections to read again, and whether the retake is open."""
    pending_ids = {s.page_id for s in pending}
    return {
        "missed": [
            {
                "text": outcome.text,
                "sections": [
                    {
                        "href": section_href(enrolment_id, module.id, s.page_id, s.anchor),
                        "text": s.title,
                        "done": s.page_id not in pending_ids,
                    }
                    for s in outcome.sections
                ],
            }
            for outcome in missed
        ],
        "pending": [
            {"href": section_href(enrolment_id, module.id, s.page_id, s.anchor), "text": s.title} for s in pending
        ],
        "unlock_text": pending and unlock_message(pending),
        "retake_open": not pending,
        "support": support,
    }


def support_contact(cohort, failed_count: int) -> dict:
    """Who to talk to after repeated failure: the cohort's trainers, or the organisation's training contact."""
    contacts = [{"name": t.full_name, "email": t.email} for t in cohort.trainers]
    if not contacts and cohort.organisation and cohort.organisation.training_contact_email:
        contacts = [{"name": "Your training contact", "email": cohort.organisation.training_contact_email}]
    return {"failed_text": f"You have tried this quiz {failed_count} times", "contacts": contacts}
