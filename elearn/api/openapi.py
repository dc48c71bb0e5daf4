"""The OpenAPI 3.1 document of the completions API, served at /api/v1/openapi.json.

Written by hand beside the code it describes; tests/web/test_api_schema.py drives every operation from it
(schemathesis) and fails on any answer that does not match it.
"""

from ..domain.cohorts.readiness import Readiness
from ..models import Attendance, Competence, CourseType
from ..web.request_input import MAX_ID
from .params import DEFAULT_LIMIT, DEFAULT_WITHIN_DAYS, MAX_LIMIT, MAX_WITHIN_DAYS


def _values(enum_cls) -> list[str]:
    return [m.value for m in enum_cls]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return {"oneOf": [schema, {"type": "null"}]}


DATE = {"type": "string", "format": "date"}
TIME = {"type": "string", "format": "date-time"}
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


FILTERS = [
    _query("organisation", ID, "Staff of this organisation, or anyone on its cohorts (as on the exports page)."),
    _query("cohort", ID, "Enrolments on this cohort."),
    _query("from", DATE, "Courses starting on or after this day."),
    _query("to", DATE, "Courses starting on or before this day."),
    _query("course_type", {"type": "string", "enum": _values(CourseType)}, "Initial courses or refreshers."),
]
PAGING = [
    _query(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
        "Most items on one page.",
    ),
    _query(
        "cursor",
        {"type": "string", "maxLength": 200},
        "The next_cursor of the page before (opaque). Send the same filters with it.",
    ),
]
STATE = _query(
    "state",
    {"type": "string", "enum": _values(Readiness)},
    "Readiness, worked out for each enrolment read: a page can then hold fewer than `limit` items "
    "(keep following `next_cursor` until it is null).",
)
WITHIN = _query(
    "within_days",
    {"type": "integer", "minimum": 0, "maximum": MAX_WITHIN_DAYS, "default": DEFAULT_WITHIN_DAYS},
    "Refreshers due within this many days from today (overdue ones are always included).",
)

PROBLEM_RESPONSE = {"application/problem+json": {"schema": _ref("Problem")}}
ERRORS = {
    "400": {"description": "A query parameter cannot be used; `invalid-params` names it.", "content": PROBLEM_RESPONSE},
    "401": {
        "description": "No token, or one that is unknown or revoked.",
        "headers": {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}},
        "content": PROBLEM_RESPONSE,
    },
    "429": {
        "description": "Too many requests with this token (see the `API_RATE_LIMIT` setting); retry later.",
        "content": PROBLEM_RESPONSE,
    },
}


def _page_of(item: str) -> dict:
    return {
        "type": "object",
        "required": ["data", "limit", "next_cursor", "next"],
        "additionalProperties": False,
        "properties": {
            "data": {"type": "array", "items": _ref(item)},
            "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            "next_cursor": _nullable({"type": "string"}),
            "next": _nullable({"type": "string", "format": "uri"}),
        },
    }


def _list(summary: str, description: str, item: str, parameters: list[dict], operation_id: str) -> dict:
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "description": description,
            "parameters": parameters,
            "security": [{"bearerToken": []}],
            "responses": {
                "200": {
                    "description": "One page; `next_cursor` is null on the last.",
                    "content": {"application/json": {"schema": _ref(f"{item}Page")}},
                },
                **ERRORS,
            },
        }
    }


def _object(properties: dict, nullable: tuple[str, ...] = ()) -> dict:
    return {
        "type": "object",
        "required": list(properties),
        "additionalProperties": False,
        "properties": {k: _nullable(v) if k in nullable else v for k, v in properties.items()},
    }


