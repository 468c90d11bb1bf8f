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
