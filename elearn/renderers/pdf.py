"""Every PDF the app makes (certificate, trainer briefing, evidence summary), from ready view models.

All of them set text in DejaVu Sans, shipped in fonts/ (licence beside it), with HarfBuzz text shaping, so a
name in any script the font covers (Polish, Romanian, Vietnamese, Welsh, Hebrew, Arabic...) prints as written.
"""

import io
from collections.abc import Sequence
from datetime import date
from html import unescape
from pathlib import Path

import nh3
import segno
from fpdf import FPDF

from ..domain.evidence.certificates import Certificate
from ..formatting import plural, uk_date

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVuSans"


class Document(FPDF):
    """An A4 page in the shipped Unicode font, with one way to write a paragraph."""

    def __init__(self, title: str, orientation: str = "portrait"):
        super().__init__(orientation=orientation, format="A4")
        self.add_font(FAMILY, "", FONTS / "DejaVuSans.ttf")
        self.add_font(FAMILY, "B", FONTS / "DejaVuSans-Bold.ttf")
        self.set_text_shaping(True)  # joins Arabic letters and orders right-to-left text
        self.set_title(title)
        self.set_auto_page_break(auto=True, margin=15)
        self.add_page()

    def para(self, text: str, size: float = 11, bold: bool = False, gap: float = 1.5, align: str = "L") -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, text, align=align, new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)

    def bytes(self) -> bytes:
        return bytes(self.output())


def briefing_pdf(view: dict) -> bytes:
    pdf = Document(f"Briefing: {view['title']}")
    pdf.para(f"Briefing: {view['title']}", 18, bold=True, gap=2)
    pdf.para(
        f"{view['date']} at {view['venue']}. {view['ready_count']} of {view['total']} trainees have finished their pre-course learning.",
        gap=2,
    )
    pdf.para("Not ready or needing support", 14, bold=True, gap=2)
    if view["not_ready"]:
        for person in view["not_ready"]:
            pdf.para(f"- {person['name']} ({person['organisation'] or 'no organisation'}): {person['state']}", gap=0.5)
    else:
        pdf.para("Everyone is ready.", gap=2)
    pdf.ln(3)
    pdf.para("What the group found hardest", 14, bold=True, gap=2)
    if not view["outcomes"]:
        pdf.para("No quiz answers yet.", gap=2)
    for outcome in view["outcomes"]:
        pdf.para(f"{outcome['text']} ({outcome['module']}; {outcome['facility']} correct)", 12, bold=True, gap=2)
        for q in outcome["questions"]:
            pdf.para(f"Question: {q['prompt']} ({q['facility']} correct)", gap=0.5)
            if q["misconception"]:
                m = q["misconception"]
                pdf.para(
                    f"Most common wrong answer ({m['share']}): {m['text']}. Why it is wrong: {m['feedback']}",
                    10,
                    gap=0.5,
                )
            pdf.para(f"Revisit: {q['revisit']}", 10, gap=2)
    _confident_but_wrong(pdf, view.get("confident_but_wrong", []))
    _reflections(pdf, view.get("reflections", []))
    return pdf.bytes()


def _confident_but_wrong(pdf: Document, outcomes: list[dict]) -> None:
    pdf.ln(3)
    pdf.para("Confident but wrong", 14, bold=True, gap=2)
    if not outcomes:
        pdf.para("No one has been sure of a wrong answer yet.", gap=2)
        return
    pdf.para("Trainees said “I'm sure” and got these wrong: misconceptions worth raising on the day.", gap=2)
    for outcome in outcomes:
        pdf.para(f"{outcome['text']} ({outcome['module']}; {outcome['count_text']})", 12, bold=True, gap=1)
        for q in outcome["questions"]:
            pdf.para(f"- {q['prompt']}: {q['count_text']}", gap=0.5)
        pdf.ln(1.5)


def _reflections(pdf: Document, groups: list[dict]) -> None:
    pdf.ln(3)
    pdf.para("Trainees' reflections", 14, bold=True, gap=2)
    if not groups:
        pdf.para("No reflections written yet.", gap=2)
        return
    pdf.para("Written privately for the course day. Use them to plan; do not read them out with names.", gap=2)
    for group in groups:
        pdf.para(group["module"], 12, bold=True, gap=1)
        pdf.para(_plain(group["prompt_html"]), 10, gap=1)
        for answer in group["answers"]:
            pdf.para(f"{answer['name']}: {answer['text']}", gap=1)
        pdf.ln(1.5)


