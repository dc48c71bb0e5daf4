"""A learning platform (LMS) simulated for the LTI tests: its own RSA key, its key set served over real HTTP
from a thread, and id_tokens signed with PyJWT (RS256, with a kid), as a real platform would send them.
For grade passback it also serves a token URL (checking the tool's signed client assertion against the
tool's key set) and line items that accept scores only with a token it issued."""

import html
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from elearn.domain.people.lti_platforms import PlatformDetails, save_platform
from elearn.models import Organisation

from ..factories import make_cohort

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


def new_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


class SimulatedPlatform:
    issuer = "https://lms.example.org"
    client_id = "elearn-tool-client"
    deployment_id = "deployment-1"
    kid = "platform-key-1"

    def __init__(self):
        self.key = new_rsa_key()
        self.requests: list[str] = []  # paths the tool fetched from us
        self.tool_jwks: dict = {"keys": []}  # the tool's key set, as an admin registers it with the platform
        self.access_tokens: set[str] = set()
        self.scores: list[tuple[str, dict]] = []  # (line item path, score) accepted
        self.refuse_scores = False
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                platform.requests.append(self.path)
                if self.path.startswith("/auth?"):
                    self.send_page(platform.auth_page(self.path))
                    return
                if self.path != "/jwks.json":
                    self.send_error(404)
                    return
                body = json.dumps(platform.jwks()).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):  # noqa: N802 - http.server's name
                platform.requests.append(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path == "/token":
                    status, reply = platform.token(parse_qs(body.decode()))
                elif self.path.startswith("/lineitems/") and self.path.endswith("/scores"):
                    status, reply = platform.score(self.path, self.headers, body)
                else:
                    status, reply = 404, None
                data = json.dumps(reply).encode() if reply is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def send_page(self, html: str) -> None:
                body = html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def keyset_url(self) -> str:
        return self.base_url + "/jwks.json"

    @property
    def auth_login_url(self) -> str:
        return self.base_url + "/auth"

    @property
    def auth_token_url(self) -> str:
        return self.base_url + "/token"

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def claims(self, nonce: str, **changes) -> dict:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": "learner-1",
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "email": "sam.learner@example.org",
            "name": "Sam Learner",
            LTI + "message_type": "LtiResourceLinkRequest",
            LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id,
            LTI + "target_link_uri": "http://127.0.0.1:5000/lti/launch",
            LTI + "resource_link": {"id": f"resource-{uuid.uuid4()}"},
            LTI + "roles": [LEARNER],
        }
        claims.update(changes)
        return {name: value for name, value in claims.items() if value is not None}  # None: leave the claim out

    def id_token(self, claims: dict, key: rsa.RSAPrivateKey | None = None, kid: str | None = None) -> str:
        return jwt.encode(claims, private_pem(key or self.key), algorithm="RS256", headers={"kid": kid or self.kid})

    def auth_page(self, path: str) -> str:
        """The platform's OIDC authentication response: a page whose form posts the signed id_token and the
        state to the tool's redirect_uri (a real platform submits it by script; the test presses the button)."""
        query = {name: values[0] for name, values in parse_qs(urlsplit(path).query).items()}
        token = self.id_token(self.claims(query["nonce"]))
        return (
            '<!doctype html><html lang="en"><head><title>Platform</title></head><body><main>'
            f'<form method="post" action="{html.escape(query["redirect_uri"])}">'
            f'<input type="hidden" name="id_token" value="{token}">'
            f'<input type="hidden" name="state" value="{html.escape(query["state"])}">'
            "<button>Continue to elearn</button></form></main></body></html>"
        )

    def token(self, form: dict) -> tuple[int, dict]:
        """OAuth2 client_credentials with a JWT client assertion signed by the tool's key (RFC 7523)."""
        field = {name: values[0] for name, values in form.items()}
        if field.get("grant_type") != "client_credentials" or SCORE_SCOPE not in field.get("scope", "").split():
            return 400, {"error": "invalid_request"}
        assertion = field.get("client_assertion", "")
        kid = jwt.get_unverified_header(assertion).get("kid")
        keys = [k for k in self.tool_jwks["keys"] if k.get("kid") == kid]
        if not keys:
            return 401, {"error": "invalid_client"}
        public_key = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(keys[0]))
        try:
            jwt.decode(assertion, public_key, algorithms=["RS256"], audience=self.auth_token_url, issuer=self.client_id)
        except jwt.InvalidTokenError:
            return 401, {"error": "invalid_client"}
        token = f"access-{uuid.uuid4()}"
        self.access_tokens.add(token)
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600, "scope": SCORE_SCOPE}

    def score(self, path: str, headers, body: bytes) -> tuple[int, dict | None]:
        if headers.get("Authorization", "").removeprefix("Bearer ") not in self.access_tokens:
            return 401, {"error": "invalid_token"}
        if headers.get("Content-Type") != "application/vnd.ims.lis.v1.score+json":
            return 415, None
        if self.refuse_scores:
            return 503, None
        self.scores.append((path, json.loads(body)))
        return 204, None

    def ags_claim(self, lineitem_path: str = "/lineitems/7") -> dict:
        return {
            "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
                "scope": [SCORE_SCOPE],
                "lineitem": self.base_url + lineitem_path,
                "lineitems": self.base_url + "/lineitems",
            }
        }

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


LAUNCH_URL = "http://127.0.0.1:5000/lti/launch"  # PUBLIC_URL's default + /lti/launch


def register(session, platform):
    """The platform registered for an organisation, launching onto one of its cohorts."""
    organisation = Organisation(name="Acme Care")
    session.add(organisation)
    session.flush()
    cohort = make_cohort(session, organisation_id=organisation.id)
    save_platform(
        session,
        PlatformDetails(
            name="Acme Moodle",
            issuer=platform.issuer,
            client_id=platform.client_id,
            deployment_ids=(platform.deployment_id,),
            auth_login_url=platform.auth_login_url,
            auth_token_url=platform.auth_token_url,
            keyset_url=platform.keyset_url,
            organisation_id=organisation.id,
            cohort_id=cohort.id,
        ),
    )
    session.commit()
    return organisation, cohort


def begin_login(client, platform) -> tuple[str, str]:
    """The platform's login initiation; returns the state and nonce elearn sent to the platform."""
    response = client.get(
        "/lti/login",
        query_string={
            "iss": platform.issuer,
            "client_id": platform.client_id,
            "login_hint": "opaque-user-hint",
            "lti_message_hint": "opaque-link-hint",
            "target_link_uri": LAUNCH_URL,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == platform.auth_login_url
    params = {name: values[0] for name, values in parse_qs(location.query).items()}
    assert params["redirect_uri"] == LAUNCH_URL
    assert params["client_id"] == platform.client_id
    assert params["login_hint"] == "opaque-user-hint" and params["lti_message_hint"] == "opaque-link-hint"
    assert (params["scope"], params["response_type"], params["response_mode"]) == ("openid", "id_token", "form_post")
    assert params["state"] and params["nonce"]
    return params["state"], params["nonce"]


def launch(client, platform, key=None, kid=None, **changes):
    state, nonce = begin_login(client, platform)
    token = platform.id_token(platform.claims(nonce, **changes), key=key, kid=kid)
    return client.client.post("/lti/launch", data={"id_token": token, "state": state}), token, state
