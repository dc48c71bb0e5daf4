"""Emailed-link journeys: accept an invitation, reset a password, create an account."""
from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from .. import mail
from ..db import db, utcnow
from ..domain.cohorts import invitations
from ..domain.errors import DuplicateEmail, InvalidToken, WeakPassword
from ..domain.notifications import Email
from ..domain.people import accounts, password_resets
from ..models import Role
from ..web.access import public
from ..web.auth_session import start_session
from ..web.forms import ButtonForm
from ..web.security import limiter
from .forms import CreateAccountForm, RequestResetForm, SetPasswordForm

bp = Blueprint("account", __name__)
SENT = "If there is an account for that email address, we have sent a link to reset its password. It works for {minutes} minutes."


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token):
    try:
        invitation = invitations.open_invitation(db.session, token, utcnow())
    except InvalidToken as exc:
        return _link_problem(exc)
    has_account = accounts.find_user_by_email(db.session, invitation.email) is not None
    # Someone who already has an account just confirms; a newcomer sets a password.
    form = ButtonForm() if has_account else SetPasswordForm()
    if form.validate_on_submit():
        try:
            password = None if has_account else form.password.data
            user, is_new = invitations.accept(db.session, invitation, password, utcnow())
        except WeakPassword as exc:
            db.session.rollback()
            form.password.errors = [str(exc)]
        except InvalidToken as exc:
            db.session.rollback()
            return _link_problem(exc)
        else:
            db.session.commit()
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
        db.session.commit()
        if found:
            user, token = found
            mail.send(Email(to=user.email, subject="Reset your password", template="password_reset",
                            context={"name": user.full_name, "minutes": minutes,
                                     "link": mail.absolute_url("account.reset_password", token=token)}))
        flash(SENT.format(minutes=minutes), "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/request_reset.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
def reset_password(token):
    try:
        reset = password_resets.open_reset(db.session, token, utcnow())
    except InvalidToken as exc:
        return _link_problem(exc)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            password_resets.complete_reset(db.session, reset, form.password.data, utcnow())
        except WeakPassword as exc:
            db.session.rollback()
            form.password.errors = [str(exc)]
        except InvalidToken as exc:
            db.session.rollback()
            return _link_problem(exc)
        else:
            db.session.commit()
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
        try:
            user = accounts.create_user(db.session, email=form.email.data, full_name=form.full_name.data,
                                        role=Role.TRAINEE, password=form.password.data,
                                        job_title=form.job_title.data or None)
        except WeakPassword as exc:
            db.session.rollback()
            form.password.errors = [str(exc)]
        except DuplicateEmail:
            db.session.rollback()
            form.email.errors = ["There is already an account with this email address. Sign in, or reset your password"]
        else:
            db.session.commit()
            start_session(user)
            return redirect(url_for("learn.join"))
    return render_template("auth/create_account.html", form=form)


def _link_problem(exc: InvalidToken):
    return render_template("auth/link_problem.html", message=str(exc)), 404
