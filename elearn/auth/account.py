"""Emailed-link journeys: accept an invitation, reset a password, create an account."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from .. import mail
from ..db import db, utcnow
from ..domain.cohorts import invitations
from ..domain.notifications import Email
from ..domain.people import accounts, password_resets
from ..models import Role
from ..web.access import public
from ..web.auth_session import start_session
from ..web.forms import ButtonForm
from ..web.security import limiter
from ..web.unit_of_work import refusal_shown
from .forms import CreateAccountForm, RequestResetForm, SetPasswordForm

bp = Blueprint("account", __name__)
SENT = "If there is an account for that email address, we have sent a link to reset its password. It works for {minutes} minutes."


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token):
    invitation = invitations.open_invitation(db.session, token, utcnow())  # InvalidToken: the link-problem page
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
        found = password_resets.request_reset(db.session, form.email.data, utcnow(), minutes)
        if found:
            user, token = found
            mail.send_after_commit(
                Email(
                    to=user.email,
                    subject="Reset your password",
                    template="password_reset",
                    context={
                        "name": user.full_name,
                        "minutes": minutes,
                        "link": mail.absolute_url("account.reset_password", token=token),
                    },
                )
            )
        flash(SENT.format(minutes=minutes), "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/request_reset.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
def reset_password(token):
    reset = password_resets.open_reset(db.session, token, utcnow())
    form = SetPasswordForm()
    if form.validate_on_submit():
        with refusal_shown(form) as outcome:
            password_resets.complete_reset(db.session, reset, form.password.data, utcnow())
        if not outcome.refused:
            flash("Your password has been changed. Sign in with your new password.", "success")
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form)


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
            user = accounts.create_user(
                db.session,
                email=form.email.data,
                full_name=form.full_name.data,
                role=Role.TRAINEE,
                password=form.password.data,
                job_title=form.job_title.data or None,
            )
        if not outcome.refused:
            start_session(user)
            return redirect(url_for("learn.join"))
    return render_template("auth/create_account.html", form=form)
