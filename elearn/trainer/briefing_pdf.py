"""The trainer's briefing as a PDF (fpdf2), from the same view model as the printable page."""
from fpdf import FPDF


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
    line(f"{view['date']} at {view['venue']}. {view['ready_count']} of {view['total']} trainees have finished their pre-course learning.")
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
                line(f"Most common wrong answer ({m['share']}): {m['text']}. Why it is wrong: {m['feedback']}", 10, gap=0.5)
            line(f"Revisit: {q['revisit']}", 10, "I")
    return bytes(pdf.output())
