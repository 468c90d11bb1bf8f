"""Writing and reading the audit log (操作日志) and a record's change history (变更记录).

A change is stored as JSON {field: [old, new]} with the code's field names; it is shown in the
glossary's words (core.vocabulary): 'result: 阳性 → 阴性' reads '核酸结果：阳性 → 阴性', an id of a
community or a team reads as its name, a yes/no as 是/否. A pair whose old and new values look the
same is not a change: it is not stored, and a write whose changes are all such pairs (or none, when
the caller compared the record before and after) leaves no line at all.
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from .. import session, vocabulary
from ..models import (
    AuditLog,
    Community,
    Facility,
    FacilityKind,
    GatePost,
    RequestCategory,
    Resident,
    ServiceRound,
    ServiceTeam,
    Volunteer,
    VolunteerTeam,
)
from ..rules.volunteers import availability_text
from .search_text import field_contains

# A stored id shown by the name of what it points to: field (without _id) -> model, per table or for all.
_REFERENCES = {"community": Community, "resident": Resident, "category": RequestCategory, "facility": Facility,
               "post": GatePost, "round": ServiceRound}
_TABLE_REFERENCES = {("facility", "kind"): FacilityKind, ("volunteer", "team"): VolunteerTeam,
                     ("visit", "team"): ServiceTeam, ("duty_shift", "volunteer_ids"): Volunteer,
                     ("service_team", "volunteer_ids"): Volunteer}


def _plain(value):
    """A value as JSON keeps it: dates as ISO text, money and temperatures as text."""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | set):
        return [_plain(v) for v in value]
    return value


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def same(old, new) -> bool:
    """True when a change from old to new would show as no change: 待出 → 待出, empty → empty, 2 → '2'."""
    old, new = _plain(old), _plain(new)
    if _empty(old) or _empty(new):
        return _empty(old) and _empty(new)
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    return old == new or (not isinstance(old, list | dict) and str(old) == str(new))


# What a read-only session may write of itself: its own login and a wrong password typed at the login.
SESSION_ACTIONS = frozenset({"登录", "登录失败"})
SESSION_TABLE = "staff_account"


def record(action: str, table: str, record_id: int | None, summary: str = "", changes: dict | None = None) -> bool:
    """Write one audit line. `changes` {field: (old, new)}: pairs that change nothing are dropped, and when
    changes were given but none is left the line is not written. Returns whether a line was written.

    Only a session that may write can add a line (a read-only one cannot forge a 删除), except for the
    login's own lines (SESSION_ACTIONS on staff accounts). Raises PermissionDenied."""
    if not (table == SESSION_TABLE and action in SESSION_ACTIONS):
        session.require_write()
    real = {k: [_plain(a), _plain(b)] for k, (a, b) in (changes or {}).items() if not same(a, b)}
    if changes is not None and not real:
        return False
    AuditLog.create(user=session.current.user, action=action, table=table, record_id=record_id,
                    summary=summary[:250], changes=json.dumps(real, ensure_ascii=False))
    return True


def diff(old: dict, new: dict) -> dict:
    """Fields whose value changed: {field: (old, new)}. A record's version (core/queries/record_versions.py) is
    bookkeeping, not a change a person made."""
    return {k: (old.get(k), v) for k, v in new.items() if k != "version" and not same(old.get(k), v)}


# --- showing a change in the glossary's words ---
def _loads(changes_json: str) -> dict:
    try:
        changes = json.loads(changes_json or "{}")
    except ValueError:
        return {}
    return changes if isinstance(changes, dict) else {}


def _reference(table: str, field: str):
    key = field[:-3] if field.endswith("_id") else field
    return _TABLE_REFERENCES.get((table, key)) or _REFERENCES.get(key)


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _names(entries: list[tuple[str, dict]]) -> dict:
    """{(model, id): name} of every id the changes point to, one query per model."""
    wanted: dict = {}
    for table, changes in entries:
        for field, pair in changes.items():
            model = _reference(table, field)
            if model is not None and isinstance(pair, list):
                wanted.setdefault(model, set()).update(v for v in pair if _is_id(v))
    out = {}
    for model, ids in wanted.items():
        for row_id, name in model.select(model.id, model.name).where(model.id.in_(list(ids))).tuples():
            out[(model, row_id)] = name
    return out


def show_value(table: str, field: str, value, names: dict | None = None) -> str:
    """One old or new value as a person reads it."""
    if _empty(value):
        return vocabulary.EMPTY
    if isinstance(value, bool):
        return vocabulary.YES if value else vocabulary.NO
    if isinstance(value, list):
        return "、".join(show_value(table, field, v, names) for v in value)
    if isinstance(value, dict):
        return "，".join(f"{field_name(table, k)} {show_value(table, k, v, names)}" for k, v in value.items())
    model = _reference(table, field)
    if model is not None and _is_id(value):
        return (names or {}).get((model, value), f"{value}号（已删除）")
    if table == "volunteer" and field == "availability" and isinstance(value, str):
        return availability_text(value)
    text = str(value)
    if len(text) >= 19 and text[4] == "-" and text[10] == "T":  # an ISO date-time stored before
        text = text.replace("T", " ", 1)
    return text


