"""The audit log window (操作日志): every create, update, delete, export and login, filterable.

A ListPage that follows every change while it is shown, and reads its filters and lines again each time it is
shown (a login or an export writes a line without a data change)."""
from __future__ import annotations

import datetime as dt

from ....core import vocabulary
from ....core.queries import audit
from ...list_page import Combo, DateFilter, ListPage


def _month_ago() -> dt.date:
    today = dt.date.today()
    month, year = (today.month - 1, today.year) if today.month > 1 else (12, today.year - 1)
    for day in range(today.day, 0, -1):  # 31 March -> 28 (or 29) February, as QDate.addMonths(-1) does
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return today


class AuditPage(ListPage):
    title = "操作日志"
    columns = audit.COLUMNS
    widths = (150, 90, 60, 70, 320)
    search_hint = "搜索：操作人 / 内容 / 修改的字段"
    filters = (
        Combo("action_filter", "action", "操作", lambda _v: [(a, a) for a in audit.actions()]),
        Combo("table_filter", "table", "对象",
              lambda _v: [(vocabulary.TABLE_LABELS.get(t, t), t) for t in audit.tables()]),
        DateFilter("from_edit", "date_from", "从", _month_ago),
        DateFilter("to_edit", "date_to", "到", dt.date.today),
    )
    tables = None  # every change writes a line here
    follow_hidden = False
    count_text = "共 {shown:,} 条操作记录"

    def load_rows(self, ids: list[int]) -> dict[int, tuple]:
        return audit.load_rows(ids)

    def find(self, flt: dict, limit: int | None = None) -> list[int]:
        return audit.search_ids(**flt)
