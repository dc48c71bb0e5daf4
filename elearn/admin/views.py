"""Admin: cohorts (create, edit, open and close, trainers, invitations, enrolment) and organisations."""

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..db import db, utcnow
from ..domain.cohorts import cohort as cohorts
from ..domain.cohorts import invitations
from ..domain.cohorts.schedule import today_in_uk
from ..domain.errors import CohortError, ImportRejected
from ..domain.evidence import audit
from ..domain.people.accounts import find_user_by_email
from ..models import Cohort, CohortState, Organisation, Role, User
from ..web.forms import ButtonForm, choices
from ..web.loaders import get_or_404
from ..web.request_input import whole_number
from ..web.unit_of_work import refusal_shown
from . import presenters
from .blueprint import admin_only, bp
from .forms import CohortForm, EnrolForm, InviteForm, OrganisationForm, TrainersForm, UploadForm
from .inviting import invite_and_email


@bp.route("/cohorts")
@admin_only
def cohort_list():
    return render_template("admin/cohorts.html", rows=presenters.cohort_rows(db.session))


@bp.route("/cohorts/new", methods=["GET", "POST"])
@admin_only
def cohort_new():
    form = _cohort_form()
    if form.validate_on_submit():
        with refusal_shown(form) as outcome:
            cohort = cohorts.create_cohort(
                db.session, _details(form), today_in_uk(), current_app.config["DEADLINE_DAYS_BEFORE"]
            )
        if not outcome.refused:
            audit.record(db.session, current_user, "cohort_created", cohort.title, cohort_id=cohort.id)
            flash("Cohort created as a draft. Open it when you are ready to enrol people.", "success")
            return redirect(url_for("admin.cohort", cohort_id=cohort.id), 303)
    return render_template("admin/cohort_form.html", form=form, title="Create a cohort")


@bp.route("/cohorts/<int:cohort_id>")
@admin_only
def cohort(cohort_id):
    cohort = _cohort(cohort_id)
    return _cohort_page(cohort)


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@admin_only
def cohort_edit(cohort_id):
    cohort = _cohort(cohort_id)
    form = _cohort_form(obj=cohort)
    if form.validate_on_submit():
        with refusal_shown(form) as outcome:
            cohorts.update_cohort(
                db.session, cohort, _details(form), current_app.config["DEADLINE_DAYS_BEFORE"], utcnow()
            )
        if not outcome.refused:
            audit.record(db.session, current_user, "cohort_updated", cohort.title, cohort_id=cohort.id)
            flash("Cohort details saved.", "success")
            return redirect(url_for("admin.cohort", cohort_id=cohort.id), 303)
    return render_template("admin/cohort_form.html", form=form, title=f"Change {cohort.title}", cohort=cohort)


@bp.route("/cohorts/<int:cohort_id>/state", methods=["POST"])
@admin_only
def cohort_state(cohort_id):
    cohort = _cohort(cohort_id)
    try:
        new_state = CohortState(request.form.get("state", ""))
    except ValueError:
        abort(400)
    if ButtonForm().validate_on_submit():
        with refusal_shown() as outcome:
            cohorts.change_state(cohort, new_state, today_in_uk())
        if not outcome.refused:
            audit.record(
                db.session,
                current_user,
                "cohort_state_changed",
                cohort.title,
                cohort_id=cohort.id,
                state=new_state.value,
            )
            flash(f"The cohort is now {new_state.value}.", "success")
    return redirect(url_for("admin.cohort", cohort_id=cohort.id), 303)


@bp.route("/cohorts/<int:cohort_id>/trainers", methods=["POST"])
@admin_only
def cohort_trainers(cohort_id):
    cohort = _cohort(cohort_id)
    form = TrainersForm()
    if form.validate_on_submit():
        with refusal_shown() as outcome:
            # Not a whole number: an id no trainer has (-1), so the domain refuses the list.
            ids = [-1 if (n := whole_number(i)) is None else n for i in form.trainers.data]
            cohorts.set_trainers(db.session, cohort, ids)
        if not outcome.refused:
            audit.record(
                db.session,
                current_user,
                "cohort_trainers_set",
                cohort.title,
                cohort_id=cohort.id,
                trainer_ids=[t.id for t in cohort.trainers],
            )
            flash("Trainers saved.", "success")
    return redirect(url_for("admin.cohort", cohort_id=cohort.id), 303)


