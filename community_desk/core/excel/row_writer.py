"""The rows of a house-style sheet written as openpyxl's write-only writer would, a row at a time.

openpyxl writes a row cell by cell: each value through a cell's `value` setter (type look-up, string checks),
then each cell as three nested XML elements through lxml's incremental writer. On the register of 100,000
residents that is most of the export. Here a row's cells are put into one XML string, parsed by lxml in one call
and written as one element: the same elements and attributes as openpyxl's (tests/unit/core/test_row_writer.py
compares the sheets), in about a third of the time.

Only what openpyxl writes plainly takes this way: text, whole numbers and decimals, bare or in a cell object of
this module's sheets (a style, no comment or link). Text goes this way only after openpyxl's own checks pass
(no control character, at most 32,767 characters, not a formula or an error code). A row with any other value
(a date, a bool, a formula, a control character) is handed to openpyxl's writer whole, which writes, styles or
refuses it exactly as before."""
from __future__ import annotations

from lxml import etree
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter

MAX_TEXT = 32767  # Excel's longest cell text; openpyxl's setter cuts longer text, so such text goes its way
ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})  # \r: a parser would make it \n
LETTERS = [get_column_letter(i) for i in range(1, 201)]


def install(ws) -> None:
    """Make ws (a write-only sheet whose column widths, panes and first row height are set) write its appended
    rows this way. Call before the first append: openpyxl writes the sheet's head when its writer is made."""
    ws._get_writer()
    writer = ws._writer
    openpyxl_write_row = writer.write_row
    to_cells = cells_to_row(ws)

    def write_row(xf, values, row_idx):
        xml = row_xml(values, row_idx, ws.row_dimensions.get(row_idx))
        element = None
        if xml is not None:
            try:
                element = etree.fromstring(xml)
            except etree.XMLSyntaxError:  # a character XML cannot hold: openpyxl's writer refuses it as before
                element = None
        if element is None:
            openpyxl_write_row(xf, to_cells(values, row_idx), row_idx)
        else:
            xf.write(element)

    ws._values_to_row = _as_given
    writer.write_row = write_row


def _as_given(values, row_idx):
    return values


def row_xml(values, row_idx: int, dimensions) -> str | None:
    """The <row> element of values as openpyxl writes it, or None when a value needs openpyxl's own writer."""
    if len(values) > len(LETTERS):
        return None  # wider than any sheet of the program: openpyxl names the columns
    row = str(row_idx)
    head = f'<row r="{row}"'
    if dimensions:
        head += "".join(f' {name}="{value}"' for name, value in dict(dimensions).items())
    parts = [head, ">"]
    for col, value in enumerate(values):
        if value is None:
            continue
        cls = value.__class__
        style = ""
        if isinstance(value, Cell):
            cell = value
            if cell.data_type not in ("s", "n") or cell._comment is not None or cell.hyperlink:
                return None
            value = cell._value
            if cell.has_style:
                style = f' s="{cell.style_id}"'
            elif value is None:
                continue  # as openpyxl: an unstyled empty cell is not written
            if value is None:
                parts.append(f'<c r="{LETTERS[col]}{row}"{style} t="{"inlineStr" if cell.data_type == "s" else "n"}"/>')
                continue
            cls = value.__class__
            if cell.data_type == "s" and cls is not str or cell.data_type == "n" and cls not in (int, float):
                return None
        elif cls is str:
            if len(value) > MAX_TEXT or value[:1] == "=" or ILLEGAL_CHARACTERS_RE.search(value) or (
                    value in ERROR_CODES):
                return None
        elif cls is not int and cls is not float:
            return None
        if cls is str:
            if not value:
                parts.append(f'<c r="{LETTERS[col]}{row}"{style} t="inlineStr"/>')
                continue
            space = ' xml:space="preserve"' if value != value.strip() else ""
            parts.append(f'<c r="{LETTERS[col]}{row}"{style} t="inlineStr"><is><t{space}>'
                         f'{value.translate(ESCAPE)}</t></is></c>')
        else:
            parts.append(f'<c r="{LETTERS[col]}{row}"{style} t="n"><v>{safe_string(value)}</v></c>')
    parts.append("</row>")
    return "".join(parts)


def cells_to_row(ws):
    """openpyxl's _values_to_row for a row of values and cell objects (cells already made, styled once and reused,
    go straight to the writer). openpyxl's own version assigns each value to a cell and, for a cell object, fails
    that assignment with a formatted ValueError first: per cell, that doubled the export time."""
    plain = WriteOnlyCell(ws)  # unstyled values share one cell, as in openpyxl's own version

    def values_to_row(values, row_idx):
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                cell = value
            else:
                cell = plain
                cell.value = value
            cell.column, cell.row = col_idx, row_idx
            yield cell
    return values_to_row
