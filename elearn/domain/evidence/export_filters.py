"""What an export, a prepared file or an API page covers: the filters, applied to a query, and in words."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...formatting import uk_date
from ...models import Cohort, CourseType, Enrolment, Organisation, User
from ..cohorts.readiness import Readiness


@dataclass(frozen=True)
class ExportFilters:
    organisation_id: int | None = None
    cohort_id: int | None = None
    course_from: date | None = None
    course_to: date | None = None
    course_type: CourseType | None = None
    state: Readiness | None = None
    # A manager's scope: only the staff of these organisations (None: no limit).
    organisation_ids: tuple[int, ...] | None = None

    def describe(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, date) else str(v)) for k, v in vars(self).items() if v is not None}

    def as_json(self) -> dict:
        """The filters as JSON values, to be read back by from_json (a prepared file keeps them)."""
        values = self.describe()
        if self.organisation_ids is not None:
            values["organisation_ids"] = list(self.organisation_ids)
        for name in ("organisation_id", "cohort_id"):
            if name in values:
                values[name] = int(values[name])
        return values

    @classmethod
    def from_json(cls, values: dict) -> "ExportFilters":
        def day(name):
            return date.fromisoformat(values[name]) if values.get(name) else None

        scope = values.get("organisation_ids")
        return cls(
            organisation_id=values.get("organisation_id"),
            cohort_id=values.get("cohort_id"),
            course_from=day("course_from"),
            course_to=day("course_to"),
            course_type=CourseType(values["course_type"]) if values.get("course_type") else None,
            state=Readiness(values["state"]) if values.get("state") else None,
            organisation_ids=tuple(scope) if scope is not None else None,
        )

    def visible_within(self, scope: tuple[int, ...] | None) -> bool:
        """Whether someone whose scope is `scope` (None: everything) may still see what these filters cover."""
        if scope is None:
            return True
        return self.organisation_ids is not None and set(self.organisation_ids) <= set(scope)


def apply_filters(query: sa.Select, filters: ExportFilters) -> sa.Select:
    """The export's filters (except readiness, worked out per row) on a query joining Enrolment, User, Cohort."""
    if filters.organisation_id is not None:
        query = query.where(
            sa.or_(User.organisation_id == filters.organisation_id, Cohort.organisation_id == filters.organisation_id)
        )
    if filters.organisation_ids is not None:
        query = query.where(User.organisation_id.in_(filters.organisation_ids))
    if filters.cohort_id is not None:
        query = query.where(Enrolment.cohort_id == filters.cohort_id)
    if filters.course_from is not None:
        query = query.where(Cohort.starts_on >= filters.course_from)
    if filters.course_to is not None:
        query = query.where(Cohort.starts_on <= filters.course_to)
    if filters.course_type is not None:
        query = query.where(Cohort.course_type == filters.course_type)
    return query


def filters_in_words(session: Session, filters: ExportFilters) -> list[tuple[str, str]]:
    """What an export covers, as a person reads it: organisation and cohort by name, dates in words."""
    organisation = session.get(Organisation, filters.organisation_id) if filters.organisation_id else None
    cohort = session.get(Cohort, filters.cohort_id) if filters.cohort_id else None
    scope = filters.organisation_ids
    if scope is not None:  # a manager: never print the name of another organisation or its cohort
        organisation = organisation if organisation and organisation.id in scope else None
        cohort = cohort if cohort and cohort.organisation_id in scope else None
    return [
        (
            "Organisation",
            organisation.name if organisation else ("Your organisations" if scope is not None else "All organisations"),
        ),
        ("Cohort", f"{cohort.title}, {uk_date(cohort.starts_on)}" if cohort else "All cohorts"),
        ("Course dates", _date_range(filters.course_from, filters.course_to)),
        ("Course type", filters.course_type.value.capitalize() if filters.course_type else "Initial and refresher"),
        ("Readiness", filters.state.label if filters.state else "Any"),
    ]


def _date_range(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{uk_date(start)} to {uk_date(end)}"
    if start or end:
        return f"From {uk_date(start)}" if start else f"Up to {uk_date(end)}"
    return "Any date"
