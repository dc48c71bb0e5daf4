"""Emailed-link journeys: accept an invitation, reset a password. (Create an account: registration.py.)"""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for

from .. import mail
from ..db import db, utcnow
from ..domain.cohorts import invitations
from ..domain.notifications import Email
from ..domain.people import accounts, password_resets
from ..web.access import public
from ..web.auth_session import start_session
from ..web.forms import ButtonForm
from ..web.security import limiter
from ..web.unit_of_work import refusal_shown
from .forms import RequestResetForm, SetPasswordForm
from .links import forget_token, move_token_to_session, token_from_session

bp = Blueprint("account", __name__)
SENT = "If there is an account for that email address, we have sent a link to reset its password. It works for {minutes} minutes."


@bp.route("/invitation/<token>")
@public
def invitation_link(token):
    invitations.open_invitation(db.session, token, utcnow())  # InvalidToken: the link-problem page
    return move_token_to_session("invitation", token, "account.accept_invitation")


@bp.route("/invitation", methods=["GET", "POST"])
@public
def accept_invitation():
    invitation = invitations.open_invitation(db.session, token_from_session("invitation"), utcnow())
    has_account = accounts.find_user_by_email(db.session, invitation.email) is not None
    # Someone who already has an account just confirms; a newcomer sets a password.
    form = ButtonForm() if has_account else SetPasswordForm()
    if form.validate_on_submit():
        with refusal_shown(form) as outcome:
            password = None if has_account else form.password.data
            user, is_new = invitations.accept(db.session, invitation, password, utcnow())
        if not outcome.refused:
            if is_new:
                start_session(user)
                flash("Your account is ready. You can start your pre-course learning now.", "success")
                return redirect(url_for("learn.courses"))
            forget_token("invitation")
            flash("You are enrolled on the course. Sign in with your email address and password.", "success")
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation, has_account=has_account)


@bp.route("/reset-password", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT_PER_ADDRESS"], methods=["POST"])
def request_reset():
    form = RequestResetForm()
    if form.validate_on_submit():
        minutes = current_app.config["PASSWORD_RESET_MINUTES"]
        per_hour = current_app.config["PASSWORD_RESET_EMAILS_PER_HOUR"]
        found = password_resets.request_reset(db.session, form.email.data, utcnow(), minutes, per_hour)
        if found:
            user, token = found
            mail.deliver_later(
                Email(
                    to=user.email,
                    subject="Reset your password",
                    template="password_reset",
                    context={
                        "name": user.full_name,
                        "minutes": minutes,
                        "link": mail.absolute_url("account.reset_link", token=token),
                    },
                )
            )
        flash(SENT.format(minutes=minutes), "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/request_reset.html", form=form)


@bp.route("/reset-password/<token>")
@public
def reset_link(token):
    password_resets.open_reset(db.session, token, utcnow())  # InvalidToken: the link-problem page
    return move_token_to_session("reset", token, "account.reset_password")


@bp.route("/new-password", methods=["GET", "POST"])
@public
def reset_password():
    reset = password_resets.open_reset(db.session, token_from_session("reset"), utcnow())
    form = SetPasswordForm()
    if form.validate_on_submit():
        with refusal_shown(form) as outcome:
            password_resets.complete_reset(db.session, reset, form.password.data, utcnow())
        if not outcome.refused:
            forget_token("reset")
            flash("Your password has been changed. Sign in with your new password.", "success")
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form)


from . import registration  # noqa: E402, F401 - its routes join this blueprint
