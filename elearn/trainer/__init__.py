"""The trainer blueprint and its pages (importing a page module registers its routes)."""

from . import reminders, views  # noqa: F401
from .views import bp

__all__ = ["bp"]
