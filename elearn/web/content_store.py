"""The course, loaded from files once per process on first use (not at import or start-up)."""

from flask import current_app

from ..content import Course, load_course


def init_app(app) -> None:
    app.extensions["elearn.course"] = None


def get_course() -> Course:
    course = current_app.extensions.get("elearn.course")
    if course is None:
        course = load_course(current_app.config["CONTENT_DIR"])
        current_app.extensions["elearn.course"] = course
    return course
