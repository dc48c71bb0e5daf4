"""Certificate PDFs (for the trainee, an admin, or inside an evidence pack), named by person and code."""

from collections.abc import Callable
from urllib.parse import quote

from flask import Response, abort, current_app

from .. import mail
from ..db import db
from ..domain.evidence.certificates import Certificate, find_certificate
from ..renderers.pdf import certificate_pdf
from .content_store import get_course
from .downloads import download_headers, file_name


def certificate_response(code: str) -> Response:
    certificate = find_certificate(db.session, code, current_app.config["REFRESHER_MONTHS"])
    if certificate is None or certificate.is_revoked:
        abort(404)
    return Response(
        certificate_document(certificate),
        mimetype="application/pdf",
        headers=download_headers(certificate_file_name(certificate)),
    )


def certificate_document(certificate: Certificate) -> bytes:
    """The PDF: the learning completed (required modules of the course), the verify link from PUBLIC_URL."""
    modules = [(m.title, m.minutes) for m in get_course().published_modules if m.is_required]
    verify_url = mail.absolute_url("public.verify", code=certificate.code)
    return certificate_pdf(certificate, modules, current_app.config["PROVIDER_NAME"], verify_url)


def certificate_file_name(certificate: Certificate) -> str:
    return file_name("certificate", certificate.learner, certificate.code, ext="pdf")


def verification_urls() -> Callable[[str], str]:
    """Verification links for every row from one URL build (each build needs a request context: slow)."""
    head, tail = mail.absolute_url("public.verify", code="CODE").rsplit("CODE", 1)
    return lambda code: f"{head}{quote(code, safe='')}{tail}"
