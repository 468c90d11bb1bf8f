"""Workbooks written by hand with zipfile, for tests of hostile or odd files: a cell in XFD1048576, a space in the
last row, a filled-down formula, a zip bomb of whitespace, an OLE (encrypted or .xls) container. Nothing here
goes through openpyxl, so the XML is exactly what the test says."""
from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="返京人员" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def column_letters(index: int) -> str:
    """0 -> A, 16383 -> XFD."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def cell(row: int, col: int, value) -> str:
    ref = f"{column_letters(col)}{row}"
    if value is None:
        return ""
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def row_xml(row: int, values: Iterable) -> str:
    return f'<row r="{row}">' + "".join(cell(row, col, v) for col, v in enumerate(values)) + "</row>"


def write_xlsx(path: Path, sheet_parts: Iterable[str], dimension: str | None = None) -> Path:
    """A workbook of one sheet whose <sheetData> is the given XML fragments (streamed into the zip)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(SHEET_HEAD.encode())
            if dimension:
                fh.write(f'<dimension ref="{dimension}"/>'.encode())
            fh.write(b"<sheetData>")
            for part in sheet_parts:
                fh.write(part.encode() if isinstance(part, str) else part)
            fh.write(b"</sheetData></worksheet>")
    return path


HEADER = ["序号", "姓名", "身份证号码", "手机号", "现居住地址", "所属社区", "来京日期", "管控措施"]


def people_rows(people: list[list], first_row: int = 1) -> Iterator[str]:
    """A header row and one row per person from `first_row`."""
    yield row_xml(first_row, HEADER)
    for n, values in enumerate(people, first_row + 1):
        yield row_xml(n, values)


def whitespace_bomb(path: Path, megabytes_of_space: int) -> Path:
    """A sheet padded with `megabytes_of_space` MB of spaces between two cells (deflate: ~1 KB per MB)."""
    block = b" " * (1 << 20)

    def parts():
        yield row_xml(1, ["姓名", "身份证号码"])
        for _ in range(megabytes_of_space):
            yield block
        yield row_xml(2, ["王伟", "110111198001010011"])

    return write_xlsx(path, parts())


def ole_file(path: Path, encrypted: bool) -> Path:
    """An OLE compound file's signature, with the stream name of an encrypted workbook when `encrypted`."""
    body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    body += ("EncryptionInfo" if encrypted else "Workbook").encode("utf-16-le") + b"\0" * 2048
    path.write_bytes(body)
    return path
