"""LTI 1.3: a learning platform (LMS) launches elearn for a learner, who lands signed in on their course.

/lti/login (OIDC login initiation), /lti/launch (the id_token, posted by the platform's page) and
/lti/jwks.json (the tool's public key). Platforms are registered with `flask lti add-platform`."""

from flask import Blueprint, render_template

from ..domain.errors import LaunchRefused

bp = Blueprint("lti", __name__, url_prefix="/lti")


def init_app(app) -> None:
    from . import cli, views  # noqa: F401 - views registers its routes on bp

    app.register_blueprint(bp)
    cli.init_app(app)


@bp.errorhandler(LaunchRefused)
def _refused(error: LaunchRefused):
    # An error status: the unit of work rolls back, so a refused launch leaves no account, link or enrolment.
    return render_template("lti/problem.html", message=str(error), status=error.status), error.status
