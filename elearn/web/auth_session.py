"""Flask-Login wiring: users load by their rotating session token; idle and absolute timeouts."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app, flash, session
from flask_login import LoginManager, login_user, logout_user

from ..db import db, read_only, sqlite_immediate
from ..models import User
from . import pending_answer

login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"
login_manager.login_message = "Sign in to continue"
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"
# The idle timeout counts from the last request that moved seen_at: at most this many seconds early.
SEEN_AT_RESOLUTION = 60


def init_app(app) -> None:
    login_manager.init_app(app)
    app.before_request(_expire_stale_session)


# Built once: every signed-in request runs it, and building a statement costs more than running this one.
_USER_BY_TOKEN = sa.select(User).where(User.session_token == sa.bindparam("token"), User.is_active.is_(True))


@login_manager.user_loader
def _load_user(token: str) -> User | None:
    session = db.session
    if not sqlite_immediate.get() or session.in_transaction() or session.get_bind().dialect.name != "sqlite":
        return session.scalar(_USER_BY_TOKEN, {"token": token})
    # A write request on SQLite: its first statement would take the database's one write lock and hold it
    # for the whole request. Read who is asking in a short read of its own instead, so the lock is taken by
    # the request's first write-path statement (the claim on an attempt, say) and held only from there.
    with read_only():
        user = session.scalar(_USER_BY_TOKEN, {"token": token})
        session.commit()
    return user


def start_session(user: User) -> None:
    """A new session for a sign-in: nothing from before it (a planted cookie) is carried over."""
    session.clear()
    login_user(user)
    now = _now()
    session["signed_in_at"] = now
    session["seen_at"] = now
    session.permanent = True


def end_session() -> None:
    logout_user()
    session.clear()


def _expire_stale_session():
    if "_user_id" not in session:
        return
    now = _now()
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]).total_seconds()
    absolute = timedelta(hours=current_app.config["SESSION_MAX_HOURS"]).total_seconds()
    if now - session.get("seen_at", 0) > idle or now - session.get("signed_in_at", 0) > absolute:
        end_session()
        if pending_answer.keep_posted_answer():
            flash("You were signed out because you were away for a while. Sign in again to save your answer.", "info")
        else:
            flash(
                "You were signed out because you were away for a while. Answers you gave before then are saved.", "info"
            )
        return
    if now - session.get("seen_at", 0) >= SEEN_AT_RESOLUTION:
        session["seen_at"] = now  # not every request: an unchanged session is not signed and sent again


def _now() -> int:
    return int(datetime.now(UTC).timestamp())
