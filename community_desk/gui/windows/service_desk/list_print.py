"""The printed service requests (我来办工作站工单) of a month or a period: the sheet the 打印本月工单 /
另存为PDF buttons and `pdf service-requests` print.

No widget here: it runs on the print path's worker and in the command line (see gui/printing).
"""
from __future__ import annotations

import datetime as dt

from ....core.queries import service_desk
from ....core.reports import community_title, report_meta
from ... import printing

PRINT_KEYS = ["number", "received_at", "contact_name", "contact_phone", "address", "category", "description",
              "assigned_to", "status", "resolution", "satisfaction"]


def month_range(first: dt.date) -> tuple[dt.date, dt.date]:
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def period_text(first: dt.date, last: dt.date) -> str:
    if (first, last) == month_range(first.replace(day=1)) and first.day == 1:
        return f"{first:%Y年%m月}"
    return f"{first:%Y年%m月%d日}至{last:%Y年%m月%d日}"


def requests_sheet(first: dt.date, last: dt.date, mask: bool | None = None) -> printing.TableSheet:
    """The requests received from `first` to `last`, oldest first, with the count of each status. Phones as lists
    show them (mask None), masked (True) or in full where the role may see them (False)."""
    ids = service_desk.search_ids(service_desk.RequestFilter(date_from=first, date_to=last, descending=False))
    keys = service_desk.COLUMN_KEYS
    cols = [keys.index(k) for k in PRINT_KEYS]
    rows = [(n, *(row[c] for c in cols)) for n, row in enumerate(_rows(ids, mask), 1)]
    counts = service_desk.counts_by("status", first, last)
    return printing.TableSheet(
        title=f"{community_title()}我来办工作站工单（{period_text(first, last)}）",
        headers=["序号"] + [service_desk.COLUMNS[c][1] for c in cols], rows=rows,
        subtitle=f"共 {len(ids)} 件：" + "，".join(f"{s} {n}" for s, n in counts) +
                 f"    打印日期：{dt.date.today():%Y年%m月%d日}",
        footer=report_meta().footer(), column_widths=[4, 10, 9, 6, 9, 10, 6, 16, 6, 6, 13, 5])


def _rows(ids: list[int], mask: bool | None):
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        rows = service_desk.load_rows(chunk, mask=mask)
        yield from (rows[i] for i in chunk if i in rows)
