"""The house style of every exported workbook.

A title row with the community name, a header row, frozen panes, fitted column widths, every
text cell written as text (ID numbers and phones never become 1.1E+17; text that begins with
= + - @ is never run as a formula), a 填报单位 / 填报人 / 填报日期 footer, A4 landscape print set-up
with the header repeated on every page. Written in openpyxl's write-only mode, atomically; openpyxl's per-sheet
temporary streams (a full copy of each sheet's rows) are made in the destination's folder under the program's
temporary name (core.temp_files) and removed when the save ends, failed or not: never in the system temp folder,
where a killed export would leave them unseen.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet import _writer as sheet_writer
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from .. import session
from ..atomic import atomic_path
from ..errors import ExportCancelled
from ..reports import ReportMeta
from ..temp_files import make_temp
from . import row_writer

FORMULA_STARTS = ("=", "+", "-", "@")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
DATA_PT = 11  # the workbook's default font (data cells)
TITLE_PT = 16
TITLE_FONT = Font(name="宋体", size=TITLE_PT, bold=True)
HEADER_FONT = Font(name="宋体", size=DATA_PT, bold=True)
FOOTER_FONT = Font(name="宋体", size=DATA_PT)
TOTAL_FONT = Font(name="宋体", size=DATA_PT, bold=True)
WIDTH_SAMPLE_ROWS = 300
SIGN_ROW_HEIGHT = 30.0  # points: room for a handwritten signature

# What a column holds (Sheet.kinds, keyed by column index or header). Text is the default: it wraps when long.
TEXT, DATE, DATETIME, MONEY, PERCENT, NUMBER = "text", "date", "datetime", "money", "percent", "number"
NUMBER_FORMATS = {DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm", MONEY: "#,##0.00", PERCENT: "0.0%"}

# Paper: A4, in points, with the margins set below (inches). An Excel column width unit is one digit of the
# default font (Calibri 11): 7 px, 5.25 pt in Excel and WPS, and in LibreOffice with Calibri or its metric twin
# Carlito (without either LibreOffice takes DejaVu Sans: 7 pt a unit, everything prints a quarter smaller); the
# plan counts 5.5 pt for rounding. A CJK character at 11 pt is 11 pt wide: 2.1 units.
A4_WIDTH, A4_HEIGHT = 595.3, 841.9
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM = 0.3, 0.6, 0.6
PT_PER_UNIT = 5.5
CJK_UNITS, PAD_UNITS = 2.1, 1.2
NARROW = re.compile("[\x00-\u2e80]+")  # characters narrower than a CJK one (code points up to U+2E80)
MIN_PAPER_PT = 8.0   # nothing printed smaller than this
GOOD_PAPER_PT = 9.0  # long text columns are narrowed (wrapping more) until the data prints at least this big
WRAP_CAP, WRAP_FLOOR = 30.0, 10.0  # a long text column's width: at most WRAP_CAP, narrowed to WRAP_FLOOR at most
LINE_PT = 16.0  # one line of 11 pt text in a row (CJK fonts' line height is about 1.45 em)


class Percent(float):
    """A share (0.3 for 30 %): written as a number formatted 0.0%, whatever column it is in."""


@dataclass
class Sheet:
    name: str
    title: str
    headers: list[str]
    rows: Iterable[tuple]
    total: tuple | None = None  # a 合计 row, written bold after the rows
    min_widths: dict[int, int] = field(default_factory=dict)
    # Column kinds by index or header: DATE / DATETIME (ISO text or date values become date cells), MONEY, PERCENT,
    # NUMBER; other columns are text (wrapped when long). dt.date values and Percent values are typed anywhere.
    kinds: dict[int | str, str] = field(default_factory=dict)
    # Data rows at least this high (points), for sheets written on by hand (sign-in sheets); None: fitted by Excel.
    row_height: float | None = None


def safe_value(ws: Worksheet, value):
    """A cell value that Excel shows as written: text that looks like a formula stays text."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


def text_units(value, pt: float = DATA_PT) -> float:
    """The width of value's text in Excel column units at pt points (a CJK character is about square)."""
    if not isinstance(value, str):  # a number or date: it cannot wrap and shows ### when cut; bold in a 合计 row
        return (len(_shown(value)) * 1.15 + 1) * pt / DATA_PT
    text = value
    wide = len(NARROW.sub("", text))
    return (wide * CJK_UNITS + (len(text) - wide)) * pt / DATA_PT


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, Percent):
        return f"{value:.1%}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def _breakable(value) -> bool:
    """Text LibreOffice and Excel can wrap: it has CJK characters or spaces (an ID number or phone has neither)."""
    return isinstance(value, str) and (" " in value.strip() or any(ord(ch) > 0x2E80 for ch in value))


