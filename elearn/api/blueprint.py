"""The API blueprint, /api/v1: JSON only, GET only, authenticated by bearer tokens, rate limited per token.

CSRF does not apply: nothing here changes anything, and a bearer token is never sent by a browser on its
own (unlike a cookie), so another site cannot make a browser call it with someone's credentials.
"""

from flask import Blueprint, current_app

from ..web.security import csrf, limiter
from . import auth, problems

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=auth.rate_limit_key)(bp)
bp.before_request(auth.require_token)
bp.register_error_handler(problems.BadParameters, problems.bad_parameters)
# Flask looks for an app handler by status code before a blueprint handler by class: name each code.
for _code in (400, 401, 403, 404, 405, 406, 413, 429, 500):
    bp.register_error_handler(_code, problems.from_http_exception)


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"  # personal data: never kept by a proxy or client cache
    return response
