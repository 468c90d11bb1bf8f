"""Writing and reading the audit log (操作日志)."""
from __future__ import annotations

import datetime as dt
import json

from .. import session
from ..models import AuditLog


def _plain(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def record(action: str, table: str, record_id: int | None, summary: str = "", changes: dict | None = None) -> None:
    AuditLog.create(
        user=session.current.user,
        action=action,
        table=table,
        record_id=record_id,
        summary=summary[:250],
        changes=json.dumps({k: [_plain(a), _plain(b)] for k, (a, b) in (changes or {}).items()}, ensure_ascii=False),
    )


def diff(old: dict, new: dict) -> dict:
    """Fields whose value changed: {field: (old, new)}."""
    return {k: (old.get(k), v) for k, v in new.items() if old.get(k) != v}


def history(table: str, record_id: int) -> list[dict]:
    rows = (AuditLog.select().where((AuditLog.table == table) & (AuditLog.record_id == record_id))
            .order_by(AuditLog.at.desc(), AuditLog.id.desc()))
    return [{"at": r.at, "user": r.user, "action": r.action, "summary": r.summary,
             "changes": json.loads(r.changes or "{}")} for r in rows]


# --- the 操作日志 window ---
COLUMNS = [("at", "时间"), ("user", "操作人"), ("action", "操作"), ("table", "对象"), ("summary", "内容"),
           ("changes", "修改的字段")]
TABLE_LABELS = {"resident": "居民", "staff_account": "账号", "facility": "设施", "service_request": "工单",
                "quarantine_case": "隔离人员", "setting": "设置", "community": "社区"}


def search_ids(text: str = "", action: str = "", table: str = "", date_from: dt.date | None = None,
               date_to: dt.date | None = None) -> list[int]:
    """Audit entries matching the filters, newest first."""
    query = AuditLog.select(AuditLog.id)
    if text:
        like = f"%{text.strip()}%"
        query = query.where(AuditLog.summary ** like | AuditLog.user ** like | AuditLog.changes ** like)
    if action:
        query = query.where(AuditLog.action == action)
    if table:
        query = query.where(AuditLog.table == table)
    if date_from:
        query = query.where(AuditLog.at >= dt.datetime.combine(date_from, dt.time.min))
    if date_to:
        query = query.where(AuditLog.at <= dt.datetime.combine(date_to, dt.time.max))
    return [row[0] for row in query.order_by(AuditLog.at.desc(), AuditLog.id.desc()).tuples()]


def describe_changes(changes_json: str) -> str:
    try:
        changes = json.loads(changes_json or "{}")
    except ValueError:
        return ""
    return "；".join(f"{field}：{old or '（空）'} → {new or '（空）'}" for field, (old, new) in changes.items())


def load_rows(ids: list[int]) -> dict[int, tuple]:
    rows = AuditLog.select().where(AuditLog.id.in_(ids))
    return {r.id: (f"{r.at:%Y-%m-%d %H:%M:%S}", r.user, r.action, TABLE_LABELS.get(r.table, r.table), r.summary,
                   describe_changes(r.changes)) for r in rows}


def actions() -> list[str]:
    return [r[0] for r in AuditLog.select(AuditLog.action).distinct().order_by(AuditLog.action).tuples()]


def tables() -> list[str]:
    return [r[0] for r in AuditLog.select(AuditLog.table).distinct().order_by(AuditLog.table).tuples()]
