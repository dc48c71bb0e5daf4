"""Course content from files: load, validate and describe. No Flask, no database."""

from .errors import ContentError, ContentIssue
from .loader import content_version, load_course
from .model import Course, Module, Option, Outcome, Page, Question, QuizBank, Reflection

__all__ = [
    "ContentError",
    "ContentIssue",
    "Course",
    "Module",
    "Option",
    "Outcome",
    "Page",
    "Question",
    "QuizBank",
    "Reflection",
    "content_version",
    "load_course",
]
