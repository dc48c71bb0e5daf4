"""Database glue: declarative Base, a UTC datetime type, the engine and one session per request."""

import contextlib
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from .sqlite_engine import make_sqlite_engine, sqlite_immediate

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)


class UTCDateTime(sa.types.TypeDecorator):
    """Timezone-aware UTC datetimes on both SQLite (which has no time zones) and PostgreSQL."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def as_utc(value: datetime | str | None) -> datetime | None:
    """An aggregate (MIN, MAX) bypasses the column type: SQLite returns naive UTC, or text."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def make_engine(url: str) -> sa.Engine:
    # hide_parameters: error messages and logs never show bound values (password hashes, session tokens).
    if url.startswith("sqlite"):
        return make_sqlite_engine(url)
    return sa.create_engine(url, pool_pre_ping=True, hide_parameters=True)


@contextlib.contextmanager
def read_only():
    """For reads outside the request's own flow (a streamed response's generator runs after the
    view returns): a deferred BEGIN, so a long read never holds SQLite's write lock."""
    token = sqlite_immediate.set(False)
    try:
        yield
    finally:
        sqlite_immediate.reset(token)


def writes_on_get(view):
    """Mark a GET view that writes (e.g. records a page view), so SQLite locks at BEGIN."""
    view.writes_on_get = True
    return view


class Database:
    """Per-app engine and session factory (in app.extensions); `db.session` is the request's session."""

    def init_app(self, app) -> None:
        from flask import g, request

        engine = make_engine(app.config["DATABASE_URL"])
        app.extensions["elearn.db"] = sessionmaker(engine, expire_on_commit=False)

        @app.before_request
        def _choose_begin():
            view = app.view_functions.get(request.endpoint)
            writes = request.method not in ("GET", "HEAD", "OPTIONS") or getattr(view, "writes_on_get", False)
            g.begin_token = sqlite_immediate.set(writes)

        @app.teardown_request
        def _reset_begin(_exc):
            token = g.pop("begin_token", None)
            if token is not None:
                sqlite_immediate.reset(token)

        @app.teardown_appcontext
        def _close_session(_exc):
            session = g.pop("db_session", None)
            if session is not None:
                session.close()  # rolls back anything the view did not commit

    @staticmethod
    def sessionmaker_for(app) -> sessionmaker:
        return app.extensions["elearn.db"]

    @property
    def session(self) -> Session:
        from flask import current_app, g

        if "db_session" not in g:
            g.db_session = self.sessionmaker_for(current_app)()
        return g.db_session


db = Database()


def insert_if_absent(session: Session, row) -> bool:
    """Insert row inside a savepoint; False if a unique constraint says it is already there.

    Unique constraints, not read-then-write checks, are what make replays and races harmless.
    """
    savepoint = session.begin_nested()
    session.add(row)
    try:
        savepoint.commit()
        return True
    except sa.exc.IntegrityError:
        savepoint.rollback()
        return False


def upsert(session: Session, table: sa.Table, values: dict, key: list[str], update: list[str]) -> None:
    """Insert a row, or update the given columns of the row whose unique key it repeats: one statement,
    so a replay or a racing writer can neither duplicate the row nor fail on it."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).values(values)
    session.execute(
        statement.on_conflict_do_update(index_elements=key, set_={c: statement.excluded[c] for c in update})
    )


def str_enum(enum_cls) -> sa.Enum:
    """A portable enum column that stores the members' values ('open'), not their names, with a CHECK
    constraint so the database itself refuses any other string."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        length=20,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
        create_constraint=True,
        name=enum_cls.__name__.lower(),
    )
