"""Create an account with a join code, then confirm the email address by an emailed link.

The create-account answer is the same whether or not the address has an account: its owner is
emailed instead, and every email goes from the background so the timing says nothing either."""

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user

from .. import mail
from ..db import db, utcnow
from ..domain.notifications import Email
from ..domain.people import accounts, registration
from ..web.access import public, signed_in
from ..web.auth_session import start_session
from ..web.forms import ButtonForm
from ..web.security import limiter
from ..web.unit_of_work import refusal_shown
from .account import bp
from .forms import CreateAccountForm
from .links import move_token_to_session, token_from_session


@bp.route("/create-account", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT_PER_ADDRESS"], methods=["POST"])
def create_account():
    """For trainees who were given a course join code rather than an emailed invitation."""
    if current_user.is_authenticated:
        return redirect(url_for("home"))
    form = CreateAccountForm()
    if form.validate_on_submit():
        with refusal_shown(form) as outcome:
            result = registration.register_trainee(
                db.session,
                email=form.email.data,
                full_name=form.full_name.data,
                password=form.password.data,
                job_title=form.job_title.data or None,
            )
        if not outcome.refused:
            mail.deliver_later(_registration_email(result))
            session["registered_email"] = accounts.normalise_email(form.email.data)
            return redirect(url_for("account.check_email"), 303)
    return render_template("auth/create_account.html", form=form)


@bp.route("/create-account/check-your-email")
@public
def check_email():
    return render_template("auth/check_email.html", email=session.get("registered_email"))


@bp.route("/confirm-email/<token>")
@public
def confirmation_link(token):
    registration.open_confirmation(db.session, token)  # InvalidToken: the link-problem page
    return move_token_to_session("confirmation", token, "account.confirm_email")


@bp.route("/confirm-email", methods=["GET", "POST"])
@public
def confirm_email():
    user = registration.open_confirmation(db.session, token_from_session("confirmation"))
    form = ButtonForm()
    if form.validate_on_submit():
        registration.confirm_email(user, utcnow())
        start_session(user)  # the link proves the address, as an invitation does; clears the token
        flash("Your email address is confirmed. Enter the join code your trainer gave you.", "success")
        return redirect(url_for("learn.join"))
    return render_template("auth/confirm_email.html", form=form, email=user.email)


@bp.route("/confirm-email/send-again", methods=["POST"])
@signed_in
def send_confirmation_again():
    user = current_user._get_current_object()
    if ButtonForm().validate_on_submit() and not registration.is_confirmed(user):
        token = registration.new_confirmation_token(db.session, user)
        mail.deliver_later(_confirmation_email(user, token))
        flash(f"We have sent a new link to {user.email}. The earlier one no longer works.", "success")
    return redirect(url_for("learn.join"))


def _registration_email(result: registration.Registration) -> Email:
    if result.confirmation_token:
        return _confirmation_email(result.user, result.confirmation_token)
    return Email(
        to=result.user.email,
        subject="Someone tried to create an account with your email address",
        template="account_exists",
        context={
            "name": result.user.full_name,
            "sign_in": mail.absolute_url("auth.sign_in"),
            "reset": mail.absolute_url("account.request_reset"),
        },
    )


def _confirmation_email(user, token: str) -> Email:
    return Email(
        to=user.email,
        subject="Confirm your email address",
        template="confirm_email",
        context={"name": user.full_name, "link": mail.absolute_url("account.confirmation_link", token=token)},
    )