SCHEMAS = {
    "Learner": _object(
        {"id": ID, "name": {"type": "string"}, "email": {"type": "string"}, "job_title": {"type": "string"}},
        nullable=("job_title",),
    ),
    "Organisation": _object({"id": ID, "name": {"type": "string"}}),
    "Cohort": _object(
        {
            "id": ID,
            "title": {"type": "string"},
            "course_type": {"type": "string", "enum": _values(CourseType)},
            "starts_on": DATE,
            "pre_learning_deadline": DATE,
        }
    ),
    "Completion": _object(
        {
            "enrolment_id": ID,
            "learner": _ref("Learner"),
            "organisation": _ref("Organisation"),
            "cohort": _ref("Cohort"),
            "completed_at": TIME,
            "completed_late": {"type": "boolean"},
            "content_version": {"type": "string"},
            "certificate_code": {"type": "string"},
            "verification_url": {"type": "string", "format": "uri"},
            "attendance": {"type": "string", "enum": _values(Attendance)},
            "competence": {"type": "string", "enum": _values(Competence)},
            "refresher_due_on": DATE,
        },
        nullable=("organisation",),
    ),
    "ModuleResult": _object(
        {
            "module_id": {"type": "string"},
            "passed_on": DATE,
            "best_score": {"type": "integer", "minimum": 0, "maximum": 100},
            "attempts": {"type": "integer", "minimum": 0},
        },
        nullable=("passed_on", "best_score"),
    ),
    "EnrolmentCompletion": _object(
        {
            "completed_at": TIME,
            "completed_late": {"type": "boolean"},
            "certificate_code": {"type": "string"},
            "verification_url": {"type": "string", "format": "uri"},
        }
    ),
    "Enrolment": _object(
        {
            "id": ID,
            "learner": _ref("Learner"),
            "organisation": _ref("Organisation"),
            "cohort": _ref("Cohort"),
            "enrolled_at": TIME,
            "readiness": {"type": "string", "enum": _values(Readiness)},
            "modules": {"type": "array", "items": _ref("ModuleResult")},
            "completion": _ref("EnrolmentCompletion"),
            "attendance": {"type": "string", "enum": _values(Attendance)},
            "competence": {"type": "string", "enum": _values(Competence)},
            "refresher_due_on": DATE,
        },
        nullable=("organisation", "completion", "refresher_due_on"),
    ),
    "Refresher": _object(
        {
            "learner": _object({"id": ID, "name": {"type": "string"}, "email": {"type": "string"}}),
            "organisation": _ref("Organisation"),
            "last_course": {"type": "string"},
            "due_on": DATE,
            "days_left": {"type": "integer", "description": "Negative once overdue."},
        },
        nullable=("organisation",),
    ),
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details.",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string"},
            "invalid-params": {
                "type": "array",
                "items": _object({"name": {"type": "string"}, "reason": {"type": "string"}}),
            },
        },
    },
}
for _item in ("Completion", "Enrolment", "Refresher"):
    SCHEMAS[f"{_item}Page"] = _page_of(_item)


def document(server_url: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "elearn completions API",
            "version": "1.0.0",
            "description": (
                "Read-only. Completions, enrolments and refreshers due, filtered as on the exports page and "
                "paged with cursors. A token scoped to an organisation sees only that organisation's staff. "
                "Admins create and revoke tokens at Admin > API tokens."
            ),
        },
        "servers": [{"url": server_url}],
        "components": {
            "securitySchemes": {
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token from Admin > API tokens: `Authorization: Bearer elearn_...`",
                }
            },
            "schemas": SCHEMAS,
        },
        "security": [{"bearerToken": []}],
        "paths": {
            "/completions": _list(
                "Completions",
                "Counted pre-learning completions (a withdrawn one is not), one per enrolment, by enrolment id.",
                "Completion",
                [*FILTERS, *PAGING],
                "listCompletions",
            ),
            "/enrolments": _list(
                "Enrolments",
                "Every enrolment with its readiness and module results, by id.",
                "Enrolment",
                [*FILTERS, STATE, *PAGING],
                "listEnrolments",
            ),
            "/refreshers": _list(
                "Refreshers due",
                "Each person's latest training whose refresher is overdue or due within `within_days`, soonest first.",
                "Refresher",
                [*FILTERS, WITHIN, *PAGING],
                "listRefreshers",
            ),
        },
    }
