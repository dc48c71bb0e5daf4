"""View models for the trainee's pages: everything the templates show, worked out here."""

from flask import url_for

from ..content import Course, Module, Question
from ..domain.cohorts.schedule import days_left_text
from ..domain.learning.drawing import DrawnQuestion
from ..domain.learning.gating import ModuleState, ModuleStatus
from ..domain.learning.progress import CourseProgress
from ..formatting import uk_date, uk_datetime
from ..web.templating import summary_row

_STATUS = {
    ModuleState.LOCKED: {"text": "Cannot start yet", "classes": "govuk-task-list__status--cannot-start-yet"},
    ModuleState.AVAILABLE: {"tag": {"text": "Not yet started", "classes": "govuk-tag--blue"}},
    ModuleState.IN_PROGRESS: {"tag": {"text": "In progress", "classes": "govuk-tag--light-blue"}},
    ModuleState.PASSED: {"text": "Passed"},
}


def course_overview(progress: CourseProgress, today) -> dict:
    enrolment = progress.enrolment
    cohort = enrolment.cohort
    items = []
    for status in progress.statuses:
        module = status.module
        item = {
            "title": {"text": f"{module.position}. {module.title}"},
            "hint": {"text": f"{module.summary} About {module.minutes} minutes."},
            "status": _STATUS[status.state],
        }
        if status.state.can_read:
            item["href"] = url_for("learn.module", enrolment_id=enrolment.id, module_id=module.id)
        items.append(item)
    completion = progress.completion
    return {
        "cohort_title": cohort.title,
        "summary_rows": [
            summary_row(
                "Course day",
                f"{uk_date(cohort.starts_on)}, {cohort.start_time:%H:%M} to {cohort.end_time:%H:%M}"
                + (" (2 days)" if cohort.days == 2 else ""),
            ),
            summary_row("Venue", ", ".join(part for part in (cohort.venue, cohort.address) if part)),
            summary_row(
                "Finish pre-course learning by",
                f"{uk_date(cohort.deadline_on)} ({days_left_text(cohort.deadline_on, today)})",
            ),
        ],
        "calendar_href": url_for("learn.calendar", enrolment_id=enrolment.id),
        "certificate_href": url_for("learn.certificate", enrolment_id=enrolment.id),
        "progress_text": f"You have passed {progress.passed_count} of {len(progress.statuses)} modules.",
        "tasks": items,
        "completion": completion
        and {
            "completed": uk_datetime(completion.completed_at),
            "code": completion.certificate_code,
        },
    }


def module_overview(progress: CourseProgress, status: ModuleStatus, attempts) -> dict:
    module = status.module
    enrolment_id = progress.enrolment.id
    read = progress.pages_read.get(module.id, set())
    return {
        "module": module,
        "back_href": url_for("learn.course", enrolment_id=enrolment_id),
        "outcomes": [o.text for o in module.outcomes],
        "pages": [
            {
                "title": page.title,
                "href": url_for("learn.page", enrolment_id=enrolment_id, module_id=module.id, page_id=page.id),
                "read": page.id in read,
            }
            for page in module.pages
        ],
        "pages_read_text": f"You have read {len(read & {p.id for p in module.pages})} of {len(module.pages)} pages.",
        "first_page_href": url_for(
            "learn.page", enrolment_id=enrolment_id, module_id=module.id, page_id=module.pages[0].id
        ),
        "can_start_quiz": status.state.can_start_quiz,
        "is_passed": status.state is ModuleState.PASSED,
        "has_open_attempt": module.id in progress.open_attempt_ids,
        "quiz_text": (
            f"The quiz has {len(module.outcomes) * module.quiz.draw_per_outcome} questions. "
            f"You need {module.quiz.pass_mark}% to pass. You can take it as many times as you need."
        ),
        "start_href": url_for("learn.start_quiz", enrolment_id=enrolment_id, module_id=module.id),
        "attempts": [
            {
                "number": a.number,
                "when": uk_datetime(a.submitted_at),
                "score": f"{a.score_percent}%",
                "result": "Passed" if a.is_passed else "Not passed",
                "href": url_for("learn.result", attempt_id=a.id),
            }
            for a in attempts
        ],
    }


