"""The read-only completions API under /api/v1 (importing the views registers the routes)."""

from . import views  # noqa: F401
from .blueprint import bp

__all__ = ["bp"]