@dataclass
class PrintPlan:
    widths: list[float]  # Excel column widths
    landscape: bool
    scale: float  # the print scale, 1.0 = 100 %
    fit_width: bool  # fit to one page wide (pages run down); False: too wide even at MIN_PAPER_PT, pages run across

    @property
    def paper_pt(self) -> float:
        """The printed size of the 11 pt data text."""
        return DATA_PT * self.scale


def printable_width(landscape: bool) -> float:
    return (A4_HEIGHT if landscape else A4_WIDTH) - 2 * 72 * MARGIN_SIDE


def printed_width(widths: list[float]) -> float:
    return sum(widths) * PT_PER_UNIT


def plan_print(natural: list[float], floors: list[float], wrappable: list[bool]) -> PrintPlan:
    """Column widths, orientation and scale for A4 with the data at MIN_PAPER_PT or larger.

    natural: each column's widest sampled text (units); floors: the least width of each column (its header in at
    most two lines, a declared minimum); wrappable: long text that may wrap. Portrait when the sheet fits it at
    GOOD_PAPER_PT, else landscape; long text columns are capped at WRAP_CAP and narrowed towards WRAP_FLOOR until
    the data prints at GOOD_PAPER_PT (or, when that cannot be, just above MIN_PAPER_PT); fit to width when the result is MIN_PAPER_PT or larger, else printed at
    MIN_PAPER_PT with pages across."""
    good = GOOD_PAPER_PT / DATA_PT

    def widths_at(cap: float) -> list[float]:
        return [max(floor, min(nat, cap) if wrap else nat) + PAD_UNITS
                for nat, floor, wrap in zip(natural, floors, wrappable, strict=True)]

    cap = WRAP_CAP
    widths = widths_at(cap)
    if printed_width(widths) * good <= printable_width(False):
        return PrintPlan(widths, False, min(1.0, printable_width(False) / printed_width(widths)), True)
    # The widest cap that prints at GOOD_PAPER_PT; if none does, the widest that prints at MIN_PAPER_PT with a
    # little to spare (narrower columns would only make more rows wrap); else the floor.
    caps = [WRAP_CAP - step for step in range(0, int(WRAP_CAP - WRAP_FLOOR) + 1)]
    for want in (good, (MIN_PAPER_PT + 0.3) / DATA_PT):
        cap = next((c for c in caps if printed_width(widths_at(c)) * want <= printable_width(True)), None)
        if cap is not None:
            break
    widths = widths_at(cap if cap is not None else WRAP_FLOOR)
    scale = min(1.0, printable_width(True) / printed_width(widths))
    if scale * DATA_PT >= MIN_PAPER_PT:
        return PrintPlan(widths, True, scale, True)
    return PrintPlan(widths, True, MIN_PAPER_PT / DATA_PT, False)


def lines_needed(units: float, width: float) -> int:
    """Lines a text of `units` takes in a wrapped column of `width`."""
    room = max(1.0, width - PAD_UNITS)
    return max(1, math.ceil(units / room - 0.001))


def _styled(ws, value, font=None, fill=None, border=None, align=None, number_format=None):
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        cell.data_type = "s"
        cell.quotePrefix = True
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    if border:
        cell.border = border
    if align:
        cell.alignment = align
    if number_format:
        cell.number_format = number_format
    return cell


def _typed(value, kind: str | None):
    """A row value as the cell value its column kind asks for: ISO text a date, amount text a number."""
    if kind in (DATE, DATETIME) and isinstance(value, str) and len(value) >= 10 and value[4:5] == "-":
        try:
            if kind == DATETIME and len(value) > 10:
                return dt.datetime.fromisoformat(value.strip()[:19].replace("T", " "))
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if kind in (MONEY, NUMBER, PERCENT) and isinstance(value, (str, Decimal)) and value != "":
        try:
            return float(value)
        except ValueError:
            return value
    return value


def _format_of(value, kind: str | None) -> str | None:
    if isinstance(value, Percent):
        return NUMBER_FORMATS[PERCENT]
    if isinstance(value, dt.datetime):
        return NUMBER_FORMATS[DATETIME]
    if isinstance(value, dt.date):
        return NUMBER_FORMATS[DATE]
    if kind in NUMBER_FORMATS and isinstance(value, (int, float)) and not isinstance(value, bool):
        return NUMBER_FORMATS[kind]
    return None


