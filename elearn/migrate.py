"""Run Alembic migrations programmatically (no alembic.ini needed)."""

import warnings
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_to_head(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "head")


def make_revision(database_url: str, message: str):
    """Developers: autogenerate a migration from the models (then read and edit it)."""
    numbers = [int(f.name[:4]) for f in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")]
    with warnings.catch_warnings():
        # SQLite cannot reflect expression indexes (lower(email)): Alembic compares everything else.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index")
        return command.revision(
            alembic_config(database_url),
            message=message,
            autogenerate=True,
            rev_id=f"{max(numbers, default=0) + 1:04d}",
        )  # ids stay in order: 0007, 0008, ...
