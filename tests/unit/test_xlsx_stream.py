"""The streamed XLSX: its first bytes go before any row is read, and openpyxl reads it back whole."""

import io
from datetime import date, datetime

from openpyxl import load_workbook

from elearn.renderers.spreadsheets import safe_cell
from elearn.renderers.xlsx import xlsx_chunks


def test_the_first_bytes_go_before_any_row_is_read():
    read = []

    def rows():
        for i in range(3):
            read.append(i)
            yield [f"Person {i}", i]

    chunks = xlsx_chunks(["Name", "N"], rows(), safe_cell)
    first = next(chunks)
    assert first.startswith(b"PK") and read == []
    rest = b"".join(chunks)
    sheet = load_workbook(io.BytesIO(first + rest)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["Name", "N"]] + [
        [f"Person {i}", i] for i in range(3)
    ]


def test_cells_keep_their_types_formats_and_safety():
    when, day = datetime(2026, 11, 20, 12, 30), date(2026, 12, 1)
    data = b"".join(xlsx_chunks(["A", "B", "C", "D", "E"], [["=cmd", when, day, None, "a\x01b & <c>"]], safe_cell))
    sheet = load_workbook(io.BytesIO(data)).active
    header, row = list(sheet.iter_rows())
    assert header[0].font.b and sheet.freeze_panes == "A2"
    assert [c.value for c in row] == ["'=cmd", when, datetime(2026, 12, 1), None, "ab & <c>"]
    assert row[1].number_format == "DD/MM/YYYY HH:MM" and row[2].number_format == "DD/MM/YYYY"
