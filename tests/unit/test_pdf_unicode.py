"""Every PDF prints every name as written: the shipped Unicode font and text shaping, checked on the
extracted text of the certificate, the trainer briefing and the evidence summary."""

import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from elearn.domain.evidence.certificates import Certificate
from elearn.renderers.pdf import FONTS, briefing_pdf, certificate_pdf, summary_pdf

NAMES = [
    "Łucja Wiśniewska-Ștefan",  # Polish and Romanian (ș, ț with comma below)
    "Nguyễn Thị Minh Khai",  # Vietnamese: stacked diacritics
    "Gwenllïan ap Dafydd Ŵyn Ŷr",  # Welsh circumflexed w and y
    "דוד כהן",  # Hebrew, right to left
    "فاطمة الزهراء",  # Arabic, right to left and joined
]


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _certificate(name: str) -> Certificate:
    return Certificate(
        "7KQM-2XHD-RW9P-C4TF",
        name,
        "Initial course",
        datetime(2026, 11, 20, 12, tzinfo=UTC),
        "v1",
        False,
        date(2027, 11, 21),
    )


def test_the_font_and_its_licence_ship_with_the_package():
    assert {p.name for p in FONTS.iterdir()} >= {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE"}


@pytest.mark.parametrize("name", NAMES)
def test_certificate_prints_the_name_exactly(name):
    assert name in _text(certificate_pdf(_certificate(name), [("Human rights", 20)], "elearn", "https://x/verify/C"))


def test_certificate_shows_the_learning_its_dates_in_words_and_the_verify_link():
    text = _text(
        certificate_pdf(
            _certificate("Ann Lee"),
            [("Human rights", 40), ("Prevention", 50)],
            "Oak Training",
            "https://training.example.org/verify/7KQM-2XHD-RW9P-C4TF",
        )
    )
    assert "2 modules, about 1.5 hours of study" in text and "Human rights; Prevention" in text
    assert "on 20 November 2026" in text and "Valid until 21 November 2027" in text
    assert "https://training.example.org/verify/7KQM-2XHD-RW9P-C4TF" in text
    assert len(PdfReader(io.BytesIO(certificate_pdf(_certificate("Ann Lee"), [], "x", "https://x"))).pages) == 1


def test_briefing_and_summary_print_every_name_and_organisation_exactly():
    briefing = {
        "title": "Zajęcia w Łodzi",
        "date": "2 December 2026",
        "venue": "Ystafell Ŵy",
        "ready_count": 0,
        "total": len(NAMES),
        "not_ready": [{"name": n, "organisation": "Gofal Ŷd", "state": "Not started"} for n in NAMES],
        "outcomes": [],
    }
    text = _text(briefing_pdf(briefing))
    assert all(name in text for name in NAMES) and "Zajęcia w Łodzi" in text and "Gofal Ŷd" in text
    summary = {
        "generated": date(2026, 12, 2),
        "filters": [("Organisation", "Cartref Ŵyn"), ("Course dates", "Any date")],
        "total": 3,
        "done": 1,
        "rate": "33%",
        "states": [("Ready", 1)],
        "refreshers": [],
        "content_version": "v1",
        "modules": [("1. Hawliau dynol – Ŵ", [("Understand rights", "Prevention")])],
    }
    text = _text(summary_pdf(summary, "Hyfforddiant Ŷ"))
    assert "Organisation: Cartref Ŵyn" in text and "Rows in the completion list: 3" in text
    assert "Hyfforddiant Ŷ" in text and "Hawliau dynol – Ŵ" in text
