"""Trainees' reflections: saving an answer from a module page, and the printable "My reflections" page."""

from flask import abort, flash, redirect, render_template, url_for

from ..db import db
from ..domain.learning import reflections
from ..formatting import uk_datetime
from ..web.content_store import get_course
from ..web.loaders import own_enrolment_or_404
from ..web.unit_of_work import refusal_shown
from .forms import ReflectionForm
from .views import _page, _readable_module, bp, trainee


@bp.route("/<int:enrolment_id>/<module_id>/<page_id>/reflections/<reflection_id>", methods=["POST"])
@trainee
def save_reflection(enrolment_id, module_id, page_id, reflection_id):
    progress, status = _readable_module(enrolment_id, module_id)
    index = next((i for i, p in enumerate(status.module.pages) if p.id == page_id), None)
    if index is None:
        abort(404)
    form = ReflectionForm(prefix=reflection_id)
    if form.validate_on_submit():
        with refusal_shown(form) as outcome:
            page = status.module.pages[index]
            reflections.save_reflection(
                db.session, status.module, page, enrolment_id, reflection_id, form.reflection.data or ""
            )
        if not outcome.refused:
            flash("Your reflection has been saved.", "success")
            href = url_for("learn.page", enrolment_id=enrolment_id, module_id=module_id, page_id=page_id)
            return redirect(f"{href}#reflect-{reflection_id}", 303)
    return _page(progress, status.module, index, form), 400


@bp.route("/<int:enrolment_id>/reflections")
@trainee
def my_reflections(enrolment_id):
    enrolment = own_enrolment_or_404(enrolment_id)
    saved = reflections.reflections_of(db.session, get_course(), [enrolment.id])
    return render_template("learn/reflections.html", view=reflections_view(enrolment, saved))


def reflections_view(enrolment, saved) -> dict:
    """The trainee's own reflections, in course order, for reading back or printing."""
    return {
        "cohort_title": enrolment.cohort.title,
        "course_href": url_for("learn.course", enrolment_id=enrolment.id),
        "reflections": [
            {
                "module": item.module.title if item.module else "",
                "page": item.page.title if item.page else "",
                "href": item.page
                and url_for("learn.page", enrolment_id=enrolment.id, module_id=item.module.id, page_id=item.page.id),
                "prompt_html": item.prompt_html,
                "text": item.text,
                "updated": uk_datetime(item.updated_at),
            }
            for item in saved
        ],
    }
