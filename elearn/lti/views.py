"""The three LTI endpoints. Views are thin: pylti1p3 checks the token, the domain decides the account."""

from flask import current_app, jsonify, redirect, request, url_for
from pylti1p3.contrib.flask import FlaskMessageLaunch, FlaskOIDCLogin, FlaskRequest
from pylti1p3.exception import LtiException, OIDCException
from sqlalchemy.exc import IntegrityError

from ..db import db, utcnow
from ..domain.errors import LaunchRefused
from ..domain.people import lti_launch, lti_scores
from ..models import LtiPlatform, User
from ..web.access import public
from ..web.auth_session import start_session
from ..web.security import csrf, limiter
from . import bp
from .problems import AGAIN, check_token_shape, refusal
from .tool import DatabaseToolConf, NonceStorage, PlatformSession, tool_jwks

RESOURCE_LINK = "LtiResourceLinkRequest"


def launch_url() -> str:
    """Where the platform posts the id_token: the address registered with it, so built from PUBLIC_URL."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + url_for("lti.launch")


# CSRF exemption: the platform's page starts the login and posts the launch, so no elearn form token can be
# in either. The launch's forgery protection is the id_token's signature (the platform's key), the state
# cookie (this browser began the login) and the single-use nonce (lti_nonces); the login only redirects.
@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt
@public
@limiter.limit(lambda: current_app.config["LTI_LOGIN_RATE_LIMIT"])  # each login stores a nonce: no flooding
def login():
    oidc = FlaskOIDCLogin(FlaskRequest(), DatabaseToolConf(), launch_data_storage=NonceStorage())
    try:
        return oidc.redirect(launch_url())
    except OIDCException as error:
        raise refusal(error) from None


@bp.route("/launch", methods=["POST"])
@csrf.exempt
@public
def launch():
    claims, platform = _checked_launch()
    now = utcnow()
    lti_launch.claim_nonce(db.session, claims["nonce"], now)
    try:
        enrolment = lti_launch.launch_enrolment(
            db.session, platform, lti_launch.LaunchClaims.from_id_token(claims), now
        )
    except IntegrityError:  # another launch for the same new person (a double click) created them first
        db.session.rollback()  # so the error page can still read the database
        raise LaunchRefused("Another launch for you was being set up at the same moment. " + AGAIN, 409) from None
    lti_scores.remember_score_target(db.session, platform, enrolment, claims, now)
    user = db.session.get(User, enrolment.user_id)
    user.last_sign_in_at = now
    start_session(user)  # a fresh session: nothing from before the launch is carried over
    response = redirect(url_for("learn.course", enrolment_id=enrolment.id), 303)
    # The state cookie has done its work.
    response.delete_cookie(f"lti1p3-{request.form['state']}", path="/", secure=request.is_secure, httponly=True)
    return response


def _checked_launch() -> tuple[dict, LtiPlatform]:
    """The id_token's claims once pylti1p3 has checked the state, nonce, registration (issuer and audience),
    signature against the platform's key set, expiry, deployment and message; and the platform it came from."""
    check_token_shape(request.form.get("id_token"))
    tool_conf = DatabaseToolConf()
    message = FlaskMessageLaunch(
        FlaskRequest(), tool_conf, launch_data_storage=NonceStorage(), requests_session=PlatformSession()
    )
    try:
        claims = message.get_launch_data()
    except LtiException as error:
        raise refusal(error) from None
    if claims.get("https://purl.imsglobal.org/spec/lti/claim/message_type") != RESOURCE_LINK:
        raise LaunchRefused("elearn opens course links only (LtiResourceLinkRequest), not this kind of launch.", 400)
    return claims, tool_conf.platform(message.get_iss(), message.get_client_id())


@bp.route("/launch", methods=["GET"], endpoint="launch_page")
@public
def launch_opened_directly():
    raise LaunchRefused("Open elearn from your learning platform: this address only accepts its launches.", 400)


@bp.route("/jwks.json")
@public
def jwks():
    return jsonify(tool_jwks())
