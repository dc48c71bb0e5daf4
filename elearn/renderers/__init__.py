"""File renderers: PDF, iCalendar and spreadsheet bytes from domain view models. No rules live here."""
