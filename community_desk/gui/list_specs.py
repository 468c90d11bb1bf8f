"""What a list page declares (gui/list_page.ListPage): its filters (a drop-down, a check box, a date) and its
buttons. Frozen dataclasses, no widget: the page builds the widgets from them."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

Choices = Sequence[tuple[str, Any]] | Callable[[dict], Iterable[tuple[str, Any]]]


@dataclass(frozen=True)
class Combo:
    """A drop-down filter. `choices` are (text, value) pairs, or a function of the current filter values that
    returns them (read again on 刷新, on a '*' change and on a change of `tables`; the choice shown is kept).
    The first item `all_text` means no filter: its field is left out of the query filter."""
    name: str  # the page attribute that holds the QComboBox
    field: str  # the query filter's field it sets
    label: str = ""  # shown before it
    choices: Choices = ()
    all_text: str = "全部"  # "" for no such item (the first choice is then the default)
    depends_on: str = ""  # refilled when the filter of this field changes (楼栋 after 社区)
    tables: tuple[str, ...] = ()


@dataclass(frozen=True)
class Check:
    name: str
    field: str
    label: str
    checked: bool = False
    tip: str = ""


@dataclass(frozen=True)
class DateFilter:
    name: str
    field: str
    label: str
    default: Callable[[], dt.date]


@dataclass(frozen=True)
class Action:
    """A button of the page: `slot` names the page method it calls (without arguments)."""
    text: str
    slot: str
    tip: str = ""


Filter = Combo | Check | DateFilter