def _plain(html: str) -> str:
    """A prompt's words without its markup (the prompt is stored rendered, for the page)."""
    return " ".join(unescape(nh3.clean(html, tags=set())).split())


def summary_pdf(summary: dict, provider_name: str) -> bytes:
    pdf = Document(f"{provider_name}: evidence of pre-course learning")
    pdf.para(f"{provider_name}: evidence of pre-course learning", 16, bold=True)
    pdf.para(f"Generated {uk_date(summary['generated'])}. Content version {summary['content_version']}.")
    pdf.para("What this covers", 13, bold=True)
    for label, value in summary["filters"]:
        pdf.para(f"- {label}: {value}", gap=0.5)
    pdf.para(f"- Rows in the completion list: {summary['total']}", gap=0.5)
    pdf.para("Completion", 13, bold=True)
    pdf.para(
        f"{summary['done']} of {summary['total']} enrolments finished their pre-course learning ({summary['rate']})."
    )
    for state, count in summary["states"]:
        pdf.para(f"- {state}: {count}", gap=0.5)
    pdf.para("Refreshers", 13, bold=True)
    for label, count in summary["refreshers"] or [("None due in the next 90 days", "")]:
        pdf.para(f"- {label}: {count}", gap=0.5)
    pdf.para("Course outline and RRN curriculum areas", 13, bold=True)
    for title, outcomes in summary["modules"]:
        pdf.para(title, 11, bold=True, gap=0.5)
        for text, area in outcomes:
            pdf.para(f"- {text} [{area}]", 9, gap=0.3)
    pdf.para(
        "This online learning is pre-course theory for a certified provider's curriculum. It is not RRN certification.",
        9,
    )
    return pdf.bytes()


def certificate_pdf(
    certificate: Certificate, modules: Sequence[tuple[str, int]], provider_name: str, verify_url: str
) -> bytes:
    """`modules`: (title, minutes) of the learning completed."""
    pdf = Document(f"Certificate {certificate.code}", orientation="landscape")
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_y(20)
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(False)

    def centred(text: str, size: float, bold: bool = False, gap: float = 3) -> None:
        pdf.para(text, size, bold, gap, align="C")

    centred(provider_name, 14, bold=True)
    centred("Certificate of pre-course learning", 24, bold=True, gap=5)
    centred("This is to certify that", 12)
    centred(certificate.learner, 22, bold=True)
    centred("completed the online pre-course learning for", 12)
    centred(certificate.course, 16, bold=True)
    centred(f"on {uk_date(certificate.completed_at)}", 12, gap=4)
    minutes = sum(m for _title, m in modules)
    centred(
        f"Learning completed: {plural(len(modules), 'module')}, about {_duration(minutes)} of study, each with a quiz passed",
        10,
        gap=1,
    )
    centred("; ".join(title for title, _m in modules), 9, gap=4)
    centred(_validity(certificate.valid_until), 10, bold=True, gap=4)
    pdf.set_right_margin(60)  # keep the small print clear of the QR code
    centred(
        "This records pre-course learning only. Certification of restraint reduction training is issued by "
        "the certified training provider after the in-person course.",
        9,
        gap=2,
    )
    centred(f"Certificate code {certificate.code}, content version {certificate.content_version}", 9, gap=1)
    centred(f"Check this certificate at {verify_url}", 9)
    qr = io.BytesIO()
    segno.make(verify_url, error="m").save(qr, kind="png", scale=4, border=2)
    qr.seek(0)
    pdf.image(qr, x=pdf.w - 55, y=pdf.h - 55, w=35, h=35)
    return pdf.bytes()


def _duration(minutes: int) -> str:
    if minutes < 90:
        return plural(minutes, "minute")
    return f"{round(minutes / 60 * 2) / 2:g} hours"


def _validity(valid_until: date | None) -> str:
    return f"Valid until {uk_date(valid_until)}, when refresher training is due" if valid_until else ""
