"""Database models, one file per aggregate. Importing this registers every table on Base."""

from .audit import AuditEvent
from .cohorts import (
    Attendance,
    Cohort,
    CohortState,
    Competence,
    CourseType,
    Enrolment,
    Organisation,
    RefresherNotice,
    ReminderSent,
    StaffReminder,
    cohort_trainers,
)
from .emailed_links import Invitation, PasswordReset
from .files import FileKind, FileStatus, PreparedFile
from .progress import Attempt, AttemptAnswer, AttemptState, Completion, PageView, Reflection
from .users import Role, User, organisation_managers

__all__ = [
    "Attempt",
    "AttemptAnswer",
    "Attendance",
    "Competence",
    "AttemptState",
    "AuditEvent",
    "Cohort",
    "CohortState",
    "Completion",
    "CourseType",
    "Enrolment",
    "FileKind",
    "FileStatus",
    "Invitation",
    "Organisation",
    "PageView",
    "Reflection",
    "PasswordReset",
    "PreparedFile",
    "RefresherNotice",
    "ReminderSent",
    "Role",
    "StaffReminder",
    "User",
    "cohort_trainers",
    "organisation_managers",
]
