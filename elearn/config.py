"""Layered configuration: defaults -> instance/config.py -> ELEARN_* environment -> test mapping."""

import json
import os
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
    DEADLINE_DAYS_BEFORE = 2
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    SESSION_IDLE_MINUTES = 120
    SESSION_MAX_HOURS = 12
    PERMANENT_SESSION_LIFETIME = 12 * 3600
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session; no timeout mid-quiz
    # Links in emails start with this (emails are also sent from cron, outside any request).
    PUBLIC_URL = "http://127.0.0.1:5000"
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
    # Sign-in attempts per client address; use Redis in production so every worker shares counts.
    SIGN_IN_RATE_LIMIT = "10 per minute;50 per hour"  # per address and email
    SIGN_IN_RATE_LIMIT_PER_ADDRESS = "100 per minute"
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True


class ConfigError(RuntimeError):
    pass


def load_config(app, test_config: dict | None = None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    for key, value in os.environ.items():
        if key.startswith("ELEARN_"):
            app.config[key.removeprefix("ELEARN_")] = _parse(value)
    if test_config:
        app.config.update(test_config)
    if app.config["ENV"] in ("development", "testing"):
        app.config["SESSION_COOKIE_SECURE"] = False
        app.config.setdefault("SECRET_KEY", None)
        app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or DEV_SECRET_KEY
    elif not app.config["SECRET_KEY"] or app.config["SECRET_KEY"] == DEV_SECRET_KEY:
        raise ConfigError(
            "SECRET_KEY is missing or is the development default. Set ELEARN_SECRET_KEY to a long "
            "random value (python -c 'import secrets; print(secrets.token_hex(32))'), or set "
            "ELEARN_ENV=development for local use."
        )
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'elearn.db'}"


def _parse(value: str):
    """ELEARN_FOO=5 -> 5, =true -> True; anything that is not JSON stays a string."""
    try:
        return json.loads(value)
    except ValueError:
        return value
