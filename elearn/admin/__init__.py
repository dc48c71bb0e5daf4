"""The admin blueprint and its pages (importing a page module registers its routes)."""

from . import api_tokens, audit, bulk, exports, jobs, prepared, refreshers, users, views  # noqa: F401
from .blueprint import bp

__all__ = ["bp"]
