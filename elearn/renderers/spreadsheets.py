"""Spreadsheet-safe cells, streamed CSV and write-only XLSX, shared by every export."""

import csv
import enum
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import BinaryIO

from .xlsx import xlsx_chunks

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Google Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> object:
    """Neutralise text a spreadsheet would treat as a formula by prefixing an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_lines(header: list[str], rows: Iterable[list], batch: int = 500) -> Iterator[str]:
    """CSV text for streaming (UTF-8 BOM first, so Excel reads accents): the header and first row at
    once, so the download starts, then `batch` rows per piece (one socket write each, not one per row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([_csv_cell(cell) for cell in header])
    pending = batch - 1  # the first piece goes as soon as it holds one row
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
        pending += 1
        if pending >= batch:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if rest := buffer.getvalue():
        yield rest


class Cell(enum.Enum):
    """What a column holds, so a large CSV formats each column one way instead of testing every cell."""

    TEXT = "text"  # text from the database (names, titles, codes): neutralised if a spreadsheet would run it
    PLAIN = "plain"  # numbers, or words the app itself chose: written as they are
    DATE = "date"
    DATETIME = "datetime"


def csv_pieces(
    header: list[str],
    kinds: Sequence[Cell],
    rows: Iterable[list],
    footer: Callable[[], list] | None = None,
    size: int = 1 << 16,
) -> Iterator[str]:
    """CSV text for a large streamed export, the same text csv_lines writes: the header and the first row
    at once (nothing goes before a row is read, so a query that fails still gets an error page, not a
    200), then pieces of about `size` characters. Each row (a list, changed in place) is formatted by its
    columns' kinds; `footer()` gives a last row, written once every row has gone."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([_csv_cell(cell) for cell in header])
    formatted = _formatter(kinds)
    first = True
    for row in rows:
        writer.writerow(formatted(row))
        if first or buffer.tell() >= size:
            first = False
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if footer is not None:
        writer.writerow([_csv_cell(cell) for cell in footer()])
    if rest := buffer.getvalue():
        yield rest


def _formatter(kinds: Sequence[Cell]) -> Callable[[list], list]:
    """A row's cells as csv_lines would write them (the csv module writes None as empty), touching only
    the columns that need it; each distinct day is written once."""
    texts = [i for i, kind in enumerate(kinds) if kind is Cell.TEXT]
    dates = [i for i, kind in enumerate(kinds) if kind is Cell.DATE]
    datetimes = [i for i, kind in enumerate(kinds) if kind is Cell.DATETIME]
    days: dict[date, str] = {}

    def formatted(row: list) -> list:
        for i in texts:
            value = row[i]
            if value and value.startswith(_FORMULA_START):
                row[i] = "'" + value
        for i in dates:
            value = row[i]
            if value is not None:
                text = days.get(value)
                if text is None:
                    text = days[value] = uk_text(value)
                row[i] = text
        for i in datetimes:
            if row[i] is not None:
                row[i] = uk_text(row[i])
        return row

    return formatted


def _csv_cell(value) -> object:
    """safe_cell(uk_text(value)), with the common cases (text, numbers, nothing) first."""
    kind = type(value)
    if kind is str:
        return "'" + value if value.startswith(_FORMULA_START) else value
    if value is None:
        return ""
    if kind is int:
        return value
    return safe_cell(uk_text(value))


def uk_text(value) -> object:
    """Dates as UK readers write them, for CSV (XLSX keeps real dates)."""
    if isinstance(value, datetime):
        return f"{value.day:02}/{value.month:02}/{value.year} {value.hour:02}:{value.minute:02}"
    if isinstance(value, date):
        return f"{value.day:02}/{value.month:02}/{value.year}"
    return "" if value is None else value


def write_xlsx(header: list[str], rows: Iterable[list], target: BinaryIO, title: str = "Completions") -> int:
    """Write rows into an XLSX file as they come (never all in memory); the number of rows written.

    Dates are real dates shown DD/MM/YYYY; text that a spreadsheet would run is neutralised.
    """
    counted = Counted(rows)
    for chunk in xlsx_chunks(header, counted, safe_cell, title):
        target.write(chunk)
    return counted.count


class Counted:
    """Rows passed through, counted."""

    def __init__(self, rows: Iterable[list]):
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row
