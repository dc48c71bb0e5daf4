"""Public pages: anyone can check a certificate code (printed on the certificate and in its QR code)."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from ..db import db
from ..domain.evidence.certificates import find_certificate
from ..web.access import public

bp = Blueprint("public", __name__)


@bp.route("/verify", methods=["GET"])
@public
def verify_form():
    code = request.args.get("code", "").strip()
    if code:
        return redirect(url_for("public.verify", code=code.upper()))
    return render_template("public/verify_form.html")


@bp.route("/verify/<code>")
@public
def verify(code):
    certificate = find_certificate(db.session, code[:40], current_app.config["REFRESHER_MONTHS"])
    status = 404 if certificate is None else 200
    return render_template("public/verify.html", certificate=certificate, code=code[:40]), status
