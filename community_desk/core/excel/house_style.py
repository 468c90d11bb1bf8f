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
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet import _writer as sheet_writer
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from .. import session
from ..atomic import atomic_path
from ..errors import ExportCancelled
from ..reports import ReportMeta
from ..temp_files import make_temp

FORMULA_STARTS = ("=", "+", "-", "@")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(name="宋体", size=16, bold=True)
HEADER_FONT = Font(name="宋体", size=11, bold=True)
FOOTER_FONT = Font(name="宋体", size=11)
TOTAL_FONT = Font(name="宋体", size=11, bold=True)
WIDTH_SAMPLE_ROWS = 300


@dataclass
class Sheet:
    name: str
    title: str
    headers: list[str]
    rows: Iterable[tuple]
    total: tuple | None = None  # a 合计 row, written bold after the rows
    min_widths: dict[int, int] = field(default_factory=dict)


def safe_value(ws: Worksheet, value):
    """A cell value that Excel shows as written: text that looks like a formula stays text."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


def _display_width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _styled(ws, value, font=None, fill=None, border=None, align=None):
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
    return cell


def _write_sheet(wb: Workbook, sheet: Sheet, meta: ReportMeta, progress: Callable[[int], bool] | None) -> int:
    ws = wb.create_sheet(sheet.name[:31])
    ncols = len(sheet.headers)
    rows = iter(sheet.rows)
    # Sample the first rows to fit column widths, then stream the rest.
    head: list[tuple] = []
    for row in rows:
        head.append(row)
        if len(head) >= WIDTH_SAMPLE_ROWS:
            break
    widths = [_display_width(h) for h in sheet.headers]
    for row in head:
        for i, value in enumerate(row[:ncols]):
            widths[i] = max(widths[i], _display_width(value))
    for i, width in enumerate(widths):
        width = max(width, sheet.min_widths.get(i, 0))
        ws.column_dimensions[get_column_letter(i + 1)].width = min(max(width + 2, 6), 60)

    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"

    ws.append([_styled(ws, sheet.title, font=TITLE_FONT, align=Alignment(horizontal="center", vertical="center"))])
    ws.row_dimensions[1].height = 28
    if ncols > 1:
        ws.merged_cells.add(f"A1:{get_column_letter(ncols)}1")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.append([_styled(ws, h, font=HEADER_FONT, fill=HEADER_FILL, border=BORDER, align=center) for h in sheet.headers])

    count = 0
    for chunk in (head, rows):
        for row in chunk:
            ws.append([safe_value(ws, v) for v in row])
            count += 1
            if progress and count % 1000 == 0 and not progress(count):
                raise ExportCancelled()
    if sheet.total is not None:
        ws.append([_styled(ws, v, font=TOTAL_FONT, border=BORDER) for v in sheet.total])
    ws.append([])
    ws.append([_styled(ws, meta.footer(), font=FOOTER_FONT)])
    return count


def write_workbook(path: str | os.PathLike, sheets: list[Sheet], meta: ReportMeta,
                   progress: Callable[[int], bool] | None = None) -> None:
    """Write the sheets to path atomically. progress(rows_done) returning False cancels (nothing written).

    Every export passes here, so here a read-only session is refused (exports carry personal data)."""
    session.require_export()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with sheet_streams_in(path.parent, path.stem):
        wb = Workbook(write_only=True)
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
