"""Alembic is the only way the schema changes: upgrading an empty database matches the models, every
migration can be undone, and the database itself refuses values the rules forbid."""

import uuid

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import make_url

import elearn.models  # noqa: F401 - registers every table
from elearn.db import Base, Database
from elearn.migrate import alembic_config, upgrade_to_head


# SQLite cannot reflect an expression index (lower(email)); Alembic says so and compares the rest.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_upgrade_from_empty_matches_the_models(app):
    # The session-wide database was built by upgrade_to_head (see conftest.database_url).
    engine = Database.sessionmaker_for(app).kw["bind"]
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


@pytest.fixture
def scratch_url(database_url, tmp_path):
    """An empty database of the same kind as the suite's, thrown away afterwards."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    name = f"elearn_scratch_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def test_every_migration_downgrades_and_upgrades_again(scratch_url):
    upgrade_to_head(scratch_url)
    command.downgrade(alembic_config(scratch_url), "base")
    engine = sa.create_engine(scratch_url)
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade_to_head(scratch_url)
    engine = sa.create_engine(scratch_url)
    assert {"users", "cohorts", "attempts", "completions"} <= set(sa.inspect(engine).get_table_names())
    engine.dispose()


# Plain strings through untyped columns: the ORM's own enum and date checks must not get in first.
COHORT = dict(
    title="T",
    course_type="initial",
    venue="V",
    address="",
    starts_on="2027-03-10",
    days=1,
    start_time="09:30:00",
    end_time="16:30:00",
    capacity=12,
    deadline_on="2027-03-08",
    state="draft",
)


@pytest.mark.parametrize(
    ("table", "values"),
    [
        ("cohorts", {**COHORT, "capacity": 0}),
        ("cohorts", {**COHORT, "days": 3}),
        ("cohorts", {**COHORT, "deadline_on": "2027-03-10"}),
        ("cohorts", {**COHORT, "end_time": "09:00:00"}),
        ("cohorts", {**COHORT, "state": "archived"}),
        (
            "users",
            {"email": "Sam@Example.org", "full_name": "S", "role": "trainee", "session_token": "b", "is_active": True},
        ),
        (
            "users",
            {"email": "x@example.org", "full_name": "S", "role": "owner", "session_token": "c", "is_active": True},
        ),
    ],
    ids=[
        "capacity 0",
        "3 days",
        "deadline on the day",
        "ends before start",
        "unknown state",
        "email case",
        "unknown role",
    ],
)
def test_the_database_refuses_what_the_rules_forbid(app, table, values):
    engine = Database.sessionmaker_for(app).kw["bind"]
    now = sa.func.current_timestamp()
    with engine.begin() as conn:  # a valid user and cohort first, to collide with
        conn.execute(
            sa.text(
                "INSERT INTO users (email, full_name, role, session_token, is_active, created_at) "
                "VALUES ('sam@example.org', 'S', 'trainee', 'a', true, CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(_untyped("cohorts", COHORT).values(**COHORT, created_at=now))
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(_untyped(table, values).values(**values, created_at=now))


def _untyped(name: str, values: dict):
    return sa.table(name, *(sa.column(key) for key in [*values, "created_at"])).insert()


def test_accounts_from_before_email_confirmation_count_as_confirmed(tmp_path):
    import sqlalchemy as sa
    from alembic import command

    from elearn.migrate import alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0005")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO users (email, full_name, role, session_token, is_active, created_at)"
                " VALUES ('old@example.org', 'Old Hand', 'trainee', 'token', 1, '2025-01-02 03:04:05')"
            )
        )
    command.upgrade(alembic_config(url), "head")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT email_confirmed_at FROM users")).scalar() == "2025-01-02 03:04:05"
    engine.dispose()