@bp.route("/cohorts/<int:cohort_id>/invite", methods=["POST"])
@admin_only
def cohort_invite(cohort_id):
    form = InviteForm()
    return _invite_from(
        _cohort(cohort_id), form, "invite_form", lambda: (invitations.parse_typed(form.people.data), "typed")
    )


@bp.route("/cohorts/<int:cohort_id>/upload", methods=["POST"])
@admin_only
def cohort_upload(cohort_id):
    form = UploadForm()
    return _invite_from(
        _cohort(cohort_id),
        form,
        "upload_form",
        lambda: (invitations.parse_csv(form.file.data.read()), form.file.data.filename),
    )


@bp.route("/cohorts/<int:cohort_id>/enrol", methods=["POST"])
@admin_only
def cohort_enrol(cohort_id):
    cohort = _cohort(cohort_id)
    form = EnrolForm()
    if form.validate_on_submit():
        user = find_user_by_email(db.session, form.email.data)
        with refusal_shown(form) as outcome:
            if user is None:
                raise CohortError("There is no account with that email address. Invite the person instead", "email")
            cohorts.enrol(db.session, cohort, user, utcnow())
        if not outcome.refused:
            audit.record(db.session, current_user, "enrolled", user.email, cohort_id=cohort.id)
            flash(f"{user.full_name} is enrolled.", "success")
            return redirect(url_for("admin.cohort", cohort_id=cohort.id), 303)
    return _cohort_page(cohort, enrol_form=form), 400


@bp.route("/organisations", methods=["GET", "POST"])
@admin_only
def organisations():
    form = OrganisationForm()
    if form.validate_on_submit():
        name = form.name.data.strip()
        if db.session.scalar(sa.select(Organisation.id).where(sa.func.lower(Organisation.name) == name.lower())):
            form.name.errors = ["There is already an organisation with this name"]
        else:
            db.session.add(Organisation(name=name, training_contact_email=form.training_contact_email.data or None))
            audit.record(db.session, current_user, "organisation_created", name)
            flash(f"{name} added.", "success")
            return redirect(url_for("admin.organisations"), 303)
    rows = db.session.scalars(sa.select(Organisation).order_by(Organisation.name)).all()
    return render_template("admin/organisations.html", form=form, organisations=rows)


def _invite_from(cohort: Cohort, form, form_name: str, parse):
    """Validate the form, parse its list, invite everyone or (with row errors) no one."""
    if not form.validate_on_submit():
        return _cohort_page(cohort, **{form_name: form}), 400
    try:
        people, source = parse()
        return invite_and_email(cohort, people, source)
    except ImportRejected as exc:  # nothing was written; the 400 response rolls back anything flushed
        return _cohort_page(cohort, **{form_name: form}, rejected=exc), 400


def _cohort(cohort_id: int) -> Cohort:
    return get_or_404(Cohort, cohort_id)


def _cohort_form(obj=None) -> CohortForm:
    form = CohortForm(obj=obj)
    orgs = db.session.execute(sa.select(Organisation.id, Organisation.name).order_by(Organisation.name)).all()
    form.organisation_id.choices = choices([("", "Open to all"), *orgs])
    return form


def _details(form: CohortForm) -> cohorts.CohortDetails:
    return cohorts.CohortDetails(
        title=form.title.data.strip(),
        course_type=form.course_type.data,
        venue=form.venue.data.strip(),
        organisation_id=int(form.organisation_id.data) if form.organisation_id.data else None,
        address=(form.address.data or "").strip(),
        starts_on=form.starts_on.data,
        days=int(form.days.data),
        start_time=form.start_time.data,
        end_time=form.end_time.data,
        capacity=form.capacity.data,
        deadline_on=form.deadline_on.data,
    )


def _cohort_page(cohort: Cohort, **forms):
    trainers = db.session.execute(
        sa.select(User.id, User.full_name).where(User.role == Role.TRAINER).order_by(User.full_name)
    ).all()
    trainers_form = TrainersForm(formdata=None, trainers=[str(t.id) for t in cohort.trainers])
    trainers_form.trainers.choices = choices(trainers)
    view = presenters.cohort_page(db.session, cohort, utcnow())
    return render_template(
        "admin/cohort.html",
        view=view,
        cohort=cohort,
        trainers_form=trainers_form,
        invite_form=forms.get("invite_form") or InviteForm(formdata=None),
        upload_form=forms.get("upload_form") or UploadForm(formdata=None),
        enrol_form=forms.get("enrol_form") or EnrolForm(formdata=None),
        rejected=forms.get("rejected"),
        state_form=ButtonForm(formdata=None),
    )
