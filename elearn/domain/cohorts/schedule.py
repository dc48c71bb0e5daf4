"""Dates that matter to a trainee: the course day and the pre-learning deadline (UK time)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def today_in_uk(now: datetime | None = None) -> date:
    return (now or datetime.now(UK)).astimezone(UK).date()


def default_deadline(starts_on: date, days_before: int) -> date:
    """Where a cohort sets no deadline: DEADLINE_DAYS_BEFORE (a setting) days before the course."""
    return starts_on - timedelta(days=days_before)


def last_course_day(starts_on: date, days: int) -> date:
    """A two-day course ends the day after it starts."""
    return starts_on + timedelta(days=days - 1)


def days_left_text(deadline: date, today: date) -> str:
    """Plain words for a deadline: '3 days left', 'Due today', 'Deadline passed 1 day ago'."""
    days = (deadline - today).days
    if days > 1:
        return f"{days} days left"
    if days == 1:
        return "1 day left"
    if days == 0:
        return "Due today"
    return f"Deadline passed {-days} day{'s' if days != -1 else ''} ago"
