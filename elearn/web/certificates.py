"""Serve a certificate PDF (for the trainee, or an admin) from its code."""

from flask import Response, abort, current_app

from .. import mail
from ..db import db
from ..domain.evidence.certificates import find_certificate
from ..renderers.pdf import certificate_pdf


def certificate_response(code: str) -> Response:
    certificate = find_certificate(db.session, code)
    if certificate is None or certificate.is_revoked:
        abort(404)
    pdf = certificate_pdf(
        certificate, current_app.config["PROVIDER_NAME"], mail.absolute_url("public.verify", code=code)
    )
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="certificate-{code}.pdf"', "Cache-Control": "no-store"},
    )
