"""One commit point per request: a view's writes are committed after it returns a success (status < 400),
then the side effects it asked for run (emails are never sent about writes that were rolled back).
An error response, or an exception, rolls everything back. Views never call commit() or rollback()."""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app, flash, g
from sqlalchemy.orm import Session

from ..db import Database, db, sqlite_immediate
from ..domain.errors import DomainError


def init_app(app) -> None:
    @app.after_request
    def _commit(response):
        if response.status_code >= 400:
            return response  # the session is closed at teardown, which rolls back
        session = g.get("db_session")
        if session is not None:
            session.commit()
        for callback in g.pop("after_commit", []):
            try:
                callback()
            except Exception:  # the writes are committed: a failed side effect must not turn them into a 500
                current_app.logger.exception("After-commit step failed")
        return response


def after_commit(callback: Callable[[], object]) -> None:
    """Run callback once this request's writes are committed (e.g. send the emails they imply)."""
    g.setdefault("after_commit", []).append(callback)


def write_after(write: Callable[[Session], object]) -> None:
    """A small write that the page does not depend on (recording a first page view), in its own short
    transaction after the response's commit: the request itself stays a read (no SQLite write lock)."""
    app = current_app._get_current_object()

    def run() -> None:
        token = sqlite_immediate.set(True)
        try:
            with Database.sessionmaker_for(app)() as session:
                write(session)
                session.commit()
        finally:
            sqlite_immediate.reset(token)

    after_commit(run)


@dataclass
class Refusal:
    refused: bool = False
    message: str = ""


@contextmanager
def refusal_shown(form=None, banner: bool = True):
    """Run domain calls; if a business rule refuses, undo just their writes and show why: on the form
    field the error names (error.field), otherwise as a banner. Check `.refused` afterwards."""
    outcome = Refusal()
    savepoint = db.session.begin_nested()
    try:
        yield outcome
    except DomainError as exc:
        if exc.status is not None:
            raise  # not a refusal to explain on this page: the error handler answers
        if savepoint.is_active:
            savepoint.rollback()
        outcome.refused, outcome.message = True, str(exc)
        field = getattr(form, getattr(exc, "field", None) or "", None) if form is not None else None
        if field is not None:
            field.errors = [*field.errors, str(exc)] if isinstance(field.errors, list) else [str(exc)]
        elif banner:
            flash(str(exc), "info")
    else:
        if savepoint.is_active:
            savepoint.commit()
