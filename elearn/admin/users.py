"""Admin user management: find, create, change role or organisation, deactivate, anonymise, resend invitations."""

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import mail
from ..db import db, utcnow
from ..domain.cohorts.invitations import invitation_expiry
from ..domain.evidence import audit
from ..domain.learning.completion import set_withdrawn
from ..domain.notifications import Email
from ..domain.people import accounts, data_rights, managers, password_resets
from ..domain.people.tokens import new_token
from ..models import Completion, Enrolment, Invitation, Organisation, Role, User
from ..web.forms import ButtonForm, choices
from ..web.loaders import get_or_404
from ..web.request_input import page_number, whole_number
from ..web.unit_of_work import refusal_shown
from . import presenters
from .blueprint import admin_only, bp
from .forms import ReasonForm, UserForm

PAGE = 50


@bp.route("/users")
@admin_only
def users():
    search, role = request.args.get("q", "").strip(), request.args.get("role", "")
    query = sa.select(User, Organisation.name).outerjoin(Organisation, User.organisation_id == Organisation.id)
    if search:
        like = f"%{search.lower()}%"
        query = query.where(sa.or_(sa.func.lower(User.full_name).like(like), User.email.like(like)))
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    status = request.args.get("status", "")
    if status in ("active", "inactive"):
        query = query.where(User.is_active.is_(status == "active"))
    page = page_number()
    rows = db.session.execute(query.order_by(User.full_name, User.id).limit(PAGE + 1).offset((page - 1) * PAGE)).all()
    return render_template(
        "admin/users.html",
        rows=rows[:PAGE],
        has_more=len(rows) > PAGE,
        page=page,
        search=search,
        role=role,
        status=status,
        roles=[r.value for r in Role],
    )


@bp.route("/users/new", methods=["GET", "POST"])
@admin_only
def user_new():
    form = _user_form()
    if form.validate_on_submit():
        with refusal_shown(form) as outcome:
            user = accounts.create_user(
                db.session,
                email=form.email.data,
                full_name=form.full_name.data,
                role=Role(form.role.data),
                job_title=form.job_title.data or None,
                organisation_id=int(form.organisation_id.data) if form.organisation_id.data else None,
            )
        if not outcome.refused:
            managers.set_managed_organisations(db.session, user, _ids(form.manages.data))
            minutes = 7 * 24 * 60  # a week to set up the account
            _user, token = password_resets.request_reset(db.session, user.email, utcnow(), minutes)
            audit.record(db.session, current_user, "user_created", user.email, role=user.role.value)
            mail.send_after_commit(_set_up_email(user, token, minutes))
            flash(f"Account created for {user.full_name}. We are emailing them a link to set a password.", "success")
            return redirect(url_for("admin.user", user_id=user.id), 303)
    return render_template("admin/user_form.html", form=form, title="Create an account")


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_only
def user(user_id):
    person = _user_or_404(user_id)
    form = _user_form(
        obj=person,
        organisation_id=str(person.organisation_id or ""),
        role=person.role.value,
        manages=[str(i) for i in managers.managed_organisation_ids(db.session, person)],
    )
    if form.validate_on_submit() and person.anonymised_at is None:
        other = accounts.find_user_by_email(db.session, form.email.data)
        if other is not None and other.id != person.id:
            form.email.errors = ["There is already an account with this email address"]
        elif person.id == current_user.id and form.role.data != Role.ADMIN.value:
            form.role.errors = ["You cannot remove your own admin role"]
        else:
            changes = _apply(person, form)
            audit.record(db.session, current_user, "user_updated", person.email, changes=changes)
            flash("Saved.", "success")
            return redirect(url_for("admin.user", user_id=person.id), 303)
    return _user_page(person, form)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@admin_only
def user_active(user_id):
    person = _user_or_404(user_id)
    if ButtonForm().validate_on_submit() and person.id != current_user.id and person.anonymised_at is None:
        person.is_active = request.form.get("active") == "1"
        if not person.is_active:
            person.rotate_session_token()  # signs them out everywhere
        audit.record(
            db.session, current_user, "user_reactivated" if person.is_active else "user_deactivated", person.email
        )
        flash(
            f"{person.full_name} can {'now' if person.is_active else 'no longer'} sign in. Their records are kept.",
            "success",
        )
    return redirect(url_for("admin.user", user_id=person.id), 303)


@bp.route("/users/<int:user_id>/anonymise", methods=["POST"])
@admin_only
def user_anonymise(user_id):
    person = _user_or_404(user_id)
    form = ReasonForm()
    if form.validate_on_submit():
        if person.id != current_user.id:
            data_rights.anonymise(db.session, person, current_user, utcnow(), form.reason.data)
            flash(
                "The person's details have been removed. Their quiz results are kept for course statistics.", "success"
            )
            return redirect(url_for("admin.user", user_id=person.id), 303)
        form.reason.errors = ["You cannot anonymise your own account"]
    return _user_page(person, failed=form, failed_id="reason"), 400


