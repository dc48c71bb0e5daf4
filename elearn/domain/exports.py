"""Spreadsheet-safe cells and streamed CSV, shared by every export."""
import csv
import io
from collections.abc import Iterable, Iterator
from itertools import chain

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Google Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> object:
    """Neutralise text a spreadsheet would treat as a formula by prefixing an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """CSV text one line at a time (UTF-8 BOM first, so Excel reads accents), for streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for row in chain([header], rows):
        writer.writerow([safe_cell(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