class _ColumnCells:
    """The data cells of one column that need a style (a number format, a formula-like text kept as text, the
    wrapping of a row higher than one line), styled once and reused row after row; other values go unstyled.

    The frame of the data cells is one conditional format over their range (FRAME_RULE), not a style per cell:
    on 100,000 residents a border style on every cell doubled the export time (see row_writer.cells_to_row), and an empty
    cell would have to be written just to carry its frame. The write-only sheet writes a row's cells before the
    next row is appended, so one cell object a column and number format suffices."""

    def __init__(self, ws, wrap: bool, base_format: str | None):
        align = Alignment(vertical="center", wrap_text=wrap)
        self.ws, self.align, self.base_format = ws, align, base_format
        self.cells: dict[tuple[str | None, bool], WriteOnlyCell] = {}

    def cell(self, value, kind: str | None, styled_row: bool):
        cls = value.__class__
        if not styled_row:
            if value is None or cls is int or (cls is str and value[:1] not in FORMULA_STARTS) or (
                    cls is float and self.base_format is None):
                return value
        if cls is str:
            quoted = value[:1] in FORMULA_STARTS
            key = (self.base_format, quoted)
        else:
            quoted = False
            key = (_format_of(value, kind) or self.base_format, False)
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = _styled(self.ws, None, border=BORDER, align=self.align, number_format=key[0])
            cell.quotePrefix = quoted
        cell.value = value
        if quoted:
            cell.data_type = "s"
        return cell


def _write_sheet(wb: Workbook, sheet: Sheet, meta: ReportMeta, progress: Callable[[int], bool] | None) -> int:
    ws = wb.create_sheet(sheet.name[:31])
    ncols = len(sheet.headers)
    kinds = [sheet.kinds.get(i, sheet.kinds.get(h)) for i, h in enumerate(sheet.headers)]
    rows = iter(sheet.rows)
    # Sample the first rows to fit column widths, then stream the rest.
    head: list[tuple] = []
    for row in rows:
        head.append(tuple(_typed(v, k) for v, k in zip(row, kinds, strict=False)))
        if len(head) >= WIDTH_SAMPLE_ROWS:
            break
    total = tuple(_typed(v, k) for v, k in zip(sheet.total, kinds, strict=False)) if sheet.total else None
    natural = [0.0] * ncols
    breakable = [False] * ncols
    for row in head + ([total] if total else []):
        for i, value in enumerate(row[:ncols]):
            natural[i] = max(natural[i], text_units(value))
            breakable[i] = breakable[i] or _breakable(value)
    floors = []
    for i, header in enumerate(sheet.headers):
        units = text_units(header)
        floor = units if units <= 4 * CJK_UNITS else max(4 * CJK_UNITS, units / 2)  # a header wraps in two lines
        floors.append(max(floor, 4.0, float(sheet.min_widths.get(i, 0)) - PAD_UNITS))
    wrappable = [b and k in (None, TEXT) and n > WRAP_FLOOR for b, k, n in zip(breakable, kinds, natural, strict=True)]
    plan = plan_print(natural, floors, wrappable)
    span = title_span(plan)
    widths = _title_widths(plan, span, text_units(sheet.title, TITLE_PT))
    span_width = sum(widths[:span])
    span_last = get_column_letter(max(span, 1))
    for i, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = round(width, 2)

    last = get_column_letter(ncols)
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape" if plan.landscape else "portrait"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_margins.left = ws.page_margins.right = MARGIN_SIDE
    ws.page_margins.top, ws.page_margins.bottom = MARGIN_TOP, MARGIN_BOTTOM
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if plan.fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        ws.page_setup.scale = math.ceil(plan.scale * 100)
        ws.page_setup.pageOrder = "overThenDown"
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"

    # Row heights are set before a row is appended (the write-only sheet writes the row then); merged cells and
    # wrapped cells are not fitted by LibreOffice when it opens the file, so every row that needs more than one
    # line gets its height here, from the same text measure as the widths.
    row_writer.install(ws)
    title_lines = lines_needed(text_units(sheet.title, TITLE_PT), span_width)
    wrap_center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 10 + 22 * title_lines
    ws.append([_styled(ws, sheet.title, font=TITLE_FONT, align=wrap_center)])
    if span > 1:
        ws.merged_cells.add(f"A1:{span_last}1")
    header_lines = max((lines_needed(text_units(h) * 1.1, widths[i]) for i, h in enumerate(sheet.headers)), default=1)
    ws.row_dimensions[2].height = 6 + LINE_PT * header_lines
    ws.append([_styled(ws, h, font=HEADER_FONT, fill=HEADER_FILL, border=BORDER, align=wrap_center)
               for h in sheet.headers])

    row_height = _RowHeights(ws)
    columns = [_ColumnCells(ws, wrap, NUMBER_FORMATS.get(kind or ""))
               for wrap, kind in zip(wrappable, kinds, strict=True)]
    floats_plain = all(col.base_format is None for col in columns)
    count = 0
    row_idx = 2
    wrapped = [(i, widths[i] - PAD_UNITS) for i in range(ncols) if wrappable[i]]
    typed = any(kinds)
    for chunk in (head, rows):
        for row in chunk:
            row_idx += 1
            if typed and chunk is rows:
                row = tuple(_typed(v, k) for v, k in zip(row, kinds, strict=False))
            wraps = _wrapping(row, wrapped, widths) if wrapped else None
            lines = max(wraps.values()) if wraps else 1
            if lines > 1 or sheet.row_height:
                ws.row_dimensions[row_idx] = row_height(max(sheet.row_height or 0, LINE_PT * lines + 4))
            every = bool(sheet.row_height)  # a sign-in sheet: small; every cell centred in its high row
            if not every and _plain(row, floats_plain):  # most rows: only the cells that wrap need a style
                if wraps is None:
                    ws.append(row)
                else:
                    values = list(row)
                    for i in wraps:
                        values[i] = columns[i].cell(values[i], kinds[i], True)
                    ws.append(values)
            else:
                ws.append([col.cell(v, kinds[i], every or (wraps is not None and i in wraps))
                           for i, (col, v) in enumerate(zip(columns, row, strict=False))])
            ws.row_dimensions.pop(row_idx, None)  # written: keep no object per row
            count += 1
            if progress and count % 1000 == 0 and not progress(count):
                raise ExportCancelled()
    if ncols:
        ws.auto_filter.ref = f"A2:{last}{max(row_idx, 3)}"
    if row_idx >= 3:
        ws.conditional_formatting.add(f"A3:{last}{row_idx}", FormulaRule(formula=["TRUE"], border=BORDER))
    if total is not None:
        ws.append([_styled(ws, v, font=TOTAL_FONT, border=BORDER, number_format=_format_of(v, kinds[i]))
                   for i, v in enumerate(total)])
        row_idx += 1
    ws.append([])
    footer_row = row_idx + 2
    footer = meta.footer()
    ws.row_dimensions[footer_row].height = 4 + LINE_PT * lines_needed(text_units(footer), span_width)
    ws.append([_styled(ws, footer, font=FOOTER_FONT, align=Alignment(vertical="top", wrap_text=True))])
    if span > 1:
        ws.merged_cells.add(f"A{footer_row}:{span_last}{footer_row}")
    return count


