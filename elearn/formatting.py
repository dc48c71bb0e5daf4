"""Dates and counts in words, in one style for pages, emails, PDFs and exports (GOV.UK style, UK time)."""

from datetime import date, datetime

from .domain.cohorts.schedule import UK


def uk_date(value: date | datetime | None) -> str:
    """1 December 2026. A datetime is shown on its UK calendar day."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(UK)
    return f"{value.day} {value:%B %Y}"


def uk_datetime(value: datetime | None) -> str:
    """1 December 2026 at 2:05pm."""
    if value is None:
        return ""
    moment = value.astimezone(UK)
    hour = moment.hour % 12 or 12
    # No strftime: a board formats two per trainee, and parsing the format each time was most of it.
    return (
        f"{moment.day} {_MONTHS[moment.month]} {moment.year} at {hour}:{moment.minute:02d}"
        f"{'am' if moment.hour < 12 else 'pm'}"
    )


_MONTHS = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 person', '2 people', '0 trainees'."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def file_size(size: int) -> str:
    """'820 bytes', '14 KB', '2.3 MB' (GOV.UK style for download links)."""
    if size < 1024:
        return plural(size, "byte")
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"
