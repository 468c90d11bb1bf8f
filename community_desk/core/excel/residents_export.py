"""The resident register as Excel (居民台账): the same workbook from the window and the command line."""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

from ..queries import audit, residents
from ..queries import settings as office_settings
from ..queries.communities import list_communities
from .house_style import ReportMeta, Sheet, write_workbook


def report_meta(day: dt.date | None = None) -> ReportMeta:
    return ReportMeta(office=office_settings.get("office_name") or "",
                      reporter=office_settings.get("reporter_name") or "", date=day or dt.date.today())


def community_title() -> str:
    names = [name for _id, name in list_communities()]
    return "、".join(names) if names else "社区"


def export_residents(path: str | os.PathLike, flt: residents.ResidentFilter | None = None,
                     progress: Callable[[int], bool] | None = None) -> int:
    """Write the (filtered) register to path. Returns the number of residents written."""
    ids = residents.search_ids(flt or residents.ResidentFilter())
    headers = ["序号"] + [header for _key, header in residents.COLUMNS]
    rows = ((n, *row) for n, row in enumerate(residents.iter_rows(ids), start=1))
    sheet = Sheet(name="居民台账", title=f"{community_title()}居民台账", headers=headers, rows=rows,
                  min_widths={4: 20, 5: 13})
    write_workbook(path, [sheet], report_meta(), progress)
    audit.record("导出", residents.TABLE, None, f"导出居民台账 {len(ids)} 人到 {os.path.basename(str(path))}")
    return len(ids)