class _RowHeights:
    """The attributes of a data row of a given height, made once a height: the writer only reads a row's
    attributes (ht, customHeight) as it writes the row, and a RowDimension a row cost 8 checked assignments each
    (0.6 s on 100,000 residents, most of whose rows wrap a long address or 人员类别)."""

    def __init__(self, ws):
        self.ws = ws
        self.made: dict[float, dict[str, str]] = {}

    def __call__(self, height: float) -> dict[str, str]:
        attributes = self.made.get(height)
        if attributes is None:
            attributes = self.made[height] = dict(RowDimension(self.ws, height=height))
        return attributes


def _plain(row: tuple, floats_plain: bool) -> bool:
    """True when every value of the row goes in unstyled (_ColumnCells.cell would give each back as it is): text
    not taken for a formula, whole numbers, nothing; decimals when no column formats them."""
    for value in row:
        cls = value.__class__
        if cls is str:
            if value.startswith(FORMULA_STARTS):
                return False
        elif not (value is None or cls is int or (cls is float and floats_plain)):
            return False
    return True


def _wrapping(row: tuple, wrapped: list[tuple[int, float]], widths: list[float]) -> dict[int, int] | None:
    """{column: lines} of the row's values that wrap (only these get a wrapping style), None when none does."""
    out = None
    for i, room in wrapped:
        value = row[i] if i < len(row) else None
        if value.__class__ is str and len(value) * CJK_UNITS > room:
            lines = lines_needed(text_units(value), widths[i])
            if lines > 1:
                out = out or {}
                out[i] = lines
    return out


