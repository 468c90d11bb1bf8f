"""The day's quarantine ledger as Excel (隔离管控日报), in the house style: the ledger sheet, a sheet of
the day's counts, and on request one sheet per classification (细化台账) for the offices managing them.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

from ..queries import audit
from ..queries import quarantine_report as report
from ..rules.masking import mask_columns
from .house_style import DATE, Sheet, write_workbook
from .residents_export import community_title, report_meta

# The least widths (characters) of the columns that never wrap (an ID number, a phone), for a sheet whose first rows
# are empty. Long text (现居住地址, 特殊需求, 备注 ...) is left to the house style, which wraps it and caps its width.
MIN_WIDTHS = {"身份证号": 20, "联系电话": 13}


# Dates are date cells, so that Excel's date filters work on them.
DATE_COLUMNS = {"返京日期": DATE, "隔离起始日期": DATE, "计划解除日期": DATE, "解除日期": DATE}


def _widths(headers: list[str]) -> dict[int, int]:
    return {i: MIN_WIDTHS[h] for i, h in enumerate(headers) if h in MIN_WIDTHS}


def _rows(ids: list[int], day: dt.date, mask: bool, test_days: list[int]):
    rows = report.daily_rows(ids, day, test_days)
    return (mask_columns(row, report.ID_INDEX, report.PHONE_INDEX) for row in rows) if mask else rows


def daily_sheets(day: dt.date, detailed: bool = False, mask: bool = False) -> tuple[list[Sheet], int]:
    """The ledger sheet (隔离管控台账), 当日统计 and, when detailed, one sheet per classification. The ledger has a
    column per scheduled test day (report.report_test_days), the same on every sheet of the workbook."""
    title = community_title()
    ids = report.daily_ids(day)
    test_days = report.report_test_days(ids)
    headers = report.daily_headers(test_days)
    widths = _widths(headers)
    sheets = [Sheet(name="隔离管控台账", title=f"{title}隔离管控台账（{day:%Y年%m月%d日}）",
                    headers=headers, rows=_rows(ids, day, mask, test_days), min_widths=widths,
                    kinds=DATE_COLUMNS)]
    counts = report.daily_counts(day)
    sheets.append(Sheet(name="当日统计", title=f"{title}隔离管控当日统计（{day:%Y年%m月%d日}）",
                        headers=report.COUNT_HEADERS, rows=counts[:-1], total=counts[-1]))
    if detailed:
        for name in report.classifications_on(day):
            sheet_ids = report.daily_ids(day, name)
            safe = "".join(ch for ch in name if ch not in "[]:*?/\\")[:28] or "未分类"
            sheets.append(Sheet(name=safe, title=f"{title}{name}细化台账（{day:%Y年%m月%d日}）",
                                headers=headers, rows=_rows(sheet_ids, day, mask, test_days),
                                min_widths=widths, kinds=DATE_COLUMNS))
    return sheets, len(ids)


def export_daily(path: str | os.PathLike, day: dt.date, detailed: bool = False, mask: bool = False,
                 progress: Callable[[int], bool] | None = None) -> int:
    """Write the day's ledger to path (atomically), ID numbers and phones masked on request.

    Returns the number of persons in it. The export and the masking choice go to the audit log."""
    sheets, count = daily_sheets(day, detailed, mask)
    write_workbook(path, sheets, report_meta(day), progress)
    audit.record("导出", "quarantine_case", None, f"导出 {day:%Y-%m-%d} 隔离管控日报 {count} 人到 {os.path.basename(str(path))}"
                 f"（{'身份证号和电话已脱敏' if mask else '完整身份证号和电话'}）")
    return count
