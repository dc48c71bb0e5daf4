"""Spreadsheet-safe cells, streamed CSV and write-only XLSX, shared by every export."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from itertools import chain
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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
        writer.writerow([safe_cell(uk_text(cell)) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def uk_text(value) -> object:
    """Dates as UK readers write them, for CSV (XLSX keeps real dates)."""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else value


def write_xlsx(header: list[str], rows: Iterable[list], target: BinaryIO, title: str = "Completions") -> int:
    """Stream rows into an XLSX file with openpyxl's write-only mode (rows are never all in memory).

    Dates are real dates shown DD/MM/YYYY; text that a spreadsheet would run is neutralised.
    Returns the number of rows written.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):  # widths must be set before the first row is written
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(name) + 4, 14), 40)
    sheet.append([_xlsx_cell(sheet, name, bold=True) for name in header])
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
        count += 1
    if header:  # a filter button on every column, over every row written
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"
    workbook.save(target)
    return count


def _xlsx_cell(sheet, value, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=safe_cell(value))
    if isinstance(value, datetime):
        cell.number_format = "DD/MM/YYYY HH:MM"
    elif isinstance(value, date):
        cell.number_format = "DD/MM/YYYY"
    if bold:
        cell.font = Font(bold=True)
    return cell
