"""The printed facility log (设施台账): the sheet the 打印预览 / 另存为PDF buttons and `pdf facilities` print,
and the row formatting the list shares with it.

No widget here: it runs on the print path's worker and in the command line (see gui/printing).
"""
from __future__ import annotations

import datetime as dt

from ....core.queries import facilities
from ....core.reports import community_title, report_meta
from ....core.rules import facilities as rules
from ... import printing

PRINT_KEYS = ["kind", "name", "quantity", "unit", "location", "status", "installed_date", "cost", "responsible",
              "last_inspected", "inspection"]


def cost_text(value) -> str:
    return rules.format_money(value) if value not in ("", None) else ""


def format_row(row: tuple) -> tuple:
    out = list(row)
    out[facilities.COLUMN_KEYS.index("cost")] = cost_text(row[facilities.COLUMN_KEYS.index("cost")])
    return tuple(out)


def facilities_sheet(ids: list[int]) -> printing.TableSheet:
    """These facilities in this order, under the totals of the installed ones."""
    totals = facilities.totals_text() or "暂无"
    keys = facilities.COLUMN_KEYS
    cols = [keys.index(k) for k in PRINT_KEYS]
    rows = [(n, *(format_row(row)[c] for c in cols)) for n, row in enumerate(facilities.iter_rows(ids), 1)]
    return printing.TableSheet(
        title=f"{community_title()}设施台账", headers=["序号"] + [facilities.COLUMNS[c][1] for c in cols],
        rows=rows, subtitle=f"在用设施：{totals}    打印日期：{dt.date.today():%Y年%m月%d日}",
        footer=report_meta().footer(), column_widths=[4, 8, 14, 4, 4, 18, 6, 9, 9, 6, 9, 9])


def all_facilities_sheet() -> printing.TableSheet:
    """Every installed facility, then the planned projects: the list as it opens."""
    planned = facilities.FacilityFilter(group="planned", sort_key="planned_date")
    return facilities_sheet(facilities.search_ids(facilities.FacilityFilter()) + facilities.search_ids(planned))
