"""Alembic is the only way the schema changes: upgrading an empty database matches the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import elearn.models  # noqa: F401 - registers every table
from elearn.db import Base, Database


def test_upgrade_from_empty_matches_the_models(app):
    # The session-wide database was built by upgrade_to_head (see conftest.database_url).
    engine = Database.sessionmaker_for(app).kw["bind"]
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


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
