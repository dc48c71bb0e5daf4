"""Hostile input stops at the edge: ids beyond the database's range are not found, control characters
are refused with a clear 400, and numbers in query strings are parsed with bounds (one helper)."""

import re

from flask import abort, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, ValidationError

MAX_ID = 2**31 - 1  # PostgreSQL's integer, the type of every id column
_MAX_DIGITS = len(str(MAX_ID))
# NUL and the other C0 controls (and DEL) are never text a person typed; tab, LF and CR are (textareas).
_FORM_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # a URL or query value has no lines at all


class UnreadableInput(BadRequest):
    description = (
        "The request contained characters that cannot be typed into a form (such as a null character). "
        "Go back, retype the text and try again."
    )


class IdConverter(IntegerConverter):
    """Every `<int:...>` route: a number no row can have (beyond the database's integer) is not found."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str):
        if len(value) > _MAX_DIGITS:
            raise ValidationError()  # before int(): thousands of digits would raise, not just be too big
        return super().to_python(value)


def whole_number(value: str | None, maximum: int = MAX_ID) -> int | None:
    """A non-negative whole number typed in ASCII digits, at most `maximum`; otherwise None."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > len(str(maximum)):
        return None
    number = int(value)
    return number if number <= maximum else None


def page_number(maximum: int = 1_000_000) -> int:
    """`?page=` (1 when absent); a page that cannot exist is not found."""
    raw = request.args.get("page")
    if raw is None or raw == "":
        return 1
    page = whole_number(raw, maximum)
    if not page:
        abort(404)
    return page


def refuse_control_characters():
    """Before any view: a path, query or form value with a control character gets a clear 400."""
    if _LINE_CONTROL.search(request.path) or _LINE_CONTROL.search(_joined(request.args)):
        raise UnreadableInput()
    if request.method == "POST" and _FORM_CONTROL.search(_joined(request.form)):
        raise UnreadableInput()


def _joined(values) -> str:
    return "".join(part for pair in values.items(multi=True) for part in pair)


def init_app(app) -> None:
    """Call before any blueprint is registered, so every `<int:...>` rule uses the bounded converter."""
    app.url_map.converters["int"] = IdConverter
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_control_characters)
