"""A streamed XLSX: the ZIP is written as rows arrive (data descriptors, no seeking back), so a download
starts at once and memory stays flat. One sheet, inline strings, real dates shown DD/MM/YYYY, a bold
frozen header row."""

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from xml.sax.saxutils import escape  # nosec B406 - escapes text we write; nothing is parsed

_EPOCH = datetime(1899, 12, 30)
# Characters XML 1.0 cannot hold at all; a spreadsheet would refuse the file.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Styles by index: 0 plain, 1 date, 2 date and time, 3 bold (the header).
_DATE, _DATETIME, _BOLD = 1, 2, 3
_FLUSH_EVERY = 500

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'styles" Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="DD/MM/YYYY"/>'
    '<numFmt numFmtId="165" formatCode="DD/MM/YYYY HH:MM"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
    'state="frozen"/></sheetView></sheetViews>'
)


def _workbook(title: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(title)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


class _Collected(io.RawIOBase):
    """A write-only, unseekable file whose bytes are handed on as they come."""

    def __init__(self):
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def xlsx_chunks(
    header: list[str], rows: Iterable[list], safe, title: str = "Completions", footer: Callable[[], list] | None = None
) -> Iterator[bytes]:
    """The XLSX file in pieces; `safe` neutralises text a spreadsheet would run as a formula. Columns get
    widths from their headings and a filter over every data row; `footer()` gives a last row written
    after the data (outside the filter), once every row has gone."""
    out = _Collected()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _ROOT_RELS),
            ("xl/workbook.xml", _workbook(title)),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
            ("xl/styles.xml", _STYLES),
        ):
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write((_SHEET_START + _columns(header) + "<sheetData>" + _row(header, safe, _BOLD)).encode())
            yield out.take()
            pending, count = [], 0
            for row in rows:
                count += 1
                pending.append(_row(row, safe))
                if len(pending) >= _FLUSH_EVERY:
                    sheet.write("".join(pending).encode())
                    pending.clear()
                    yield out.take()
            if footer is not None:
                pending.append(_row(footer(), safe))
            last_column = _column_letter(len(header))
            sheet.write(
                ("".join(pending) + f'</sheetData><autoFilter ref="A1:{last_column}{count + 1}"/></worksheet>').encode()
            )
    yield out.take()


def _columns(header: list[str]) -> str:
    """Widths from the headings (14 to 40 characters), set before the first row as the format requires."""
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{min(max(len(name) + 4, 14), 40)}" customWidth="1"/>'
        for i, name in enumerate(header, start=1)
    )
    return f"<cols>{widths}</cols>" if header else ""


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters or "A"


def _row(values: list, safe, style: int = 0) -> str:
    return "<row>" + "".join(_cell(safe(v), style) for v in values) + "</row>"


def _cell(value, style: int) -> str:
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"{s}><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f"<c{s}><v>{value}</v></c>"
    if isinstance(value, datetime):
        delta = value.replace(tzinfo=None) - _EPOCH
        return f'<c s="{_DATETIME}"><v>{delta.days + delta.seconds / 86400}</v></c>'
    if isinstance(value, date):
        return f'<c s="{_DATE}"><v>{(value - _EPOCH.date()).days}</v></c>'
    text = escape(_ILLEGAL.sub("", str(value)))
    return f'<c t="inlineStr"{s}><is><t xml:space="preserve">{text}</t></is></c>'
