"""Where each field of a case got its value, and what a push row would change (issue 15).

A field's value came from a push (case_field_source, else the push that created the case) or from a staff edit
(the audit log: 修改 lines naming the field, or the registration of a 自排 case). A row of a push dated P never
overwrites a value from a push dated after P, nor one a staff member entered on or after P: that change is a
Conflict, shown with both values and where the current one came from, and applied only when the user takes it.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from .. import vocabulary
from ..models import db_proxy
from ..models.base import now

UPDATABLE = ("name", "phone", "address", "classification", "origin", "arrival_date", "transport")
IMPORT_ACTIONS = ("新增", "导入", "导入更新")


def label(key: str) -> str:
    return vocabulary.field_label("quarantine_case", key) or key


def show(value) -> str:
    if value is None or value == "":
        return "（空）"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


@dataclass
class Change:
    field: str
    old: object
    new: object

    def text(self) -> str:
        return f"{label(self.field)}：{show(self.old)} → {show(self.new)}"


@dataclass
class Conflict:
    case_id: int
    row: int
    sheet: str
    name: str
    field: str
    old: object
    new: object
    source: str  # where the current value came from, in words
    take: bool = False  # the user's choice: False keeps the current value

    @property
    def key(self) -> tuple[int, str]:
        return self.case_id, self.field

    def as_dict(self) -> dict:
        return {"row": self.row, "sheet": self.sheet, "name": self.name, "field": self.field,
                "field_label": label(self.field), "old": show(self.old), "new": show(self.new),
                "source": self.source, "take": self.take}


@dataclass
class Source:
    push_date: dt.date | None = None
    batch_id: int | None = None
    edit_at: str = ""  # "YYYY-MM-DD HH:MM:SS"
    edit_by: str = ""


@dataclass
class CaseState:
    values: dict
    created_at: str
    self_screened: bool
    sources: dict[str, Source] = field(default_factory=dict)


def _as_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value if not isinstance(value, dt.datetime) else value.date()
    return dt.date.fromisoformat(str(value)[:10])


def load_states(case_ids: list[int]) -> dict[int, CaseState]:
    """The updatable values of these cases and, per field, the push and the staff edit behind them."""
    states: dict[int, CaseState] = {}
    cols = ", ".join(f'c."{k}"' for k in UPDATABLE)
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for r in db_proxy.execute_sql(
                f"SELECT c.id, c.created_at, c.source, c.push_batch_id, b.push_date, c.notes, {cols} "
                f"FROM quarantine_case c LEFT JOIN push_batch b ON b.id = c.push_batch_id WHERE c.id IN ({marks})",
                chunk):
            values = dict(zip(UPDATABLE, r[6:], strict=True))
            values["arrival_date"] = _as_date(values["arrival_date"])
            values["notes"] = r[5] or ""
            state = CaseState(values, str(r[1])[:19], r[3] is None)
            for key in UPDATABLE:
                state.sources[key] = Source(_as_date(r[4]), r[3])
            states[r[0]] = state
        for case_id, key, batch_id, push_date in db_proxy.execute_sql(
                f"SELECT s.case_id, s.field, s.batch_id, b.push_date FROM case_field_source s "
                f"JOIN push_batch b ON b.id = s.batch_id WHERE s.case_id IN ({marks})", chunk):
            if key in states[case_id].sources:
                states[case_id].sources[key].push_date = _as_date(push_date)
                states[case_id].sources[key].batch_id = batch_id
        actions = ",".join("?" * len(IMPORT_ACTIONS))
        for case_id, at, user, changes in db_proxy.execute_sql(
                f'SELECT record_id, "at", "user", changes FROM audit_log WHERE "table" = ? AND record_id IN ({marks}) '
                f'AND action NOT IN ({actions}) ORDER BY "at"', ["quarantine_case", *chunk, *IMPORT_ACTIONS]):
            try:
                named = json.loads(changes or "{}")
            except ValueError:
                continue
            for key in named if isinstance(named, dict) else ():
                if key in states[case_id].sources:
                    states[case_id].sources[key].edit_at = str(at)[:19]
                    states[case_id].sources[key].edit_by = user or ""
    for state in states.values():  # a 自排 case: its registration is the staff's entry of every field
        if state.self_screened:
            for source in state.sources.values():
                if not source.edit_at:
                    source.edit_at = state.created_at
    return states


def newer_than(source: Source, push_date: dt.date) -> str:
    """Why the current value is newer than a push of push_date ("" when it is not)."""
    reasons = []
    if source.push_date and source.push_date > push_date:
        reasons.append(f"来自 {source.push_date:%Y-%m-%d} 的推送（批次 {source.batch_id}）")
    if source.edit_at and source.edit_at[:10] >= push_date.isoformat():
        reasons.append(f"{source.edit_by or '工作人员'} 于 {source.edit_at[:16]} 修改")
    return "；".join(reasons)


def compare(state: CaseState, values: dict, push_date: dt.date) -> tuple[list[Change], list[tuple[Change, str]]]:
    """(changes to apply, conflicts with the reason) of a push row against a case."""
    changes, conflicts = [], []
    for key in UPDATABLE:
        new = values.get(key)
        old = state.values.get(key)
        if new in (None, "") or old == new:
            continue
        why = newer_than(state.sources[key], push_date)
        (conflicts.append((Change(key, old, new), why)) if why else changes.append(Change(key, old, new)))
    return changes, conflicts


def record_sources(rows: list[tuple[int, str]], batch_id: int) -> None:
    """Remember that this batch wrote these (case, field) values."""
    if rows:
        db_proxy.cursor().executemany(
            'INSERT INTO case_field_source (case_id, field, batch_id) VALUES (?, ?, ?) '
            "ON CONFLICT (case_id, field) DO UPDATE SET batch_id = excluded.batch_id",
            [(case_id, key, batch_id) for case_id, key in rows])


def stamp() -> str:
    return now().strftime("%Y-%m-%d %H:%M:%S")
