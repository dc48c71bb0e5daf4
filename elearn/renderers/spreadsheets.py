"""Spreadsheet-safe cells, streamed CSV and write-only XLSX, shared by every export."""

import csv
import io
from collections.abc import Iterable, Iterator
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
