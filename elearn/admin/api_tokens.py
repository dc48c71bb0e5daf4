"""Admin: API tokens for integrations. Create one (shown once), see each one's use, revoke one. Admins only."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..db import db, utcnow
from ..domain.people import api_tokens
from ..formatting import uk_datetime
from ..models import ApiToken, Organisation
from ..web.forms import ButtonForm, SingleLine, choices
from ..web.loaders import get_or_404
from ..web.request_input import whole_number
from ..web.unit_of_work import refusal_shown
from .blueprint import admin_only, bp

ALL_ORGANISATIONS = "all"


class ApiTokenForm(ButtonForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        description="Say who uses it and for what, e.g. 'Oak Trust HR system'",
        validators=[DataRequired(message="Enter a name for the token"), Length(max=100), SingleLine("Name")],
    )
    organisation_id = SelectField(
        "Whose records it can read",
        widget=GovSelect(),
        default=ALL_ORGANISATIONS,
        description="A token for one organisation sees only that organisation's staff",
        validators=[DataRequired(message="Choose whose records the token can read")],
    )


@bp.route("/api-tokens", methods=["GET", "POST"])
@admin_only
def api_token_list():
    form = _form()
    if form.validate_on_submit():
        with refusal_shown(form) as outcome:
            row, token = api_tokens.create_token(
                db.session, form.name.data, whole_number(form.organisation_id.data), current_user, utcnow()
            )
        if not outcome.refused:
            # Shown in this response only: it is not stored, and not put in the (signed, readable) session cookie.
            return render_template("admin/api_token_created.html", token=token, row=row, scope=_scope_of(row))
    return render_template("admin/api_tokens.html", form=form, rows=_rows()), (400 if form.errors else 200)


@bp.route("/api-tokens/<int:token_id>/revoke", methods=["GET", "POST"])
@admin_only
def api_token_revoke(token_id):
    token = get_or_404(ApiToken, token_id)
    form = ButtonForm()
    if token.revoked_at is None and form.validate_on_submit():
        api_tokens.revoke(db.session, token, current_user, utcnow())
        flash(f"Token '{token.name}' revoked. Requests with it are refused from now on.", "success")
        return redirect(url_for("admin.api_token_list"), 303)
    return render_template("admin/api_token_revoke.html", form=form, token=token, scope=_scope_of(token))


def _form() -> ApiTokenForm:
    form = ApiTokenForm()
    organisations = db.session.execute(sa.select(Organisation.id, Organisation.name).order_by(Organisation.name)).all()
    form.organisation_id.choices = choices([(ALL_ORGANISATIONS, "All organisations"), *organisations])
    return form


def _scope_of(token: ApiToken) -> str:
    if token.organisation_id is None:
        return "All organisations"
    return db.session.get(Organisation, token.organisation_id).name


def _rows() -> list[dict]:
    """The table of tokens, ready to show: never the token, only its first characters."""
    return [
        {
            "id": token.id,
            "name": token.name,
            "prefix": token.prefix,
            "scope": organisation or "All organisations",
            "created": uk_datetime(token.created_at),
            "last_used": uk_datetime(token.last_used_at) if token.last_used_at else "Never",
            "status": "Revoked" if token.revoked_at else "Active",
            "revoked": token.revoked_at is not None,
        }
        for token, organisation in api_tokens.all_tokens(db.session)
    ]
