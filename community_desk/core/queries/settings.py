"""Office settings stored in the database (they travel with a backup).

Writing one is a change like any other: only a session that may write can do it, and a value that
really changes leaves one line in the audit log ('填报单位：（空） → 长阳镇…'); storing the value a
setting already has leaves none.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .. import session, vocabulary
from ..db import transaction
from ..models import Setting, db_proxy
from . import audit

TABLE = "setting"

DEFAULTS: dict[str, Any] = {
    "office_name": "",        # 填报单位
    "reporter_name": "",      # 填报人
    "reporter_phone": "",
    "show_full_ids": True,
}


def get(key: str, default: Any = None) -> Any:
    # raw SQL: every list page reads a setting for each block of rows it shows (whether IDs are masked), and
    # building the same query through the ORM each time cost 0.4 ms of it
    row = db_proxy.execute_sql("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    if row is None:
        return DEFAULTS.get(key, default) if default is None else default
    return json.loads(row[0])


def label(key: str) -> str:
    """The Chinese name of a setting (core.vocabulary), or its key when the glossary has none."""
    return vocabulary.field_label(TABLE, key) or key


def put(key: str, value: Any, *, summary: str = "", changes: dict | None = None) -> bool:
    """Store one setting. Raises PermissionDenied for a read-only session. Returns whether the value changed.

    A change is audited: by default as '修改设置：<label>' with the old and new value; a caller that knows
    better words gives `summary` and/or `changes` ({name: (old, new)}) for the line instead."""
    return put_many({key: value}, summary=summary, changes=changes)


def put_many(values: dict[str, Any], *, summary: str = "", changes: dict | None = None) -> bool:
    """Store several settings in one transaction with one audit line for those that changed."""
    session.require_write()
    changed: dict[str, tuple[Any, Any]] = {}
    with transaction():
        for key, value in values.items():
            text = json.dumps(value, ensure_ascii=False)
            row = Setting.get_or_none(Setting.key == key)
            if row is not None and row.value == text:
                continue
            old = get(key)
            Setting.insert(key=key, value=text).on_conflict(
                conflict_target=[Setting.key], update={Setting.value: text}).execute()
            if not audit.same(old, value):
                changed[key] = (old, value)
        if changed:
            audit.record("修改", TABLE, None, summary or "修改设置：" + "、".join(label(k) for k in changed),
                         changes if changes is not None else changed)
    return bool(changed)


def next_count(key: str, first: Callable[[], int]) -> int:
    """The next value of a counter kept as a setting row (the 工单编号 of a year): one statement adds 1 and returns
    the new value, so two PCs writing at once never get the same one (PostgreSQL holds the row's lock until the
    transaction ends; SQLite has one writer). A counter not there yet starts at first(), called only then; when
    another PC creates it at the same moment, the upsert counts on from its value. Call inside the write
    transaction: a rolled-back write gives its number back."""
    rows = db_proxy.execute_sql(f"UPDATE setting SET value = {_PLUS_ONE} WHERE key = ? RETURNING value",
                                (key,)).fetchall()
    if not rows:
        rows = db_proxy.execute_sql(f"INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
                                    f"SET value = {_PLUS_ONE} RETURNING value", (key, str(int(first())))).fetchall()
    return int(rows[0][0])


_PLUS_ONE = "CAST(CAST(setting.value AS INTEGER) + 1 AS TEXT)"  # the value is JSON: a number's text


def full_ids_shown() -> bool:
    """Lists and printed sheets show full ID numbers and phones only to staff roles, and only if the office
    allows. Every core read that returns ID numbers or phones for a screen masks by this."""
    return session.current.can_see_full_ids and bool(get("show_full_ids", True))


def masks(mask: bool | None = None) -> bool:
    """Whether a read masks ID numbers and phones. By default (None) as lists and printed sheets show them
    (full_ids_shown); mask=False, an export the person chose to make in full, still masks them for a role that may
    not see full numbers."""
    if mask is None:
        mask = not full_ids_shown()
    return mask or not session.current.can_see_full_ids


def is_configured() -> bool:
    """True once the first-start questions (communities, office name, an administrator) have been answered."""
    from ..models import Community, StaffAccount

    return bool(get("office_name")) and Community.select().exists() and StaffAccount.select().exists()
