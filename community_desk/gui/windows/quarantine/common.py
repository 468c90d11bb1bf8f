"""Small shared pieces of the quarantine window: a model over a short precomputed list, date helpers and the
'a write happened' signal (tables are table_model.make_table_view, imported here as make_table)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate

from ...page import bus
from ...table_model import (
    LazyTableModel,
    selected_ids,  # noqa: F401
)
from ...table_model import make_table_view as make_table  # noqa: F401  (the package's tabs use these two)

TABLE = "quarantine_case"


def changed() -> None:
    bus.data_changed.emit(TABLE)


def list_model(headers: Sequence[str], parent=None) -> LazyTableModel:
    """A lazy model fed from a short list held by the caller: set it with `fill(model, rows)`."""
    store: dict[int, tuple] = {}
    model = LazyTableModel(headers, lambda ids: {i: store[i] for i in ids if i in store}, parent)
    model.store = store  # type: ignore[attr-defined]
    return model


def fill(model: LazyTableModel, rows: list[tuple[int, tuple]]) -> None:
    model.store.clear()  # type: ignore[attr-defined]
    model.store.update(rows)  # type: ignore[attr-defined]
    model.set_ids([rid for rid, _ in rows])


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())
