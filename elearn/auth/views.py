"""Sign in and sign out."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ..db import db
from ..domain.people import accounts
from ..web import pending_answer
from ..web.access import public, signed_in
from ..web.auth_session import end_session, start_session
from ..web.forms import ButtonForm
from ..web.security import limiter, only_failures
from .forms import SignInForm

bp = Blueprint("auth", __name__)


def _address_and_email() -> str:
    """Per address and account: a training room behind one address is not locked out together."""
    return f"{get_remote_address()}|{accounts.normalise_email(request.form.get('email', ''))[:254]}"


SIGN_IN_FAILED = "Enter a correct email address and password"


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["SIGN_IN_RATE_LIMIT"],
    methods=["POST"],
    key_func=_address_and_email,
    deduct_when=only_failures,
)
@limiter.limit(
    lambda: current_app.config["SIGN_IN_RATE_LIMIT_PER_ADDRESS"], methods=["POST"], deduct_when=only_failures
)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home"))
    form = SignInForm()
    if form.validate_on_submit():
        audit_key = current_app.config["SECRET_KEY"].encode()
        user = accounts.authenticate(db.session, form.email.data, form.password.data, audit_key)
        if user is not None:
            pending = pending_answer.take()
            start_session(user)
            if (number := pending_answer.save(user, pending)) is not None:
                flash(f"Your answer to question {number} is saved.", "success")
            return redirect(safe_next(request.args.get("next")))
        form.email.errors.append(SIGN_IN_FAILED)
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@signed_in
def sign_out():
    if ButtonForm().validate_on_submit():
        accounts.sign_out(current_user._get_current_object())
        end_session()
        flash("You have signed out", "success")
    return redirect(url_for("auth.sign_in"))


def safe_next(target: str | None) -> str:
    """Only same-site paths: never another host, scheme or protocol-relative URL."""
    if not target:
        return url_for("home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("home")
    return target
