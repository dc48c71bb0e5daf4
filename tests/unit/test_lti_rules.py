"""LTI rules that need no app: reading the claims, and the words for each pylti1p3 refusal."""

import base64
import json

import pytest
from pylti1p3.exception import LtiException, OIDCException

from elearn.domain.errors import LaunchRefused
from elearn.domain.people.lti_launch import LaunchClaims
from elearn.lti.problems import check_token_shape, refusal


def test_claims_take_the_name_from_name_then_given_and_family_then_the_email():
    base = {"iss": "https://lms.example.org", "sub": "u1", "email": " Sam@Example.ORG "}
    assert LaunchClaims.from_id_token({**base, "name": "Sam Learner"}).full_name == "Sam Learner"
    assert LaunchClaims.from_id_token({**base, "given_name": "Sam", "family_name": "Okafor"}).full_name == "Sam Okafor"
    claims = LaunchClaims.from_id_token(base)
    assert (claims.full_name, claims.email) == ("sam@example.org", "sam@example.org")


def test_claims_read_the_cohort_from_the_custom_parameter_only_as_text():
    custom = "https://purl.imsglobal.org/spec/lti/claim/custom"
    body = {"iss": "i", "sub": "u1", custom: {"elearn_cohort_id": "12"}}
    assert LaunchClaims.from_id_token(body).cohort_id == "12"
    assert LaunchClaims.from_id_token({**body, custom: {"elearn_cohort_id": 12}}).cohort_id is None
    assert LaunchClaims.from_id_token({**body, custom: "junk"}).cohort_id is None


@pytest.mark.parametrize(
    "body", [{"iss": "i"}, {"iss": "i", "sub": "x" * 256}, {"iss": "i", "sub": "u", "email": "no-at"}]
)
def test_claims_without_a_usable_subject_or_email_are_refused(body):
    with pytest.raises(LaunchRefused) as refused:
        LaunchClaims.from_id_token(body)
    assert refused.value.status == 400


@pytest.mark.parametrize(
    ("error", "status", "words"),
    [
        (LtiException("Can't decode id_token: Signature verification failed"), 401, "signature does not match"),
        (LtiException("Can't decode id_token: Signature has expired"), 401, "has expired"),
        (LtiException("Invalid Nonce"), 401, "already been used"),
        (LtiException("Unable to find deployment"), 403, "deployment"),
        (LtiException("Missing Resource Link Id"), 400, "Missing Resource Link Id"),
        (OIDCException("Could not find registration details"), 403, "does not know this learning platform"),
    ],
)
def test_each_library_refusal_gets_a_status_and_plain_words(error, status, words):
    refused = refusal(error)
    assert refused.status == status and words in str(refused)


def _segment(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "token",
    [
        "one.two",
        "%%%.%%%.sig",
        f"{_segment([])}.{_segment({})}.sig",
        f"{_segment({'kid': 7})}.{_segment({'aud': 'a'})}.sig",
        f"{_segment({'kid': 'k'})}.{_segment({'aud': ['a', 3]})}.sig",
        ".".join([_segment({"kid": "k"}), _segment({"aud": "a", "iss": "bad" + chr(0)}), "sig"]),
    ],
)
def test_tokens_that_are_not_json_objects_with_text_claims_are_refused_before_the_library_reads_them(token):
    with pytest.raises(LaunchRefused) as refused:
        check_token_shape(token)
    assert refused.value.status == 400
