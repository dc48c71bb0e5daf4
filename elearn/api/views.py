"""The read-only completions API: three lists, each a page at a time, and the document that describes them."""

from flask import current_app, jsonify, request, url_for

from ..db import db
from ..domain.cohorts.schedule import today_in_uk
from ..domain.evidence.records import Page, enrolment_page, refresher_page
from ..web.access import api_token, public
from ..web.certificates import verification_urls
from ..web.content_store import get_course
from . import serialise
from .auth import current_token
from .blueprint import bp
from .openapi import document
from .params import encode_cursor, record_query, refresher_query


@bp.route("/completions")
@api_token
def completions():
    """Counted completions (a withdrawn one is not), one per enrolment."""
    return _records("completions", serialise.completion, completed_only=True)


@bp.route("/enrolments")
@api_token
def enrolments():
    """Every enrolment with its readiness and module results, as the completions export has them."""
    return _records("enrolments", serialise.enrolment, completed_only=False)


@bp.route("/refreshers")
@api_token
def refreshers():
    """People whose training is overdue for renewal or due within `within_days`, soonest first."""
    filters, within, after, limit = refresher_query(current_token())
    months = current_app.config["REFRESHER_MONTHS"]
    page = refresher_page(db.session, filters, today_in_uk(), months, within, after, limit)
    return _respond("refreshers", page, serialise.refresher, limit)


@bp.route("/openapi.json")
@public
def openapi():
    return jsonify(document(url_for("api.completions", _external=True).rsplit("/", 1)[0]))


def _records(kind: str, shape, completed_only: bool):
    filters, after, limit = record_query(current_token(), kind, with_state=not completed_only)
    months = current_app.config["REFRESHER_MONTHS"]
    page = enrolment_page(
        db.session, get_course(), filters, today_in_uk(), verification_urls(), months, after, limit, completed_only
    )
    return _respond(kind, page, shape, limit)


def _respond(kind: str, page: Page, shape, limit: int):
    cursor = encode_cursor(kind, page.last_key) if page.last_key is not None else None
    following = None
    if cursor is not None:
        args = {k: v for k, v in request.args.items() if k != "cursor"}
        following = url_for(f"api.{kind}", **args, cursor=cursor, _external=True)
    return jsonify(
        {"data": [shape(item) for item in page.items], "limit": limit, "next_cursor": cursor, "next": following}
    )
