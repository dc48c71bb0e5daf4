"""Public pages: checking a certificate code (printed on it and in its QR code), and the statutory pages:
privacy notice, accessibility statement and cookies."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from ..db import db
from ..domain.cohorts.schedule import today_in_uk
from ..domain.evidence.certificates import find_certificate
from ..domain.evidence.refreshers import certificate_expiry
from ..web.access import public
from ..web.security import limiter

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
@limiter.limit(lambda: current_app.config["VERIFY_RATE_LIMIT"])  # codes are short: no guessing them in bulk
def verify(code):
    certificate = find_certificate(db.session, code[:40], current_app.config["REFRESHER_MONTHS"])
    status = 404 if certificate is None else 200
    expires_on = (
        certificate_expiry(db.session, code[:40], current_app.config["REFRESHER_MONTHS"]) if certificate else None
    )
    return render_template(
        "public/verify.html",
        certificate=certificate,
        code=code[:40],
        expires_on=expires_on,
        has_expired=expires_on is not None and expires_on <= today_in_uk(),
    ), status


@bp.route("/privacy")
@public
def privacy():
    return render_template("public/privacy.html", settings=_provider())


@bp.route("/accessibility")
@public
def accessibility():
    return render_template("public/accessibility.html", settings=_provider())


@bp.route("/cookies")
@public
def cookies():
    return render_template("public/cookies.html", settings=_provider())


def _provider() -> dict:
    config = current_app.config
    return {
        "contact": config["PROVIDER_CONTACT_EMAIL"],
        "address": config["PROVIDER_ADDRESS"],
        "lawful_basis": config["PRIVACY_LAWFUL_BASIS"],
        "retention_years": config["RETENTION_YEARS"],
        "statement_date": config["ACCESSIBILITY_STATEMENT_DATE"],
        "session_cookie": config["SESSION_COOKIE_NAME"],
        "session_hours": config["SESSION_MAX_HOURS"],
        # xAPI: how the learning-record store names people, if one is configured (None: there is none).
        "learning_record_store": config["XAPI_ACTOR"] if config["XAPI_LRS_URL"] else None,
    }
