"""View models for the trainer's quiz analysis and the briefing for the day. Templates only display them."""

from flask import url_for

from ..content import Course
from ..domain.cohorts.readiness import Readiness
from ..domain.evidence.board import BoardRow
from ..formatting import plural, uk_date
from ..models import Cohort
from . import charts


def percent(value: float | None) -> str:
    return "No answers yet" if value is None else f"{round(value * 100)}%"


def analysis_by_module(course: Course, result, bands: dict[str, list[int]]) -> list[dict]:
    modules = []
    for module in course.published_modules:
        questions = [q for q in result.questions if q.module_id == module.id]
        outcomes = [o for o in result.outcomes if o.module_id == module.id]
        title = f"{module.position}. {module.title}"
        modules.append(
            {
                "title": title,
                "anchor": f"module-{module.position}",
                "charts": charts.analysis_charts(module, title, outcomes, bands.get(module.id)),
                "questions": [
                    {
                        "prompt": q.prompt,
                        "seen": q.seen,
                        "facility": percent(q.facility),
                        "sure": percent(q.sure_share) if q.seen else "No answers yet",
                        "sure_wrong": q.sure_wrong,
                        "top_wrong": f"{q.top_wrong.text} ({percent(q.top_wrong.share)})" if q.top_wrong else "None",
                        "discrimination": f"{q.discrimination:+.2f}"
                        if q.discrimination is not None
                        else "Too few answers",
                    }
                    for q in questions
                ],
                "outcomes": [{"text": o.text, "seen": o.seen, "facility": percent(o.facility)} for o in outcomes],
            }
        )
    return modules


NOT_READY = (Readiness.NEEDS_SUPPORT, Readiness.OVERDUE, Readiness.NOT_STARTED, Readiness.IN_PROGRESS)


def confident_but_wrong_view(course: Course, items) -> list[dict]:
    """Where trainees said "I'm sure" and were wrong, with counts: the briefing's misconceptions section."""
    views = []
    for item in items:
        module = course.module(item.outcome.module_id)
        views.append(
            {
                "text": item.outcome.text,
                "module": f"Module {module.position}: {module.title}",
                "count_text": plural(item.outcome.sure_wrong, "confident wrong answer"),
                "questions": [
                    {"prompt": q.prompt, "count_text": f"{q.sure_wrong} of {q.seen} answered sure and wrong"}
                    for q in item.questions
                ],
            }
        )
    return views


def briefing_view(cohort: Cohort, course: Course, rows: list[BoardRow], hard, sure_wrong=()) -> dict:
    not_ready = sorted(
        (r for r in rows if r.state in NOT_READY), key=lambda r: (NOT_READY.index(r.state), r.name.lower())
    )
    outcomes = []
    for item in hard:
        module = course.module(item.outcome.module_id)
        questions = []
        for q in item.questions:
            page = module.page(q.see_page)
            questions.append(
                {
                    "prompt": q.prompt,
                    "facility": percent(q.facility),
                    "misconception": q.top_wrong
                    and {
                        "text": q.top_wrong.text,
                        "share": percent(q.top_wrong.share),
                        "feedback": q.top_wrong.feedback,
                    },
                    "revisit": f"Module {module.position}, '{page.title}'" if page else f"Module {module.position}",
                }
            )
        outcomes.append(
            {
                "text": item.outcome.text,
                "module": f"Module {module.position}: {module.title}",
                "facility": percent(item.outcome.facility),
                "questions": questions,
            }
        )
    return {
        "title": cohort.title,
        "date": uk_date(cohort.starts_on),
        "venue": cohort.venue,
        "total": len(rows),
        "ready_count": sum(r.state in (Readiness.READY, Readiness.LATE) for r in rows),
        "not_ready": [{"name": r.name, "organisation": r.organisation, "state": r.state.label} for r in not_ready],
        "outcomes": outcomes,
        "confident_but_wrong": confident_but_wrong_view(course, sure_wrong),
        "pdf_href": url_for("trainer.briefing_download", cohort_id=cohort.id),
    }


def briefing_reflections(rows: list[BoardRow], saved) -> list[dict]:
    """Trainees' reflections grouped by prompt, in course order, each answer with its author's name."""
    names = {r.enrolment_id: r.name for r in rows}
    prompts: dict[str, dict] = {}
    for item in saved:
        key = item.prompt_html
        group = prompts.setdefault(
            key, {"prompt_html": item.prompt_html, "module": item.module.title if item.module else "", "answers": []}
        )
        group["answers"].append({"name": names.get(item.enrolment_id, ""), "text": item.text})
    return list(prompts.values())
