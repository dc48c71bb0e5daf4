"""Bearer tokens: read once per request (the rate limit's key needs the token before any view runs)."""

from flask import current_app, g, request
from flask_limiter.util import get_remote_address

from ..db import db, utcnow
from ..domain.people import api_tokens
from ..models import ApiToken
from ..web.access import API_TOKEN
from ..web.unit_of_work import write_after
from .problems import problem

REALM = 'Bearer realm="elearn API"'


def current_token() -> ApiToken | None:
    """The live token this request presents (looked up once per request), or None."""
    if "api_token" not in g:
        presented = _presented()
        g.api_token = api_tokens.authenticate(db.session, presented) if presented else None
    return g.api_token


def rate_limit_key() -> str:
    """Each token has its own allowance; requests without a working token share their address's."""
    token = current_token()
    return f"api-token:{token.id}" if token else f"api-anonymous:{get_remote_address()}"


def require_token():
    """Before every API view that needs a token: 401 without a live one; record use at most once a minute."""
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "access_policy", None) != API_TOKEN:
        return None
    token = current_token()
    if token is None:
        presented = _presented() is not None
        header = f'{REALM}, error="invalid_token"' if presented else REALM
        detail = (
            "The token is unknown or has been revoked."
            if presented
            else "Send an API token in the Authorization header: Authorization: Bearer <token>."
        )
        return problem(401, "Unauthorized", detail, headers={"WWW-Authenticate": header})
    now = utcnow()
    if api_tokens.use_is_due(token, now):
        token_id = token.id
        write_after(lambda session: api_tokens.record_use(session, token_id, now))
    return None


def _presented() -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    value = value.strip()
    return value if scheme.lower() == "bearer" and value else None
