"""Emailed links carry a token once: the first GET moves it into the (signed) session cookie and
redirects to an address without it, so access logs and browser history never hold a live token."""

from flask import redirect, session, url_for


def move_token_to_session(kind: str, token: str, endpoint: str):
    session[f"link_token:{kind}"] = token
    return redirect(url_for(endpoint), 303)


def token_from_session(kind: str) -> str:
    """The token the link carried, or "" (which no stored hash matches: the link-problem page)."""
    return session.get(f"link_token:{kind}", "")


def forget_token(kind: str) -> None:
    session.pop(f"link_token:{kind}", None)
