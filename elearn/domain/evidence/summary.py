"""The evidence pack's summary: completion rates, refreshers due, and the course outline, as a PDF."""

from collections import Counter
from datetime import date

from sqlalchemy.orm import Session

from ...content import Course
from . import exports as completion_export
from .export_filters import ExportFilters, apply_filters, filters_in_words
from .refreshers import refreshers, window

RRN_AREA_NAMES = {
    "human-rights-law": "Human rights and the legal and ethical framework",
    "person-centred": "Person-centred, trauma-informed approaches",
    "lived-experience": "Voice of people with lived experience",
    "prevention": "Prevention",
    "de-escalation": "De-escalation",
    "restrictive-interventions": "Restrictive interventions and their risks",
    "post-incident": "Post-incident support and learning",
    "organisational-reduction": "Organisational restraint reduction",
}


def evidence_summary(session: Session, course: Course, filters: ExportFilters, today: date, months: int) -> dict:
    readiness = completion_export.header(course).index("Readiness")
    states = Counter(
        row[readiness] for row in completion_export.rows(session, course, filters, today, lambda code: "", months)
    )
    total = sum(states.values())
    done = states.get("Ready", 0) + states.get("Late", 0)
    narrowed = refreshers(session, today, months, narrow=lambda query: apply_filters(query, filters))
    due = Counter(window(r.days_left) for r in narrowed)
    return {
        "generated": today,
        "filters": filters_in_words(session, filters),
        "total": total,
        "done": done,
        "rate": f"{round(100 * done / total)}%" if total else "no enrolments",
        "states": sorted(states.items()),
        "refreshers": sorted(due.items()),
        "content_version": course.version,
        "modules": [
            (
                f"{m.position}. {m.title}",
                [(o.text, RRN_AREA_NAMES.get(o.rrn_area or "", "Not mapped")) for o in m.outcomes],
            )
            for m in course.published_modules
        ],
    }
