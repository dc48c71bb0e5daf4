"""Database models, one file per aggregate. Importing this registers every table on Base."""

from .api_tokens import ApiToken
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
from .lti import LtiLink, LtiNonce, LtiPlatform, LtiScoreTarget
from .progress import Attempt, AttemptAnswer, AttemptState, Completion, PageView, Reflection
from .users import Role, User, organisation_managers
from .xapi import XapiActor, XapiStatement

__all__ = [
    "ApiToken",
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
    "LtiLink",
    "LtiNonce",
    "LtiPlatform",
    "LtiScoreTarget",
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
    "XapiActor",
    "XapiStatement",
    "cohort_trainers",
    "organisation_managers",
]
