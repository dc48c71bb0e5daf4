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
