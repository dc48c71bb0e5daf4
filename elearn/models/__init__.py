"""Database models, one file per aggregate. Importing this registers every table on Base."""
from .audit import AuditEvent
from .cohorts import Cohort, CohortState, CourseType, Enrolment, Organisation, cohort_trainers
from .progress import Attempt, AttemptAnswer, AttemptState, Completion, PageView
from .users import Role, User

__all__ = [
    "Attempt", "AttemptAnswer", "AttemptState", "AuditEvent", "Cohort", "CohortState",
    "Completion", "CourseType", "Enrolment", "Organisation", "PageView",
    "Role", "User", "cohort_trainers",
]
