"""What went wrong with a launch, in plain words: pylti1p3's errors mapped to a status and a sentence, and
a check of the id_token's shape before pylti1p3 reads it (it assumes JSON objects and strings)."""

import base64
import binascii
import json

from pylti1p3.exception import LtiException, OIDCException

from ..domain.errors import LaunchRefused
from ..domain.people.lti_launch import REPLAYED

AGAIN = "Go back to your learning platform and open the link again."
UNKNOWN_PLATFORM = (
    "elearn does not know this learning platform: there is no registration for its issuer and client id "
    "(the token's audience). Ask your elearn administrator to register it."
)
MALFORMED = "The launch from your learning platform was not a signed LTI token that elearn can read. " + AGAIN

# (start of pylti1p3's message, HTTP status, what to tell the person)
LAUNCH_PROBLEMS = [
    ("Missing id_token", 400, "The launch from your learning platform had no id_token. " + AGAIN),
    ("Missing state param", 400, "The launch from your learning platform had no state. " + AGAIN),
    (
        "State not found",
        400,
        "This launch did not start in this browser, or took more than 5 minutes, or your browser blocked "
        "elearn's cookie. " + AGAIN,
    ),
    ("Invalid id_token", 400, MALFORMED),
    ("Invalid JWT format", 400, MALFORMED),
    ('"nonce" is empty', 400, "The launch's id_token has no nonce. " + AGAIN),
    ("Invalid Nonce", 401, REPLAYED + "."),
    ('"iss" is empty', 400, "The launch's id_token does not name its issuer. " + AGAIN),
    ("Registration not found", 403, UNKNOWN_PLATFORM),
    ("Client id not registered", 403, UNKNOWN_PLATFORM),
    ("JWT KID not found", 401, "The launch's id_token does not name the key it was signed with (kid)."),
    ("JWT ALG not found", 401, "The launch's id_token does not name its signing algorithm (alg)."),
    (
        "Unable to find public key",
        401,
        "The launch was signed with a key your learning platform does not publish (unknown key id or algorithm).",
    ),
    ("Can't convert JWT key", 401, "Your learning platform publishes a signing key elearn cannot read."),
    ("Can't decode id_token: Signature has expired", 401, "The launch has expired. " + AGAIN),
    ("Can't decode id_token: The token is not yet valid", 401, "The launch is dated in the future. " + AGAIN),
    (
        "Can't decode id_token",
        401,
        "The launch's signature does not match your learning platform's keys, so elearn cannot trust it.",
    ),
    ("Error during fetch URL", 502, "elearn could not fetch your learning platform's signing keys. Try again later."),
    ("Invalid response from", 502, "Your learning platform's signing keys could not be read. Try again later."),
    ("Invalid URL", 502, "Your learning platform's key set address is not a web address. Ask your administrator."),
    (
        "Unable to find deployment",
        403,
        "This deployment of elearn on your learning platform is not registered. Ask your elearn administrator.",
    ),
    ("deployment_id is not set", 400, "The launch does not name its deployment (deployment_id). " + AGAIN),
]
LOGIN_PROBLEMS = [
    ("Could not find issuer", 400, "The login request from your learning platform did not name its issuer (iss)."),
    ("Could not find login hint", 400, "The login request from your learning platform had no login_hint."),
    ("Could not find registration", 403, UNKNOWN_PLATFORM),
]


def refusal(error: LtiException | OIDCException) -> LaunchRefused:
    text = str(error)
    problems = LOGIN_PROBLEMS if isinstance(error, OIDCException) else LAUNCH_PROBLEMS
    for start, status, message in problems:
        if text.startswith(start):
            return LaunchRefused(message, status)
    # The message validators' own words name the missing claim (e.g. "Missing Resource Link Id").
    return LaunchRefused(f"The launch is missing something elearn needs: {text}. {AGAIN}", 400)


def check_token_shape(id_token: str | None) -> None:
    """Refuse (400) an id_token whose header or body is not a JSON object with text where text belongs."""
    if not id_token:
        return  # pylti1p3 says "Missing id_token"
    parts = id_token.split(".")
    if len(parts) != 3:
        raise LaunchRefused(MALFORMED, 400)
    header, body = (_json_object(part) for part in parts[:2])
    for name in ("kid", "alg"):
        _text_or_absent(header, name)
    for name in ("iss", "nonce", "sub", "email", "name", "given_name", "family_name"):
        _text_or_absent(body, name)
    _text_or_absent(body, "https://purl.imsglobal.org/spec/lti/claim/deployment_id")
    audience = body.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if not audiences or not all(_is_text(a) for a in audiences):
        raise LaunchRefused("The launch's id_token does not name elearn's client id as its audience (aud).", 400)


def _json_object(segment: str) -> dict:
    try:
        value = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (binascii.Error, ValueError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise LaunchRefused(MALFORMED, 400) from None
    if not isinstance(value, dict):
        raise LaunchRefused(MALFORMED, 400)
    return value


def _text_or_absent(claims: dict, name: str) -> None:
    if name in claims and not _is_text(claims[name]):
        raise LaunchRefused(f"The launch's id_token has a {name} that is not text. {AGAIN}", 400)


def _is_text(value) -> bool:
    return isinstance(value, str) and len(value) <= 1000 and value.isprintable()
