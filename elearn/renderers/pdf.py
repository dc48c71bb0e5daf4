"""Every PDF the app makes (certificate, trainer briefing, evidence summary), from ready view models."""

import io

import segno
from fpdf import FPDF

from ..domain.evidence.certificates import Certificate
from ..formatting import uk_date


def _text(value: str) -> str:
    # The core PDF fonts are Latin-1: replace the few typographic characters content uses.
    table = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "✓": "Yes"})
    return value.translate(table).encode("latin-1", "replace").decode("latin-1")


def briefing_pdf(view: dict) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(_text(f"Briefing: {view['title']}"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.epw

    def line(text: str, size: int = 11, style: str = "", gap: float = 2) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(width, size * 0.5, _text(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    line(f"Briefing: {view['title']}", 18, "B")
    line(
        f"{view['date']} at {view['venue']}. {view['ready_count']} of {view['total']} trainees have finished their pre-course learning."
    )
    line("Not ready or needing support", 14, "B")
    if view["not_ready"]:
        for person in view["not_ready"]:
            line(f"- {person['name']} ({person['organisation'] or 'no organisation'}): {person['state']}", gap=0.5)
    else:
        line("Everyone is ready.")
    pdf.ln(3)
    line("What the group found hardest", 14, "B")
    if not view["outcomes"]:
        line("No quiz answers yet.")
    for outcome in view["outcomes"]:
        line(f"{outcome['text']} ({outcome['module']}; {outcome['facility']} correct)", 12, "B")
        for q in outcome["questions"]:
            line(f"Question: {q['prompt']} ({q['facility']} correct)", gap=0.5)
            if q["misconception"]:
                m = q["misconception"]
                line(
                    f"Most common wrong answer ({m['share']}): {m['text']}. Why it is wrong: {m['feedback']}",
                    10,
                    gap=0.5,
                )
            line(f"Revisit: {q['revisit']}", 10, "I")
    return bytes(pdf.output())


def summary_pdf(summary: dict, provider_name: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()

    def line(text: str, size: int = 11, style: str = "", gap: float = 1.5) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(
            pdf.epw, size * 0.5, text.encode("latin-1", "replace").decode("latin-1"), new_x="LMARGIN", new_y="NEXT"
        )
        pdf.ln(gap)

    line(f"{provider_name}: evidence of pre-course learning", 16, "B")
    line(
        f"Generated {uk_date(summary['generated'])}. Filters: {summary['filters'] or 'none'}. Content version {summary['content_version']}."
    )
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
    line(
        "This online learning is pre-course theory for a certified provider's curriculum. It is not RRN certification.",
        9,
        "I",
    )
    return bytes(pdf.output())


def certificate_pdf(certificate: Certificate, provider_name: str, verify_url: str) -> bytes:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(f"Certificate {certificate.code}")
    pdf.add_page()
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_y(30)

    def centred(text: str, size: int, style: str = "", gap: float = 6) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(0, size * 0.5, _latin1(text), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    centred(provider_name, 16, "B")
    centred("Certificate of pre-course learning", 28, "B", 10)
    centred("This is to certify that", 14)
    centred(certificate.learner, 24, "B")
    centred("completed the online pre-course learning for", 14)
    centred(certificate.course, 18, "B")
    centred(f"on {uk_date(certificate.completed_at)}", 14, gap=10)
    centred(
        "This records pre-course learning only. Certification of restraint reduction training is issued by "
        "the certified training provider after the in-person course.",
        10,
        "I",
        4,
    )
    centred(f"Certificate code {certificate.code} - content version {certificate.content_version}", 10)
    centred(f"Check this certificate at {verify_url}", 10)
    qr = io.BytesIO()
    segno.make(verify_url, error="m").save(qr, kind="png", scale=4, border=2)
    qr.seek(0)
    pdf.image(qr, x=pdf.w - 55, y=pdf.h - 55, w=35, h=35)
    return bytes(pdf.output())


def _latin1(text: str) -> str:
    return text.replace("–", "-").replace("’", "'").encode("latin-1", "replace").decode("latin-1")
