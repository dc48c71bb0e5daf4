"""The API against its own OpenAPI 3.1 document, property-based (schemathesis drives every operation with
generated filters, cursors and limits, valid and not): never a 5xx, and every answer (status, content type,
headers, body) as the document says. Runs on whichever database the suite runs on."""

import pytest
import schemathesis
from hypothesis import HealthCheck, assume, given, settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from .api_helpers import api_world, bearer, new_token

EXAMPLES = 40  # per generation mode, over all operations: quick enough for every run


@pytest.mark.parametrize("mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])
def test_the_api_keeps_to_its_openapi_document(app, session, mode):
    world = api_world(session)
    token = new_token(session, world.admin_id)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,  # the same examples on every run: CI stays stable
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=schema.as_strategy(generation_mode=mode))
    def call(case):
        # A cursor is valid only if the API gave it out, which a schema cannot say: a made-up one is refused
        # (400, naming it), so that one check does not apply to it. test_api.py follows real cursors.
        made_up_cursor = [positive_data_acceptance] if "cursor" in (case.query or {}) else []
        # Every call carries a valid token, which undoes an invalid Authorization header schemathesis made;
        # such a case is not invalid data, so leave it out (test_api.py covers missing and bad tokens).
        assume(not _headers_made_invalid(case))
        # Raises on a 5xx or on any answer (status, content type, headers, body) the document does not allow.
        case.call_and_validate(headers=bearer(token), excluded_checks=made_up_cursor)

    call()


def _headers_made_invalid(case) -> bool:
    headers = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
    return headers is not None and headers.mode.is_negative


def test_the_document_is_openapi_3_1_and_public(app):
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    assert set(document["paths"]) == {"/completions", "/enrolments", "/refreshers"}
