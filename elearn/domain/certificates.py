"""Certificates of pre-course completion (PDF with a QR code) and public verification of a code."""
import io
from dataclasses import dataclass
from datetime import datetime

import segno
import sqlalchemy as sa
from fpdf import FPDF
from sqlalchemy.orm import Session

from ..models import Cohort, Completion, Enrolment, User
from .schedule import UK


@dataclass(frozen=True)
class Certificate:
    code: str
    learner: str
    course: str
    completed_at: datetime
    content_version: str
    is_revoked: bool  # withdrawn by an admin, or the learner's record was anonymised


def find_certificate(session: Session, code: str) -> Certificate | None:
    row = session.execute(
        sa.select(Completion, User.full_name, User.anonymised_at, Cohort.title)
        .join(Enrolment, Completion.enrolment_id == Enrolment.id)
        .join(User, Enrolment.user_id == User.id).join(Cohort, Enrolment.cohort_id == Cohort.id)
        .where(Completion.certificate_code == code.strip().upper())
    ).first()
    if row is None:
        return None
    completion = row.Completion
    return Certificate(completion.certificate_code, row.full_name, row.title, completion.completed_at,
                       completion.content_version, row.anonymised_at is not None or completion.withdrawn_at is not None)


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
    centred(f"on {certificate.completed_at.astimezone(UK):%d/%m/%Y}", 14, gap=10)
    centred("This records pre-course learning only. Certification of restraint reduction training is issued by "
            "the certified training provider after the in-person course.", 10, "I", 4)
    centred(f"Certificate code {certificate.code} - content version {certificate.content_version}", 10)
    centred(f"Check this certificate at {verify_url}", 10)
    qr = io.BytesIO()
    segno.make(verify_url, error="m").save(qr, kind="png", scale=4, border=2)
    qr.seek(0)
    pdf.image(qr, x=pdf.w - 55, y=pdf.h - 55, w=35, h=35)
    return bytes(pdf.output())


def _latin1(text: str) -> str:
    return text.replace("–", "-").replace("’", "'").encode("latin-1", "replace").decode("latin-1")
