"""Site-wide pages: home (sends each role to its start page), the brand stylesheet, health."""
import re

import sqlalchemy as sa
from flask import Response, current_app, redirect, render_template, url_for
from flask_login import current_user

from ..db import db
from ..models import Cohort, Completion, Enrolment, Role, cohort_trainers
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
    return render_template("staff_home.html", cohorts=_cohort_counts())


def _cohort_counts() -> list:
    """Each cohort this user may see, with enrolled and completed counts, in one query."""
    query = (
        sa.select(Cohort, sa.func.count(Enrolment.id).label("enrolled"), sa.func.count(Completion.id).label("completed"))
        .outerjoin(Enrolment, Enrolment.cohort_id == Cohort.id)
        .outerjoin(Completion, Completion.enrolment_id == Enrolment.id)
        .group_by(Cohort.id)
        .order_by(Cohort.starts_on)
    )
    if current_user.role is Role.TRAINER:
        query = query.join(cohort_trainers, cohort_trainers.c.cohort_id == Cohort.id).where(
            cohort_trainers.c.user_id == current_user.id)
    return db.session.execute(query).all()


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
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}
