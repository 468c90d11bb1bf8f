"""The resident register as Excel (居民台账): the same workbook from the window and the command line."""
from __future__ import annotations

import os
from collections.abc import Callable

from .. import session
from ..queries import audit, residents
from ..reports import community_title, report_meta
from .house_style import Sheet, write_workbook

# The register covers every community of the office: the column says which one each resident belongs to.
COMMUNITY_HEADER = "所属社区"


def export_residents(path: str | os.PathLike, flt: residents.ResidentFilter | None = None,
                     progress: Callable[[int], bool] | None = None, mask: bool = False) -> int:
    """Write the (filtered) register to path, ID numbers and phones masked on request.

    Returns the number of residents written. The export and the masking choice go to the audit log."""
    session.require_export()
    ids = residents.search_ids(flt or residents.ResidentFilter())
    headers = ["序号"] + [COMMUNITY_HEADER if key == "community" else header for key, header in residents.COLUMNS]
    rows = ((n, *row) for n, row in enumerate(residents.iter_rows(ids, mask=mask), start=1))
    sheet = Sheet(name="居民台账", title=f"{community_title()}居民台账", headers=headers, rows=rows,
                  min_widths={4: 20, 5: 13})
    write_workbook(path, [sheet], report_meta(), progress)
    audit.record("导出", residents.TABLE, None, f"导出居民台账 {len(ids)} 人到 {os.path.basename(str(path))}"
                 f"（{'身份证号和电话已脱敏' if mask else '完整身份证号和电话'}）")
    return len(ids)
