"""导入记录: every push of the dispatched list (市派名单) as it was imported, and the rows it could not import.

The rows of a PushBatch (file, push date, sender, counts, who imported it and when) for the 导入记录 window, and
a push's rejected rows (Excel row and reason) to see again or to export and send back to the town.
"""
from __future__ import annotations

from ..models import db_proxy
from .search_text import like_any, like_contains

TABLE = "push_batch"
COLUMNS = [("file_name", "文件"), ("push_date", "推送日期"), ("sender", "推送单位"), ("sheets", "工作表"),
           ("new_count", "新增"), ("updated_count", "更新"), ("unchanged_count", "无变化"),
           ("rejected_count", "未导入"), ("conflict_count", "冲突"), ("imported_by", "导入人"),
           ("imported_at", "导入时间")]
REJECTED_HEADERS = ["工作表", "Excel行号", "姓名", "身份证号", "类别", "原因"]


def search_ids(text: str = "") -> list[int]:
    """Newest push first; `text` matches the file name or the sender (Latin letters in either case, on both
    engines; a typed % or _ matches itself)."""
    sql, params = "SELECT id FROM push_batch", []
    if text.strip():
        sql += " WHERE " + like_any(["file_name", "sender"])
        params = [like_contains(text.strip())] * 2
    return [r[0] for r in db_proxy.execute_sql(sql + " ORDER BY push_date DESC, id DESC", params)]


def load_rows(ids: list[int]) -> dict[int, tuple]:
    out: dict[int, tuple] = {}
    cols = ", ".join(f'"{k}"' for k, _h in COLUMNS)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for r in db_proxy.execute_sql(f"SELECT id, {cols} FROM push_batch WHERE id IN ({','.join('?' * len(chunk))})",
                                      chunk):
            row = list(r[1:])
            row[1] = str(row[1])[:10]
            row[-1] = str(row[-1])[:16]
            out[r[0]] = tuple(row)
    return out


def get(batch_id: int) -> dict | None:
    rows = load_rows([batch_id])
    return dict(zip([k for k, _h in COLUMNS], rows[batch_id], strict=True)) if batch_id in rows else None


def rejected_rows(batch_id: int) -> list[tuple]:
    """(工作表, Excel行号, 姓名, 身份证号, 类别, 原因) of the rows the push could not import, in file order."""
    return [tuple(r) for r in db_proxy.execute_sql(
        'SELECT sheet, "row", name, id_number, kind, reason FROM push_rejected WHERE batch_id = ? '
        'ORDER BY id', (batch_id,))]
