"""Alembic environment: the URL comes from the caller's config; batch mode for SQLite."""

from alembic import context

import elearn.models  # noqa: F401 - registers every table on Base
from elearn.db import Base, UTCDateTime, make_engine

config = context.config
target_metadata = Base.metadata


def _render_item(type_, obj, autogen_context):
    """Write the app's UTC type as plain DateTime(timezone=True): a migration must not import app code,
    which changes after the migration is written."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url")
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            render_item=_render_item,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
