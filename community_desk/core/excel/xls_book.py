"""Reading an old Excel workbook (.xls, BIFF, as WPS and older town systems send) into the rows python-calamine
gives for an .xlsx.

python-calamine reads .xls without a size check, and a hostile file can abort the process there, so .xls goes
through xlrd instead: pure Python (a broken file is an exception, never an abort), and the format is bounded to
65,536 rows x 256 columns a sheet, so what xlrd holds is bounded by the file, which is capped at MAX_XLS_MB. Sheets
are loaded one at a time and let go. Each cell becomes what calamine gives: a number a float, text a str, a date
cell a date (a datetime with a time of day, a time without a day), a boolean a bool, an empty or error cell "".
A sheet is cut to the rectangle from A1 that holds values, and refused like an .xlsx when that rectangle is larger
than workbook_guard allows. Every refusal is a workbook_guard.WorkbookRefused with a Chinese message.
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import xlrd

from .workbook_guard import (
    CELL_BUDGET,
    PASSWORD,
    SAVE_AS,
    SheetExtent,
    WorkbookRefused,
    column_letters,
    range_message,
)

MAX_XLS_MB = 30  # a full .xls sheet of a list (65,536 rows) is about 10 MB
BROKEN = f"文件已损坏或不完整，无法作为旧版 Excel（.xls）读取。请重新下载，或{SAVE_AS}"

_EMPTY = (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR)


def read(path: Path) -> tuple[list[tuple[str, list[list]]], dict[str, set[int]]]:
    """Every visible sheet as (name, rows from A1), and {sheet name: hidden row numbers (1-based)}.
    Raises WorkbookRefused; OSError goes up as it is."""
    size = path.stat().st_size
    if size > MAX_XLS_MB * 1024 * 1024:
        raise WorkbookRefused(f"旧版 Excel 文件太大（{size / 1024 / 1024:.0f} MB，最多 {MAX_XLS_MB} MB），不像一份推送名单，"
                              f"{SAVE_AS}")
    book = None
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, ragged_rows=True,
                                  logfile=io.StringIO())
        sheets, hidden = [], {}
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if sheet.visibility == 0:  # 1 hidden, 2 very hidden: calamine's reading skips them too
                sheets.append((sheet.name, _rows(sheet, book.datemode)))
                hidden[sheet.name] = {r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden}
            book.unload_sheet(index)
        return sheets, hidden
    except (WorkbookRefused, OSError):
        raise
    except xlrd.XLRDError as exc:
        raise WorkbookRefused(PASSWORD if "encrypted" in str(exc).lower() else BROKEN) from None
    except Exception:  # noqa: BLE001 - xlrd raises what the broken bytes lead to (struct.error, IndexError ...)
        raise WorkbookRefused(BROKEN) from None
    finally:
        if book is not None:
            book.release_resources()


def _rows(sheet, datemode: int) -> list[list]:
    last_row = last_col = 0
    for r in range(sheet.nrows):
        for c in range(sheet.row_len(r) - 1, -1, -1):
            if _holds_value(sheet.cell_type(r, c), sheet.cell_value(r, c)):
                last_row, last_col = r + 1, max(last_col, c + 1)
                break
    if last_row * last_col > CELL_BUDGET:
        raise WorkbookRefused(range_message(SheetExtent(data_rows=last_row, data_cols=last_col,
                                                        far_cells=[f"{column_letters(last_col)}{last_row}"])))
    rows = []
    for r in range(last_row):
        types, values = sheet.row_types(r, 0, last_col), sheet.row_values(r, 0, last_col)
        row = [_value(t, v, datemode) for t, v in zip(types, values, strict=True)]
        rows.append(row + [""] * (last_col - len(row)))
    return rows


def _holds_value(kind: int, value) -> bool:
    return kind not in _EMPTY and not (kind == xlrd.XL_CELL_TEXT and not value.strip())


def _value(kind: int, value, datemode: int):
    """The cell as calamine gives it."""
    if kind in _EMPTY:
        return ""
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate_as_datetime(value, datemode)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return float(value)
        if value < 1:
            return moment.time()
        return moment.date() if moment.time() == dt.time() else moment
    if kind == xlrd.XL_CELL_NUMBER:
        return float(value)
    return value