def title_span(plan: PrintPlan) -> int:
    """How many columns the title and footer are merged across: all of them when the sheet fits the paper's
    width; else those printed on the first page (pages run across), so that the title is not cut between pages."""
    if plan.fit_width:
        return len(plan.widths)
    room = printable_width(plan.landscape) / plan.scale / PT_PER_UNIT
    used, span = 0.0, 0
    for width in plan.widths:
        used += width
        if used > room:
            break
        span += 1
    return max(span, 1)


def _title_widths(plan: PrintPlan, span: int, title_units: float) -> list[float]:
    """The plan's widths, the first `span` widened evenly so that the title (merged across them) fits on one line,
    as far as the paper's width at the plan's scale allows; a longer title wraps."""
    widths = list(plan.widths)
    room = printable_width(plan.landscape) / plan.scale / PT_PER_UNIT
    extra = min(title_units + PAD_UNITS, room) - sum(widths[:span])
    if extra > 0 and span:
        widths[:span] = [w + extra / span for w in widths[:span]]
    return widths


def write_workbook(path: str | os.PathLike, sheets: list[Sheet], meta: ReportMeta,
                   progress: Callable[[int], bool] | None = None) -> None:
    """Write the sheets to path atomically. progress(rows_done) returning False cancels (nothing written).

    Every export passes here, so here a read-only session is refused (exports carry personal data)."""
    session.require_export()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with sheet_streams_in(path.parent, path.stem):
        wb = Workbook(write_only=True)
        wb.properties.creator = wb.properties.lastModifiedBy = meta.office or "社区工作台"
        try:
            done = 0
            for sheet in sheets:  # rows counted across the sheets
                done += _write_sheet(wb, sheet, meta, progress and (lambda n, before=done: progress(before + n)))
        except BaseException:
            _discard(wb)
            raise
        with atomic_path(path) as tmp:
            _save(wb, tmp)


def _save(wb: Workbook, tmp: Path) -> None:
    """wb.save(tmp), but the zip file is closed also when the save fails (a full disk): openpyxl leaves it open
    until garbage collection, and on Windows an open file cannot be removed, so the half file would stay."""
    if not wb.worksheets:
        wb.create_sheet()
    archive = ZipFile(tmp, "w", ZIP_DEFLATED, allowZip64=True)
    try:
        wb.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
        ExcelWriter(wb, archive).save()  # closes the archive when done
    finally:
        try:
            archive.close()
        except Exception:  # noqa: BLE001 - the save already failed; its error is the one to report
            pass


def _discard(wb: Workbook) -> None:
    """Close the half-written sheets' temporary streams so nothing is left open or half written."""
    for ws in wb.worksheets:
        try:
            ws.close()
        except Exception:  # noqa: BLE001 - we are already failing; the first error is the one to report
            pass


# openpyxl 3.1 makes each write-only sheet's stream with openpyxl.worksheet._writer.create_temporary_file(), a
# NamedTemporaryFile in the system temp folder, removed only when the workbook is saved or at interpreter exit. The
# function is looked up in that module when a sheet's writer is made, so replacing it there routes the streams;
# outside sheet_streams_in (another thread, another caller) the original is used.
_ORIGINAL_CREATE = sheet_writer.create_temporary_file
_streams = threading.local()


def _create_temporary_file(suffix: str = "") -> str:
    folder = getattr(_streams, "folder", None)
    if folder is None:
        return _ORIGINAL_CREATE(suffix)
    path = str(make_temp(folder, f"{_streams.what}-sheet", suffix))
    sheet_writer.ALL_TEMP_FILES.append(path)  # openpyxl's writer.cleanup() removes it from this list
    _streams.made.append(path)
    return path


@contextmanager
def sheet_streams_in(folder: Path, what: str) -> Iterator[None]:
    """For the duration (on this thread): openpyxl's per-sheet temporary files in folder, named like the program's
    other temporary files; on leaving, those still there are removed, also when the export failed or was cancelled."""
    sheet_writer.create_temporary_file = _create_temporary_file
    outer = getattr(_streams, "folder", None), getattr(_streams, "what", ""), getattr(_streams, "made", [])
    _streams.folder, _streams.what, _streams.made = folder, what, []
    try:
        yield
    finally:
        made = _streams.made
        _streams.folder, _streams.what, _streams.made = outer
        for name in made:
            try:
                os.remove(name)
            except OSError:  # already removed by openpyxl after a good save
                pass
            if name in sheet_writer.ALL_TEMP_FILES:
                sheet_writer.ALL_TEMP_FILES.remove(name)
