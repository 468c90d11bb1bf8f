"""The rows a push could not import (未导入行), as Excel in the house style, to send back to the town with their
Excel row number and reason. The same workbook comes from the 导入记录 window."""
from __future__ import annotations

import os
from collections.abc import Callable

from ..queries import audit, push_batches
from ..rules.text import ValidationError
from .house_style import Sheet, write_workbook
from .residents_export import report_meta


def export_rejected(path: str | os.PathLike, batch_id: int, progress: Callable[[int], bool] | None = None) -> int:
    """Write the push's rejected rows to path; returns how many."""
    batch = push_batches.get(batch_id)
    if batch is None:
        raise ValidationError(f"没有编号为 {batch_id} 的推送批次")
    rows = push_batches.rejected_rows(batch_id)
    title = f"市派名单未导入行（{batch['file_name']}，推送日期 {batch['push_date']}" \
            f"{'，' + batch['sender'] if batch['sender'] else ''}）"
    sheet = Sheet(name="未导入行", title=title, headers=push_batches.REJECTED_HEADERS, rows=rows,
                  total=("合计", f"{len(rows)} 行", "", "", "", ""), min_widths={5: 40})
    write_workbook(path, [sheet], report_meta(), progress)
    audit.record("导出", "quarantine_case", None,
                 f"导出市派名单未导入行（批次 {batch_id}，{len(rows)} 行）到 {os.path.basename(str(path))}")
    return len(rows)
