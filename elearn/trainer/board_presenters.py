"""View models for the trainer's readiness pages: cohort cards, the board (and its CSV), trainee detail.
Templates only display them. The quiz analysis and the briefing are in analysis_presenters.py."""

from functools import cache
from html import escape
from urllib.parse import urlencode

from flask import url_for
from markupsafe import Markup

from ..content import Course
from ..domain.cohorts.readiness import Readiness
from ..domain.evidence.board import BoardRow
from ..formatting import plural, uk_date, uk_datetime
from ..models import Attempt, AttemptState, Cohort
from ..web.templating import govuk_tag
from .forms import ATTENDANCE_LABELS, COMPETENCE_LABELS

STATE_TAGS = {
    Readiness.NOT_STARTED: "govuk-tag--grey",
    Readiness.IN_PROGRESS: "govuk-tag--light-blue",
    Readiness.NEEDS_SUPPORT: "govuk-tag--red",
    Readiness.READY: "govuk-tag--green",
    Readiness.LATE: "govuk-tag--yellow",
    Readiness.OVERDUE: "govuk-tag--orange",
}
COLUMNS = [
    ("name", "Name"),
    ("organisation", "Organisation"),
    ("state", "Readiness"),
    ("last_activity", "Last activity"),
    ("completed", "Completed"),
]


def tag(state: Readiness) -> dict:
    return {"text": state.label, "classes": STATE_TAGS[state]}


def cohort_cards(cohorts: list[Cohort], counts: dict[int, dict[Readiness, int]]) -> list[dict]:
    cards = []
    for cohort in cohorts:
        by_state = counts.get(cohort.id, {})
        total = sum(by_state.values())
        done = by_state.get(Readiness.READY, 0) + by_state.get(Readiness.LATE, 0)
        cards.append(
            {
                "title": cohort.title,
                "href": url_for("trainer.board", cohort_id=cohort.id),
                "date": uk_date(cohort.starts_on),
                "venue": cohort.venue,
                "total": total,
                "done": done,
                "progress_text": f"{done} of {total} finished their pre-course learning",
                "counts": [{"tag": tag(state), "count": n} for state, n in by_state.items() if n],
            }
        )
    return cards


def board_view(
    cohort: Cohort,
    course: Course,
    rows: list[BoardRow],
    sort: str,
    descending: bool,
    state: Readiness | None,
    can_act: bool,
) -> dict:
    modules = course.published_modules
    board = url_for("trainer.board", cohort_id=cohort.id)
    headers = []
    for key, label in COLUMNS:
        is_current = key == sort
        next_desc = not descending if is_current else False
        headers.append(
            {
                "label": label,
                "href": _with_query(
                    board, sort=key, dir="desc" if next_desc else "asc", **({"state": state.value} if state else {})
                ),
                "aria_sort": ("descending" if descending else "ascending") if is_current else "none",
            }
        )
    return {
        "cohort": cohort,
        "headers": headers,
        "module_headers": [{"short": f"M{m.position}", "title": m.title} for m in modules],
        "count": len(rows),
        "rows_html": board_rows_html(cohort, course, rows, can_act),
        "csv_href": url_for("trainer.board_csv", cohort_id=cohort.id),
        "state": state,
        "can_act": can_act,
    }


def board_rows_html(cohort: Cohort, course: Course, rows: list[BoardRow], can_act: bool) -> Markup:
    """The board's rows as one piece of HTML: a board of 1,000 trainees renders 1,000 rows, and a template
    loop with a dozen cells per row was a third of the page's time. Each value is escaped here, each GOV.UK
    tag and module cell rendered once."""
    modules = [m.id for m in course.published_modules]
    tags = {state: govuk_tag(tag(state)) for state in Readiness}
    # One url_for for the whole board: every trainee link differs only by its last segment.
    base = url_for("trainer.trainee", cohort_id=cohort.id, enrolment_id=0).removesuffix("0")
    html = []
    for r in rows:
        href = f"{base}{r.enrolment_id}"
        name = escape(r.name)
        cells = [
            _cell_html(m.attempts, m.best_score, m.passed_at is not None) for m in map(r.modules.__getitem__, modules)
        ]
        html.append(
            _row_html(
                href=href,
                name=name,
                job_title=escape(r.job_title),
                email=escape(r.email),
                organisation=escape(r.organisation),
                tag=tags[r.state],
                modules="".join(cells),
                # Dates in words are our own digits and month names: nothing to escape.
                last_activity=uk_datetime(r.last_activity_at) or "None",
                completed=uk_datetime(r.completed_at) or "Not yet",
                action=_action_html(href, name) if can_act else "",
            )
        )
    # Every value above is escaped, and the tags and cells are escaped where they are built.
    return Markup("\n    ".join(html))  # nosec B704


