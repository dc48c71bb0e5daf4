"""Errors as RFC 9457 problem details (application/problem+json): every API refusal says what and why."""

from flask import Response, json
from werkzeug.exceptions import HTTPException

PROBLEM = "application/problem+json"


class BadParameters(Exception):
    """One or more query parameters cannot be used; each is named with the reason."""

    def __init__(self, invalid: list[tuple[str, str]]):
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in invalid))
        self.invalid = invalid


def problem(status: int, title: str, detail: str, headers=None, **extra) -> Response:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return Response(json.dumps(body), status=status, headers=headers or {}, mimetype=PROBLEM)


def bad_parameters(error: BadParameters) -> Response:
    return problem(
        400,
        "Bad Request",
        f"Check the query parameters: {error}.",
        **{"invalid-params": [{"name": name, "reason": reason} for name, reason in error.invalid]},
    )


def from_http_exception(error: HTTPException) -> Response:
    """Werkzeug's errors (404, 405, 429, ...) with their headers (Allow, Retry-After), as problem details."""
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return problem(error.code or 500, error.name, error.description or error.name, headers=headers)
