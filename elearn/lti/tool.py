"""pylti1p3 wired to elearn: platform registrations from the database, nonces kept server-side, the tool's key.

Why nonces are not in the Flask session (pylti1p3's default): the platform's launch is a cross-site form
POST, and elearn's session cookie is SameSite=Lax, so the browser does not send it with that POST; and a
per-session check would not stop a replay from another browser anyway. The nonce lives in the database
(`lti_nonces`), and the state goes in pylti1p3's own short-lived cookie, which it marks SameSite=None; Secure
over HTTPS, so it does come back with the POST and ties the launch to the browser that began the login.
"""

import json
from functools import lru_cache
from pathlib import Path

import requests
import sqlalchemy as sa
from flask import current_app
from jwcrypto.jwk import JWK
from pylti1p3.deployment import Deployment
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract

from ..db import db, utcnow
from ..domain.people import lti_launch
from ..models import LtiPlatform

NONCE_KEY = "lti1p3-nonce-"  # pylti1p3's key for a nonce in its launch data storage
LOGIN_MINUTES = 5  # between login and launch: as long as pylti1p3's state cookie lives
PLATFORM_TIMEOUT_SECONDS = 10  # fetching a platform's keys (or a token) must not hold a worker for ever


class DatabaseToolConf(ToolConfAbstract):
    """Registrations by (issuer, client_id), read from `lti_platforms`; an issuer may register many clients."""

    def __init__(self):
        self.issuers_relation_types = {}  # per instance: pylti1p3's default is a class-level dict

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def platform(self, iss: str | None, client_id: str | None) -> LtiPlatform | None:
        if not iss:
            return None
        query = sa.select(LtiPlatform).where(LtiPlatform.issuer == iss)
        if client_id:
            return db.session.scalar(query.where(LtiPlatform.client_id == client_id))
        matches = db.session.scalars(query.limit(2)).all()  # login without client_id: only if unambiguous
        return matches[0] if len(matches) == 1 else None

    def find_registration_by_issuer(self, iss, *args, **kwargs):
        return self.registration_for(self.platform(iss, None))

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        return self.registration_for(self.platform(iss, client_id))

    def find_deployment(self, iss, deployment_id):
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        platform = self.platform(iss, client_id)
        if platform is None or deployment_id not in (platform.deployment_ids or []):
            return None
        return Deployment().set_deployment_id(deployment_id)

    @staticmethod
    def registration_for(platform: LtiPlatform | None) -> Registration | None:
        if platform is None:
            return None
        registration = (
            Registration()
            .set_issuer(platform.issuer)
            .set_client_id(platform.client_id)
            .set_auth_login_url(platform.auth_login_url)
            .set_auth_token_url(platform.auth_token_url)
            .set_key_set_url(platform.keyset_url)
        )
        private_key = tool_private_key()
        if private_key:  # for grade passback: signs the token request; its public half names the kid
            registration.set_tool_private_key(private_key).set_tool_public_key(tool_public_key(private_key))
        return registration


class NonceStorage(LaunchDataStorage):
    """pylti1p3's launch data storage, for nonces only, in `lti_nonces`. With no session cookie name, its
    keys are not tied to a browser session. Other launch data (the id_token body pylti1p3 would cache for
    later requests) is not kept: elearn acts on the launch at once."""

    _session_cookie_name = ""

    def can_set_keys_expiration(self) -> bool:
        return True

    def set_value(self, key, value, exp=None):
        if key.startswith(NONCE_KEY):
            lti_launch.issue_nonce(db.session, key.removeprefix(NONCE_KEY), utcnow(), LOGIN_MINUTES)

    def get_value(self, key):
        return None

    def check_value(self, key) -> bool:
        if not key.startswith(NONCE_KEY):
            return False
        return lti_launch.nonce_is_open(db.session, key.removeprefix(NONCE_KEY), utcnow())


class PlatformSession(requests.Session):
    """pylti1p3 fetches the platform's keys with requests and no timeout: give every request one."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", PLATFORM_TIMEOUT_SECONDS)
        return super().request(*args, **kwargs)


def tool_private_key() -> str | None:
    path = current_app.config.get("LTI_PRIVATE_KEY_FILE")
    return _read_key(str(path)) if path else None


@lru_cache(maxsize=4)
def _read_key(path: str) -> str:
    return Path(path).read_text(encoding="ascii")


def tool_public_key(private_key: str) -> str:
    return JWK.from_pem(private_key.encode("ascii")).export_to_pem().decode("ascii")


def tool_jwks() -> dict:
    """The tool's public key as a JSON Web Key Set, for platforms to check what elearn signs."""
    private_key = tool_private_key()
    if not private_key:
        return {"keys": []}
    public = json.loads(JWK.from_pem(private_key.encode("ascii")).export_public())
    return {"keys": [{**public, "alg": "RS256", "use": "sig"}]}
