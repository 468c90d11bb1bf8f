"""The printed resident list (居民台账): the sheet the 打印预览 / 另存为PDF buttons and `pdf residents` print.

No widget here: it runs on the print path's worker and in the command line (see gui/printing).
"""
from __future__ import annotations

import datetime as dt

from ....core.queries import residents
from ....core.reports import community_title, report_meta
from ... import printing

PRINT_COLUMNS = ["name", "gender", "age", "id_number", "phone", "community", "address", "household", "tags",
                 "residence_status"]
HEADERS = {"community": "所属社区"}  # as in the export: an office serving several communities has a 1号楼 in each


def residents_sheet(ids: list[int], mask: bool | None = None) -> printing.TableSheet:
    """These residents in this order. ID numbers and phones as lists show them (mask None), or masked (True), or in
    full (False) where the role may see them (core.queries.settings.masks)."""
    keys = residents.COLUMN_KEYS
    cols = [keys.index(k) for k in PRINT_COLUMNS]
    rows = [(n, *(row[c] for c in cols)) for n, row in enumerate(residents.iter_rows(ids, mask=mask), 1)]
    return printing.TableSheet(
        title=f"{community_title()}居民台账", headers=["序号"] + [HEADERS.get(keys[c], residents.COLUMNS[c][1]) for c in cols],
        rows=rows, subtitle=f"共 {len(ids):,} 人    打印日期：{dt.date.today():%Y年%m月%d日}",
        footer=report_meta().footer(), column_widths=[4, 7, 4, 4, 15, 10, 8, 15, 8, 17, 8])


def all_residents_sheet(mask: bool | None = None) -> printing.TableSheet:
    return residents_sheet(residents.search_ids(residents.ResidentFilter()), mask)
