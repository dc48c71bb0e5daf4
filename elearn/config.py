"""Layered configuration: defaults -> instance/config.py -> ELEARN_* environment -> test mapping."""

import os
import re
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# A marker, not a secret: outside development and tests the app refuses to start with it.
DEV_SECRET_KEY = "dev-only-insecure-secret-key"  # nosec B105


class Defaults:
    ENV = "production"  # production | development | testing
    SECRET_KEY = None
    DATABASE_URL = None  # default: sqlite in the instance folder
    CONTENT_DIR = str(PROJECT_ROOT)  # holds modules/ and quizzes/
    PROVIDER_NAME = "elearn"
    PROVIDER_COLOUR = "#1d70b8"
    # Shown on the privacy notice and accessibility statement (UK GDPR Article 13: who holds the data, how to ask).
    PROVIDER_CONTACT_EMAIL = None  # where people send data requests and accessibility problems
    PROVIDER_ADDRESS = None
    PRIVACY_LAWFUL_BASIS = (
        "legitimate interests (UK GDPR Article 6(1)(f)): your employer and the training provider need a record "
        "that staff who may use restrictive interventions have done the training required first"
    )
    ACCESSIBILITY_STATEMENT_DATE = "2 December 2026"  # when the accessibility statement was last reviewed
    DEADLINE_DAYS_BEFORE = 2
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    SESSION_IDLE_MINUTES = 120
    SESSION_MAX_HOURS = 12
    PERMANENT_SESSION_LIFETIME = 12 * 3600
    # The cookie is signed and sent again only when the session changes (seen_at moves at most once a
    # minute, which also renews its expiry), not on every request.
    SESSION_REFRESH_EACH_REQUEST = False
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session; no timeout mid-quiz
    # Links in emails start with this (emails are also sent from cron, outside any request).
    PUBLIC_URL = "http://127.0.0.1:5000"  # production refuses anything but https://
    MAIL_BACKEND = None  # "smtp", or "outbox" (a folder; the default in development and tests)
    MAIL_HOST = "localhost"
    MAIL_PORT = 587
    MAIL_USE_STARTTLS = True
    MAIL_USE_TLS = False  # implicit TLS, usually port 465
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_FROM = "elearn <no-reply@example.org>"
    MAIL_TIMEOUT = 20
    MAIL_OUTBOX_DIR = None  # default: instance/outbox
    INVITATION_DAYS = 14
    PASSWORD_RESET_MINUTES = 60
    REMINDER_DAYS_BEFORE = [7, 2]  # days before the pre-learning deadline
    REMINDER_COPY_TRAINING_CONTACT = False
    REFRESHER_MONTHS = 12  # a competent outcome (or, failing that, the completion) is valid this long
    RETENTION_YEARS = 6  # `retention apply` anonymises people with no training newer than this
    # Failed sign-ins per client address and email: an attacker elsewhere cannot lock a person out.
    SIGN_IN_RATE_LIMIT = "10 per minute;50 per hour"
    SIGN_IN_RATE_LIMIT_PER_ADDRESS = "100 per minute"
    PASSWORD_RESET_EMAILS_PER_HOUR = 3  # per account: more requests send nothing more
    JOIN_RATE_LIMIT = "10 per 10 minutes;30 per day"  # wrong join codes per account
    VERIFY_RATE_LIMIT = "60 per minute"  # certificate checks per client address
    API_RATE_LIMIT = "300 per minute"  # completions API requests per token (without a working one: per address)
    # Counts must be shared by every worker: Redis in production (memory:// is per process).
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_STRATEGY = "moving-window"  # a fixed window lets twice the limit through at its edge
    RATELIMIT_HEADERS_ENABLED = True
    WORKERS = None  # worker processes; default: WEB_CONCURRENCY, or gunicorn's -w/--workers
    PROXY_HOPS = 0  # trusted reverse proxies in front (X-Forwarded-For/-Proto/-Host); 0 = none
    # Background jobs: "rq" (a Redis queue; `flask jobs worker` does the work) or "inline" (run at once,
    # in the request; the default in development and tests, so they need no Redis).
    JOBS = None
    REDIS_URL = "redis://127.0.0.1:6379/0"
    JOB_RETRY_INTERVALS = [30, 120, 600]  # seconds before each retry; then the job is kept as failed
    JOB_FAILURE_DAYS = 30  # how long failed jobs stay on the admin page
    # Prepared files (large XLSX, evidence packs): kept this long for the person who asked, then deleted.
    PREPARED_FILE_HOURS = 24
    PREPARED_FILE_BUILD_MINUTES = 30  # a build still running after this is taken to have died (and the job is stopped)
    # A completions XLSX up to this many rows is streamed at once; a longer one is prepared by the worker.
    XLSX_STREAM_MAX_ROWS = 5000
    LOG_FORMAT = None  # "json" (one object a line, with the request id) or "text"; json outside development
    METRICS_ENABLED = True  # /metrics for Prometheus; block it at the proxy (docs/deploy.md)
    # xAPI to a learning-record store: off until XAPI_LRS_URL is set (the LRS's xAPI endpoint).
    XAPI_LRS_URL = None  # e.g. https://lrs.example.org/xAPI/
    XAPI_LRS_USERNAME = None  # Basic auth: the LRS's key and secret
    XAPI_LRS_PASSWORD = None
    XAPI_ACTOR = "account"  # "account": a random pseudonym per person; "mbox": their email address
    XAPI_BATCH_SIZE = 50  # statements per POST
    XAPI_TIMEOUT = 10  # seconds per HTTP request to the LRS
    XAPI_RETRY_SECONDS = 60  # the first wait after a failed send; doubles each time...
    XAPI_RETRY_MAX_SECONDS = 3600  # ...up to this, and never gives up
    XAPI_CLAIM_SECONDS = 900  # a sender holds the statements it took this long (a crashed sender's come back)
    XAPI_KEEP_SENT_DAYS = 30  # delivered statements stay in the outbox this long, then `xapi send` deletes them
    # LTI 1.3: the tool's RSA private key (PEM), published as /lti/jwks.json and used to sign grade passback.
    LTI_PRIVATE_KEY_FILE = None
    LTI_LOGIN_RATE_LIMIT = "60 per minute"  # LTI logins per client address (each stores a nonce)


