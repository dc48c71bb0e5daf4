"""The evidence pack's summary: completion rates, refreshers due, and the course outline, as a PDF."""
from collections import Counter
from datetime import date

from fpdf import FPDF
from sqlalchemy.orm import Session

from ..content import Course
from ..domain import completion_export
from ..domain.completion_export import ExportFilters
from ..domain.refreshers import refreshers, window
from ..web.templating import uk_date

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


def evidence_summary(session: Session, course: Course, filters: ExportFilters, today: date, months: int = 12) -> dict:
    readiness = completion_export.header(course).index("Readiness")
    states = Counter(row[readiness] for row in completion_export.rows(session, course, filters, today, lambda code: ""))
    total = sum(states.values())
    done = states.get("Ready", 0) + states.get("Late", 0)
    due = Counter(window(r.days_left) for r in refreshers(session, today, months))
    return {
        "generated": uk_date(today), "filters": filters.describe(), "total": total, "done": done,
        "rate": f"{round(100 * done / total)}%" if total else "no enrolments",
        "states": sorted(states.items()), "refreshers": sorted(due.items()), "content_version": course.version,
        "modules": [(f"{m.position}. {m.title}", [(o.text, RRN_AREA_NAMES.get(o.rrn_area or "", "Not mapped")) for o in m.outcomes])
                    for m in course.published_modules],
    }


def summary_pdf(summary: dict, provider_name: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()

    def line(text: str, size: int = 11, style: str = "", gap: float = 1.5) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(pdf.epw, size * 0.5, text.encode("latin-1", "replace").decode("latin-1"), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    line(f"{provider_name}: evidence of pre-course learning", 16, "B")
    line(f"Generated {summary['generated']}. Filters: {summary['filters'] or 'none'}. Content version {summary['content_version']}.")
    line("Completion", 13, "B")
    line(f"{summary['done']} of {summary['total']} enrolments finished their pre-course learning ({summary['rate']}).")
    for state, count in summary["states"]:
        line(f"- {state}: {count}", gap=0.5)
    line("Refreshers", 13, "B")
    for label, count in summary["refreshers"] or [("None due in the next 90 days", "")]:
        line(f"- {label}: {count}", gap=0.5)
    line("Course outline and RRN curriculum areas", 13, "B")
    for title, outcomes in summary["modules"]:
        line(title, 11, "B", 0.5)
        for text, area in outcomes:
            line(f"- {text} [{area}]", 9, gap=0.3)
    line("This online learning is pre-course theory for a certified provider's curriculum. It is not RRN certification.", 9, "I")
    return bytes(pdf.output())
