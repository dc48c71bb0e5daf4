"""Site-wide pages: home (sends each role to its start page), the brand stylesheet, health."""

import re

import sqlalchemy as sa
from flask import Response, current_app, redirect, url_for
from flask_login import current_user

from ..db import db
from ..models import Role
from .access import public

_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def init_app(app) -> None:
    app.add_url_rule("/", "home", home)
    app.add_url_rule("/brand.css", "brand_css", brand_css)
    app.add_url_rule("/healthz", "healthz", healthz)


@public
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in"))
    if current_user.role is Role.TRAINEE:
        return redirect(url_for("learn.courses"))
    if current_user.role is Role.ADMIN:
        return redirect(url_for("admin.cohort_list"))
    return redirect(url_for("trainer.cohorts"))


@public
def brand_css():
    colour = current_app.config["PROVIDER_COLOUR"]
    if not _HEX_COLOUR.match(colour):
        colour = "#1d70b8"
    response = Response(f":root {{ --brand: {colour}; }}\n", mimetype="text/css")
    response.cache_control.max_age = 3600
    return response


@public
def healthz():
    """For load balancers and monitoring: JSON either way, 503 while the database cannot answer."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        current_app.logger.warning("Health check: the database is not answering")
        return {"status": "unavailable", "database": "not answering"}, 503
    return {"status": "ok", "database": "ok"}