@bp.route("/completions/<code>", methods=["POST"])
@admin_only
def completion_change(code):
    """Withdraw or reinstate a completion: admins only, always with a reason, always audited."""
    row = db.session.execute(
        sa.select(Completion, Enrolment.user_id)
        .join(Enrolment, Completion.enrolment_id == Enrolment.id)
        .where(Completion.certificate_code == code)
    ).first()
    if row is None:
        abort(404)
    form = ReasonForm()
    if form.validate_on_submit():
        withdraw = request.form.get("withdraw") == "1"
        with refusal_shown(form) as outcome:
            set_withdrawn(db.session, row.Completion, withdraw, form.reason.data, current_user, utcnow())
        if not outcome.refused:
            flash(
                "Completion withdrawn: its certificate no longer verifies." if withdraw else "Completion reinstated.",
                "success",
            )
            return redirect(url_for("admin.user", user_id=row.user_id), 303)
    return _user_page(_user_or_404(row.user_id), failed=form, failed_id=f"reason-{code}"), 400


@bp.route("/invitations/<int:invitation_id>/resend", methods=["POST"])
@admin_only
def invitation_resend(invitation_id):
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.accepted_at is not None:
        return redirect(url_for("admin.users"), 303)
    if ButtonForm().validate_on_submit():
        with refusal_shown() as outcome:
            invitation.expires_at = invitation_expiry(
                invitation.cohort, utcnow(), current_app.config["INVITATION_DAYS"]
            )
        if not outcome.refused:
            token, invitation.token_hash = new_token()  # the old link stops working
            audit.record(
                db.session, current_user, "invitation_resent", invitation.email, cohort_id=invitation.cohort_id
            )
            minutes = sum(m.minutes for m in presenters.course_modules())
            mail.send_after_commit(presenters.invitation_email(invitation, token, minutes))
            flash("Invitation sent again. The old link no longer works.", "success")
    person = accounts.find_user_by_email(db.session, invitation.email)
    return redirect(
        url_for("admin.user", user_id=person.id) if person else url_for("admin.cohort", cohort_id=invitation.cohort_id),
        303,
    )


def _user_page(person: User, form: UserForm | None = None, failed: ReasonForm | None = None, failed_id: str = ""):
    """The person's page; `failed` is a withdraw or anonymise form sent without a good reason, shown in the
    GOV.UK error pattern on the reason box whose id is `failed_id`."""
    pending = db.session.scalars(
        sa.select(Invitation).where(Invitation.email == person.email, Invitation.accepted_at.is_(None))
    ).all()
    return render_template(
        "admin/user.html",
        person=person,
        form=form
        or _user_form(
            formdata=None, obj=person, organisation_id=str(person.organisation_id or ""), role=person.role.value
        ),
        button=ButtonForm(formdata=None),
        reason_form=ReasonForm(formdata=None),
        failed=failed,
        failed_id=failed_id,
        page_errors=[{"text": failed.reason.errors[0], "href": f"#{failed_id}"}] if failed else [],
        invitations=pending,
        history=presenters.user_history(db.session, person),
    )


def _set_up_email(user: User, token: str, minutes: int) -> Email:
    link = mail.absolute_url("account.reset_link", token=token)
    return Email(
        to=user.email,
        subject="Set up your account",
        template="password_reset",
        context={"name": user.full_name, "minutes": minutes, "link": link},
    )


def _user_or_404(user_id: int) -> User:
    return get_or_404(User, user_id)


def _user_form(**kwargs) -> UserForm:
    form = UserForm(**kwargs)
    orgs = db.session.execute(sa.select(Organisation.id, Organisation.name).order_by(Organisation.name)).all()
    form.organisation_id.choices = choices([("", "None"), *orgs])
    form.manages.choices = choices(orgs)
    return form


def _ids(values) -> list[int]:
    return [n for n in (whole_number(str(v)) for v in values or []) if n is not None]


def _apply(person: User, form: UserForm) -> dict:
    new = {
        "full_name": form.full_name.data.strip(),
        "email": accounts.normalise_email(form.email.data),
        "job_title": form.job_title.data or None,
        "role": Role(form.role.data),
        "organisation_id": int(form.organisation_id.data) if form.organisation_id.data else None,
    }
    changes = {k: str(v) for k, v in new.items() if getattr(person, k) != v}
    for key, value in new.items():
        setattr(person, key, value)
    before = managers.managed_organisation_ids(db.session, person)
    managed = managers.set_managed_organisations(db.session, person, _ids(form.manages.data))
    if managers.managed_organisation_ids(db.session, person) != before:
        changes["manages"] = ", ".join(managed) or "none"
    if "role" in changes or "email" in changes:
        person.rotate_session_token()  # new permissions or identity: sign in again
    return changes
