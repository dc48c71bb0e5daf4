"""The course day as an iCalendar file, so trainees can put it in their own calendar."""

from datetime import datetime, timedelta

from icalendar import Calendar, Event

from ..domain.cohorts.schedule import UK
from ..models import Cohort


def course_day_calendar(cohort: Cohort, provider_name: str, now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{provider_name}//elearn//EN")
    calendar.add("version", "2.0")
    for day in range(cohort.days):
        date = cohort.starts_on + timedelta(days=day)
        event = Event()
        event.add("uid", f"cohort-{cohort.id}-day-{day + 1}@elearn")
        event.add("dtstamp", now)
        event.add("dtstart", datetime.combine(date, cohort.start_time, tzinfo=UK))
        event.add("dtend", datetime.combine(date, cohort.end_time, tzinfo=UK))
        suffix = f" (day {day + 1} of {cohort.days})" if cohort.days > 1 else ""
        event.add("summary", f"{cohort.title}{suffix}")
        event.add("location", ", ".join(part for part in (cohort.venue, cohort.address) if part))
        event.add(
            "description",
            f"In-person restraint reduction training. Finish your pre-course learning "
            f"with {provider_name} by {cohort.deadline_on:%d/%m/%Y}.",
        )
        calendar.add_component(event)
    return calendar.to_ical()
