"""The large-export CSV writer: the same text as csv_lines, formatted by column kind, in pieces by size."""

from datetime import date, datetime

from elearn.renderers.spreadsheets import Cell, csv_lines, csv_pieces

KINDS = [Cell.TEXT, Cell.PLAIN, Cell.DATE, Cell.DATETIME, Cell.PLAIN]


def _rows():
    return [
        ["=cmd", "Ready", date(2026, 3, 4), datetime(2026, 3, 4, 9, 5), 1.5],
        ['Ann, "Lee"', "", None, None, None],
        ["", "No", date(2026, 3, 4), datetime(2026, 12, 31, 23, 59), 0],
        ["@risk", "Yes", date(2027, 1, 2), None, 100],
    ]


def test_pieces_write_what_csv_lines_writes():
    """Formatting by column kind changes nothing in the file: formulas neutralised, UK dates, None empty."""
    header = ["Name", "State", "Day", "At", "Hours"]
    expected = "".join(csv_lines(header, _rows() + [["End of export"]]))
    pieces = "".join(csv_pieces(header, KINDS, iter(_rows()), footer=lambda: ["End of export"]))
    assert pieces == expected
    assert "'=cmd" in pieces and "'@risk" in pieces and "04/03/2026 09:05" in pieces


def test_first_piece_is_the_header_and_first_row_then_pieces_by_size():
    """Nothing goes before a row is read (a failing query still gets an error page), then about `size`
    characters a piece rather than a write per row."""
    rows = (["x" * 20, "", None, None, i] for i in range(100))
    pieces = list(csv_pieces(["Name", "State", "Day", "At", "N"], KINDS, rows, size=200))
    assert pieces[0] == "\ufeffName,State,Day,At,N\r\n" + "x" * 20 + ",,,,0\r\n"
    assert all(200 <= len(p) < 230 for p in pieces[1:-1])
    assert sum(p.count("\r\n") for p in pieces) == 101


def test_no_rows_still_writes_the_header_and_footer():
    assert list(csv_pieces(["Name"], [Cell.TEXT], [], footer=lambda: ["End"])) == ["\ufeffName\r\nEnd\r\n"]


def test_uk_clock_changes_offset_on_the_hour_the_clocks_change():
    """The export's UTC -> UK conversion, worked out once per UTC hour, agrees with zoneinfo around both changes."""
    from datetime import UTC, timedelta

    from elearn.domain.cohorts.schedule import UK
    from elearn.domain.evidence.export_rows import uk_clock

    uk = uk_clock()
    for start in (datetime(2026, 3, 28, 22, 0), datetime(2026, 10, 24, 22, 0), datetime(2026, 12, 31, 22, 30)):
        for minutes in range(0, 6 * 60, 17):
            naive = start + timedelta(minutes=minutes)
            expected = naive.replace(tzinfo=UTC).astimezone(UK)
            assert uk(naive) == expected.replace(tzinfo=None)
            assert uk(naive.replace(tzinfo=UTC)) == expected  # aware (PostgreSQL): converted as it is
    assert uk(datetime(2026, 3, 29, 0, 59)) == datetime(2026, 3, 29, 0, 59)  # GMT until 01:00 UTC
    assert uk(datetime(2026, 3, 29, 1, 0)) == datetime(2026, 3, 29, 2, 0)  # then BST