def show_values(table: str, field: str, values: list) -> list[str]:
    """Several values of one field as a person reads them (an id as the name it points to)."""
    flat = [item for value in values for item in (value if isinstance(value, list) else [value])]
    names = _names([(table, {field: flat})])
    return [show_value(table, field, value, names) for value in values]


def last_change(table: str, record_id: int, field: str) -> tuple[str, dt.datetime | None]:
    """Who last changed this field of this record, and when: the newest audit line whose changes name it."""
    key = json.dumps(field, ensure_ascii=False) + ":"
    lines = (AuditLog.select(AuditLog.user, AuditLog.at, AuditLog.changes)
             .where((AuditLog.table == table) & (AuditLog.record_id == record_id) & AuditLog.changes.contains(key))
             .order_by(AuditLog.id.desc()))
    for line in lines:  # (an _ in the field's name matches any character in LIKE)
        if field in _loads(line.changes):
            return line.user, line.at
    return "", None


def field_name(table: str, field: str) -> str:
    return vocabulary.field_label(table, field) or field


def describe(table: str, changes: dict, names: dict | None = None) -> str:
    """'核酸结果：阳性 → 阴性；检测机构：（空） → 长阳卫生院'."""
    parts = []
    for field, pair in changes.items():
        old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        if same(old, new):
            continue
        part = f"{field_name(table, field)}：{show_value(table, field, old, names)} → {show_value(table, field, new, names)}"
        if part not in parts:  # a category stored both by id and by name reads once
            parts.append(part)
    return "；".join(parts)


def describe_changes(table: str, changes_json: str) -> str:
    changes = _loads(changes_json)
    return describe(table, changes, _names([(table, changes)]))


def history(table: str, record_id: int) -> list[dict]:
    """A record's 变更记录, newest first; `text` is the change in Chinese, `changes` the stored pairs."""
    rows = list(AuditLog.select().where((AuditLog.table == table) & (AuditLog.record_id == record_id))
                .order_by(AuditLog.at.desc(), AuditLog.id.desc()))
    parsed = [_loads(r.changes) for r in rows]
    names = _names([(table, c) for c in parsed])
    return [{"at": r.at, "user": r.user, "action": r.action, "summary": r.summary, "changes": changes,
             "text": describe(table, changes, names)} for r, changes in zip(rows, parsed, strict=True)]


# --- the 操作日志 window ---
COLUMNS = [("at", "时间"), ("user", "操作人"), ("action", "操作"), ("table", "对象"), ("summary", "内容"),
           ("changes", "修改的字段")]


def _fields_named(text: str) -> set[str]:
    """Code names of the fields whose Chinese name contains text: a search for 核酸结果 finds 'result'."""
    found = {field for labels in vocabulary.FIELD_LABELS.values() for field, label in labels.items() if text in label}
    return found | {field for field, label in vocabulary.COMMON_LABELS.items() if text in label}


def search_ids(text: str = "", action: str = "", table: str = "", date_from: dt.date | None = None,
               date_to: dt.date | None = None) -> list[int]:
    """Audit entries matching the filters, newest first. The text is looked for in the user, the summary,
    the values changed and the Chinese names of the fields changed."""
    query = AuditLog.select(AuditLog.id)
    text = text.strip()
    if text:
        cond = (field_contains(AuditLog.summary, text) | field_contains(AuditLog.user, text)
                | field_contains(AuditLog.changes, text))
        for field in sorted(_fields_named(text)):
            for key in (field, f"{field}_id"):
                cond = cond | AuditLog.changes.contains(json.dumps(key) + ":")
        query = query.where(cond)
    if action:
        query = query.where(AuditLog.action == action)
    if table:
        query = query.where(AuditLog.table == table)
    if date_from:
        query = query.where(AuditLog.at >= dt.datetime.combine(date_from, dt.time.min))
    if date_to:
        query = query.where(AuditLog.at <= dt.datetime.combine(date_to, dt.time.max))
    return [row[0] for row in query.order_by(AuditLog.at.desc(), AuditLog.id.desc()).tuples()]


def load_rows(ids: list[int]) -> dict[int, tuple]:
    rows = list(AuditLog.select().where(AuditLog.id.in_(ids)))
    parsed = {r.id: _loads(r.changes) for r in rows}
    names = _names([(r.table, parsed[r.id]) for r in rows])
    return {r.id: (f"{r.at:%Y-%m-%d %H:%M:%S}", r.user, r.action, vocabulary.table_label(r.table), r.summary,
                   describe(r.table, parsed[r.id], names)) for r in rows}


def actions() -> list[str]:
    return [r[0] for r in AuditLog.select(AuditLog.action).distinct().order_by(AuditLog.action).tuples()]


def tables() -> list[str]:
    return [r[0] for r in AuditLog.select(AuditLog.table).distinct().order_by(AuditLog.table).tuples()]
