"""Error pages: generic, never a traceback; a 500 rolls back the request's transaction."""

from flask import render_template
from flask_wtf.csrf import CSRFError

from ..db import db
from ..domain.errors import InvalidToken, NotFound
from .request_input import UnreadableInput


def init_app(app) -> None:
    @app.errorhandler(400)
    def _bad_request(e):
        message = e.description if isinstance(e, UnreadableInput) else None
        return render_template("errors/400.html", message=message), 400

    @app.errorhandler(CSRFError)
    def _csrf(_e):
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(403)
    def _forbidden(_e):
        return render_template("errors/403.html"), 403

    @app.errorhandler(404)
    @app.errorhandler(NotFound)
    def _not_found(_e):
        return render_template("errors/404.html"), 404

    @app.errorhandler(InvalidToken)
    def _link_problem(e):
        return render_template("auth/link_problem.html", message=str(e)), 404

    @app.errorhandler(405)
    def _method(e):
        allowed = {"Allow": ", ".join(e.valid_methods)} if getattr(e, "valid_methods", None) else {}
        return render_template("errors/405.html"), 405, allowed  # RFC 9110: a 405 says what is allowed

    @app.errorhandler(413)
    def _too_large(_e):
        return render_template("errors/413.html"), 413

    @app.errorhandler(429)
    def _too_many(_e):
        return render_template("errors/429.html"), 429

    @app.errorhandler(500)
    def _server_error(_e):
        db.session.rollback()
        return render_template("errors/500.html"), 500
