"""Query parameters of the API, parsed strictly: a value that is present must be right, or the request gets
a 400 naming it. Filters mean what they mean on the exports page; a token's organisation is always applied."""

import base64
import binascii
import json
import re
from datetime import date

from flask import request

from ..domain.cohorts.readiness import Readiness
from ..domain.evidence.export_filters import ExportFilters
from ..models import ApiToken, CourseType
from ..web.request_input import MAX_ID, whole_number
from .problems import BadParameters

DEFAULT_LIMIT, MAX_LIMIT = 50, 200
DEFAULT_WITHIN_DAYS, MAX_WITHIN_DAYS = 90, 3650
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FILTERS = {"organisation", "cohort", "from", "to", "course_type"}
PAGING = {"limit", "cursor"}


class _Reader:
    """Reads request.args, collecting every problem before refusing, so one answer names them all.

    A parameter the list does not know is refused too: a misspelt filter ('organization') silently
    ignored would hand over more records than were asked for."""

    def __init__(self, known: set[str]):
        self.invalid: list[tuple[str, str]] = [
            (name, "is not a parameter of this list") for name in request.args if name not in known
        ]

    def number(self, name: str, low: int = 1, high: int = MAX_ID, default: int | None = None) -> int | None:
        raw = request.args.get(name)
        if raw is None:
            return default
        value = whole_number(raw, high)
        if value is None or value < low:
            self.invalid.append((name, f"must be a whole number from {low} to {high}"))
        return value

    def day(self, name: str) -> date | None:
        raw = request.args.get(name)
        if raw is None:
            return None
        try:
            if _ISO_DATE.fullmatch(raw):
                return date.fromisoformat(raw)
        except ValueError:
            pass
        self.invalid.append((name, "must be a date as YYYY-MM-DD"))
        return None

    def choice(self, name: str, enum_cls):
        raw = request.args.get(name)
        if raw is None:
            return None
        try:
            return enum_cls(raw)
        except ValueError:
            self.invalid.append((name, f"must be one of {', '.join(m.value for m in enum_cls)}"))
            return None

    def cursor(self, kind: str):
        raw = request.args.get("cursor")
        if raw is None:
            return None
        key = decode_cursor(kind, raw)
        if key is None:
            self.invalid.append(("cursor", "is not a cursor this list gave out: start again without one"))
        return key

    def done(self) -> None:
        if self.invalid:
            raise BadParameters(self.invalid)


def record_query(token: ApiToken, kind: str, with_state: bool = True) -> tuple[ExportFilters, int, int]:
    """(filters, after id, limit) for the completions and enrolments lists."""
    read = _Reader(FILTERS | PAGING | ({"state"} if with_state else set()))
    filters = _filters(read, token, with_state)
    after, limit = read.cursor(kind), read.number("limit", 1, MAX_LIMIT, DEFAULT_LIMIT)
    if after is not None and not isinstance(after, int):
        read.invalid.append(("cursor", "is not a cursor this list gave out: start again without one"))
    read.done()
    return filters, after or 0, limit


def refresher_query(token: ApiToken) -> tuple[ExportFilters, int, tuple[date, int] | None, int]:
    """(filters, within days, after key, limit) for the refreshers list."""
    read = _Reader(FILTERS | PAGING | {"within_days"})
    filters = _filters(read, token, with_state=False)
    within = read.number("within_days", 0, MAX_WITHIN_DAYS, DEFAULT_WITHIN_DAYS)
    after, limit = read.cursor("refreshers"), read.number("limit", 1, MAX_LIMIT, DEFAULT_LIMIT)
    key = _refresher_key(after)
    if after is not None and key is None:
        read.invalid.append(("cursor", "is not a cursor this list gave out: start again without one"))
    read.done()
    return filters, within, key, limit


def _filters(read: _Reader, token: ApiToken, with_state: bool) -> ExportFilters:
    return ExportFilters(
        organisation_id=read.number("organisation"),
        cohort_id=read.number("cohort"),
        course_from=read.day("from"),
        course_to=read.day("to"),
        course_type=read.choice("course_type", CourseType),
        state=read.choice("state", Readiness) if with_state else None,
        # The token's scope, as for a manager: only that organisation's staff, whatever the filters say.
        organisation_ids=(token.organisation_id,) if token.organisation_id is not None else None,
    )


def encode_cursor(kind: str, key) -> str:
    """Opaque to callers: which list it belongs to and the last key given out."""
    if isinstance(key, tuple):
        key = [key[0].isoformat(), key[1]]
    raw = json.dumps({"list": kind, "after": key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str):
    """The key in a cursor of this list, or None if it is not one."""
    if not cursor or len(cursor) > 200 or not cursor.isascii():
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        return None
    if not isinstance(data, dict) or data.get("list") != kind:
        return None
    after = data.get("after")
    if isinstance(after, int) and not isinstance(after, bool) and 0 <= after <= MAX_ID:
        return after
    return after if isinstance(after, list) else None


def _refresher_key(after) -> tuple[date, int] | None:
    if not (isinstance(after, list) and len(after) == 2 and isinstance(after[0], str)):
        return None
    if not isinstance(after[1], int) or isinstance(after[1], bool) or not 0 <= after[1] <= MAX_ID:
        return None
    try:
        return date.fromisoformat(after[0]), after[1]
    except ValueError:
        return None