class ConfigError(RuntimeError):
    pass


def load_config(app, test_config: dict | None = None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("ELEARN")  # ELEARN_FOO=5 -> 5, =true -> True; non-JSON stays a string
    if test_config:
        app.config.update(test_config)
    if app.config["ENV"] in ("development", "testing"):
        app.config["SESSION_COOKIE_SECURE"] = False
        app.config.setdefault("SECRET_KEY", None)
        app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or DEV_SECRET_KEY
    else:
        _check_production(app.config)
        # __Host-: the browser only accepts it over HTTPS, for this exact host, on every path.
        if app.config["SESSION_COOKIE_NAME"] == "session":
            app.config["SESSION_COOKIE_NAME"] = "__Host-session"
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'elearn.db'}"


def _check_production(config) -> None:
    if not config["SECRET_KEY"] or config["SECRET_KEY"] == DEV_SECRET_KEY:
        raise ConfigError(
            "SECRET_KEY is missing or is the development default. Set ELEARN_SECRET_KEY to a long "
            "random value (python -c 'import secrets; print(secrets.token_hex(32))'), or set "
            "ELEARN_ENV=development for local use."
        )
    workers = worker_count(config)
    if workers > 1 and str(config["RATELIMIT_STORAGE_URI"]).startswith("memory://"):
        raise ConfigError(
            f"ELEARN_RATELIMIT_STORAGE_URI is memory:// but {workers} workers would each keep their own sign-in "
            "limits. Set ELEARN_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 (or run one worker)."
        )
    if not str(config["PUBLIC_URL"]).startswith("https://"):
        raise ConfigError(
            "PUBLIC_URL must be this site's https:// address (it starts every link in emails and QR codes). "
            "Set ELEARN_PUBLIC_URL=https://your.site"
        )


def worker_count(config) -> int:
    """Worker processes serving the app: the WORKERS setting, WEB_CONCURRENCY, or gunicorn's own -w."""
    declared = config.get("WORKERS") or os.environ.get("WEB_CONCURRENCY") or _gunicorn_workers(sys.argv)
    return int(declared or 1)


def _gunicorn_workers(argv: list[str]) -> int | None:
    if not argv or "gunicorn" not in argv[0]:  # the gunicorn script, or python -m gunicorn
        return None
    args = " ".join([*argv[1:], os.environ.get("GUNICORN_CMD_ARGS", "")])
    match = re.search(r"(?:^|\s)(?:-w\s*|--workers[=\s]+)(\d+)", args)
    return int(match.group(1)) if match else 1