def page_view(progress: CourseProgress, module: Module, index: int) -> dict:
    enrolment_id = progress.enrolment.id
    page = module.pages[index]

    def link(i):
        p = module.pages[i]
        return {
            "href": url_for("learn.page", enrolment_id=enrolment_id, module_id=module.id, page_id=p.id),
            "labelText": p.title,
        }

    return {
        "module": module,
        "page": page,
        "page_number_text": f"Page {index + 1} of {len(module.pages)}",
        "module_href": url_for("learn.module", enrolment_id=enrolment_id, module_id=module.id),
        "pagination": {
            "previous": link(index - 1) if index > 0 else None,
            "next": link(index + 1) if index + 1 < len(module.pages) else None,
        },
        "is_last": index + 1 == len(module.pages),
    }


def question_view(
    module: Module,
    question: Question,
    drawn: DrawnQuestion,
    position: int,
    total: int,
    attempt_id: int,
    enrolment_id: int,
) -> dict:
    back = (
        url_for("learn.question", attempt_id=attempt_id, number=position)
        if position > 0
        else url_for("learn.module", enrolment_id=enrolment_id, module_id=module.id)
    )
    return {
        "back_href": back,
        "back_text": "Previous question" if position > 0 else f"Back to {module.title}",
        "module": module,
        "question": question,
        "number_text": f"Question {position + 1} of {total}",
        "choices": [(oid, question.option(oid).text) for oid in drawn.option_ids],
        "is_multiple": question.type == "multiple",
        "hint": "Select all that apply." if question.type == "multiple" else None,
    }


def check_rows(module: Module, attempt, draw: list[DrawnQuestion], answers: dict) -> list[dict]:
    rows = []
    for position, drawn in enumerate(draw):
        question = module.quiz.question(drawn.question_id)
        chosen = [question.option(oid).text for oid in drawn.option_ids if oid in answers.get(position, ())]
        rows.append(
            {
                "key": {"text": f"{position + 1}. {question.prompt}"},
                "value": {"text": "; ".join(chosen) if chosen else "Not answered"},
                "actions": {
                    "items": [
                        {
                            "href": url_for("learn.question", attempt_id=attempt.id, number=position + 1, change="1"),
                            "text": "Change",
                            "visuallyHiddenText": f"answer to question {position + 1}",
                        }
                    ]
                },
            }
        )
    return rows


def result_view(course: Course, module: Module, attempt, enrolment_id: int, next_status: ModuleStatus | None) -> dict:
    questions = []
    for answer, drawn in zip(attempt.answers, attempt.draw, strict=True):
        question = module.quiz.question(answer.question_id)
        chosen = set(answer.selected)
        correct = set(answer.correct_options or ())
        options = []
        for oid in drawn["options"]:
            option = question.option(oid) if question else None
            if option is None:
                continue
            options.append(
                {
                    "text": option.text,
                    "chosen": oid in chosen,
                    "correct": oid in correct,
                    "feedback": option.feedback if (oid in chosen or oid in correct) else None,
                }
            )
        see = None
        if question and module.page(question.see_page):
            see = {
                "href": url_for("learn.page", enrolment_id=enrolment_id, module_id=module.id, page_id=question.see_page)
                + (f"#{question.see_anchor}" if question.see_anchor else ""),
                "text": module.page(question.see_page).title,
            }
        questions.append(
            {
                "number": answer.position + 1,
                "prompt": question.prompt if question else answer.question_id,
                "is_correct": answer.is_correct,
                "options": options,
                "explanation_html": question.explanation_html if question else "",
                "see": see,
            }
        )
    return {
        "module": module,
        "attempt": attempt,
        "score_text": f"{attempt.correct_count} out of {len(attempt.draw)} correct ({attempt.score_percent}%)",
        "pass_mark_text": f"The pass mark is {attempt.pass_mark}%.",
        "is_passed": attempt.is_passed,
        "questions": questions,
        "course_href": url_for("learn.course", enrolment_id=enrolment_id),
        "module_href": url_for("learn.module", enrolment_id=enrolment_id, module_id=module.id),
        "next_module": next_status
        and next_status.state.can_read
        and {
            "title": next_status.module.title,
            "href": url_for("learn.module", enrolment_id=enrolment_id, module_id=next_status.module.id),
        },
    }