# The row and its action cell are f-strings, not str.format templates: format() with ten named values
# took ten times as long, and a board formats a thousand rows.
def _row_html(
    href: str,
    name: str,
    job_title: str,
    email: str,
    organisation: str,
    tag: str,
    modules: str,
    last_activity: str,
    completed: str,
    action: str,
) -> str:
    return (
        '<tr class="govuk-table__row">'
        f'<th scope="row" class="govuk-table__header"><a class="govuk-link" href="{href}">{name}</a><br>'
        f'<span class="govuk-body-s">{job_title}</span><br>'
        f'<a class="govuk-link govuk-body-s" href="mailto:{email}">{email}</a></th>'
        f'<td class="govuk-table__cell">{organisation}</td>'
        f'<td class="govuk-table__cell">{tag}</td>'
        f"{modules}"
        f'<td class="govuk-table__cell">{last_activity}</td>'
        f'<td class="govuk-table__cell">{completed}</td>'
        f"{action}</tr>\n"
    )


def _action_html(href: str, name: str) -> str:
    return (
        f'<td class="govuk-table__cell"><a class="govuk-link" href="{href}/day">Record'
        f'<span class="govuk-visually-hidden"> attendance and outcome for {name}</span></a></td>'
    )


@cache
def _cell_html(attempts: int, best_score: int | None, passed: bool) -> str:
    return f'<td class="govuk-table__cell">{escape(_cell_text(attempts, best_score, passed))}</td>'


def cohort_nav(cohort: Cohort, endpoint: str | None, is_manager: bool) -> list[dict]:
    """The cohort's sub-navigation, with the page being shown marked current (managers see readiness only)."""
    pages = [("trainer.board", "Readiness board")]
    if not is_manager:
        pages += [("trainer.analysis", "Quiz analysis"), ("trainer.briefing", "Briefing for the day")]
    return [
        {"text": text, "href": url_for(page, cohort_id=cohort.id), "current": endpoint == page} for page, text in pages
    ]


def board_filters(cohort: Cohort, state: Readiness | None, counts: dict[Readiness, int]) -> list[dict]:
    """The readiness filters, each with how many trainees it shows; the chosen one is marked current."""
    board = url_for("trainer.board", cohort_id=cohort.id)
    everyone = {"text": f"Everyone ({sum(counts.values())})", "href": board, "current": state is None}
    return [everyone] + [
        {
            "text": f"{s.label} ({counts[s]})",
            "href": _with_query(board, state=s.value),
            "current": s is state,
        }
        for s in Readiness
    ]


def _with_query(board: str, **query: str) -> str:
    """The board's address with a sort or a filter: one url_for per page rather than one per link."""
    return f"{board}?{urlencode(query)}"


def _cell_text(attempts: int, best_score: int | None, passed: bool) -> str:
    if not attempts:
        return "–"
    return f"{best_score}% ({plural(attempts, 'try', 'tries')})" + (" ✓" if passed else "")


def board_csv_rows(course: Course, rows: list[BoardRow]):
    modules = course.published_modules
    header = ["Name", "Email", "Organisation", "Job title", "Readiness"]
    for m in modules:
        header += [f"M{m.position} best score", f"M{m.position} attempts", f"M{m.position} passed"]
    header += ["Last activity", "Completed", "Attendance", "Competence"]

    def lines():
        for r in rows:
            cells = [r.name, r.email, r.organisation, r.job_title, r.state.label]
            for m in modules:
                result = r.modules[m.id]
                cells += [
                    result.best_score if result.best_score is not None else "",
                    result.attempts,
                    result.passed_at.strftime("%d/%m/%Y") if result.passed_at else "",
                ]
            cells += [
                r.last_activity_at.strftime("%d/%m/%Y %H:%M") if r.last_activity_at else "",
                r.completed_at.strftime("%d/%m/%Y %H:%M") if r.completed_at else "",
                ATTENDANCE_LABELS[r.attendance],
                COMPETENCE_LABELS[r.competence],
            ]
            yield cells

    return header, lines()


def attempt_views(course: Course, attempts: list[Attempt]) -> list[dict]:
    views = []
    for attempt in attempts:
        module = course.module(attempt.module_id)
        answers = []
        for answer, drawn in zip(attempt.answers, attempt.draw, strict=False):
            question = module.quiz.question(answer.question_id) if module else None
            text = {o.id: o.text for o in question.options} if question else {}
            answers.append(
                {
                    "number": answer.position + 1,
                    "prompt": question.prompt
                    if question
                    else f"(question {answer.question_id} is no longer in the course)",
                    "chosen": "; ".join(text.get(o, o) for o in drawn["options"] if o in answer.selected)
                    or "Not answered",
                    "result": {True: "Right", False: "Wrong", None: "Not marked"}[answer.is_correct],
                }
            )
        views.append(
            {
                "title": f"{module.title if module else attempt.module_id}: attempt {attempt.number}",
                "state": attempt.state,
                "rows": [
                    ("Started", uk_datetime(attempt.started_at)),
                    ("Submitted", uk_datetime(attempt.submitted_at) if attempt.submitted_at else "Not submitted"),
                    (
                        "Score",
                        f"{attempt.score_percent}% (pass mark {attempt.pass_mark}%)"
                        if attempt.score_percent is not None
                        else "Not marked",
                    ),
                    (
                        "Result",
                        "Passed"
                        if attempt.is_passed
                        else ("Not passed" if attempt.state is AttemptState.SUBMITTED else "In progress"),
                    ),
                    ("Content version", attempt.content_version),
                ],
                "answers": answers if attempt.state is AttemptState.SUBMITTED else [],
            }
        )
    return views
