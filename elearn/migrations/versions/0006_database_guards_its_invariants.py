"""The database guards its own invariants: CHECK constraints on ranges and enums, a case-insensitive
unique email, and indexes for "my cohorts" (trainer) and the audit log by actor.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The enum values as they stand at this revision (written out: a migration never imports app code).
ENUMS = {
    "users": {"role": ("trainee", "trainer", "admin")},
    "cohorts": {
        "course_type": ("initial", "refresher"),
        "state": ("draft", "open", "closed", "delivered"),
    },
    "enrolments": {
        "attendance": ("not_recorded", "attended", "day_1_only", "day_2_only", "absent"),
        "competence": ("not_assessed", "competent", "not_yet_competent"),
    },
    "attempts": {"state": ("open", "submitted", "void")},
}
CHECKS = {
    "cohorts": {
        "capacity_positive": "capacity > 0",
        "days_one_or_two": "days IN (1, 2)",
        "deadline_before_start": "deadline_on < starts_on",
        "ends_after_start": "end_time > start_time",
    },
    "reminders_sent": {"days_before_not_negative": "days_before >= 0"},
    "attempts": {
        "pass_mark_percent": "pass_mark BETWEEN 1 AND 100",
        "score_percent": "score_percent IS NULL OR score_percent BETWEEN 0 AND 100",
        "correct_count_not_negative": "correct_count IS NULL OR correct_count >= 0",
        "submitted_is_graded": "state != 'submitted' OR (submitted_at IS NOT NULL AND score_percent IS NOT NULL)",
    },
}


def _all_checks():
    for table, columns in ENUMS.items():
        for column, values in columns.items():
            yield (
                table,
                f"ck_{table}_{_enum_name(table, column)}",
                f"{column} IN ({', '.join(repr(v) for v in values)})",
            )
    for table, checks in CHECKS.items():
        for name, condition in checks.items():
            yield table, f"ck_{table}_{name}", condition


def _enum_name(table: str, column: str) -> str:
    # The models name each enum after its class: Role, CourseType, CohortState, Attendance, Competence, AttemptState.
    return {
        ("users", "role"): "role",
        ("cohorts", "course_type"): "coursetype",
        ("cohorts", "state"): "cohortstate",
        ("enrolments", "attendance"): "attendance",
        ("enrolments", "competence"): "competence",
        ("attempts", "state"): "attemptstate",
    }[(table, column)]


def upgrade() -> None:
    for table in ("users", "cohorts", "enrolments", "attempts", "reminders_sent"):
        with op.batch_alter_table(table) as batch_op:
            for owner, name, condition in _all_checks():
                if owner == table:
                    batch_op.create_check_constraint(op.f(name), sa.text(condition))
    op.create_index("uq_users_email_lower", "users", [sa.text("lower(email)")], unique=True)
    op.create_index("ix_audit_events_actor_id", "audit_events", ["actor_id"])
    op.create_index("ix_cohort_trainers_user_id", "cohort_trainers", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_cohort_trainers_user_id", "cohort_trainers")
    op.drop_index("ix_audit_events_actor_id", "audit_events")
    op.drop_index("uq_users_email_lower", "users")
    for table in ("reminders_sent", "attempts", "enrolments", "cohorts", "users"):
        with op.batch_alter_table(table) as batch_op:
            for owner, name, _condition in _all_checks():
                if owner == table:
                    batch_op.drop_constraint(op.f(name), type_="check")
