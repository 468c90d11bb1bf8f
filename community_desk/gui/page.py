"""The base of every module page in the main window, and the one data_changed bus.

A page says what it is (title) and may answer the standard actions (new, search, export,
print, refresh). Pages never import each other; they learn of changes from `bus.data_changed`,
which carries the name of the table that changed.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from .messages import REFUSED, tell


class DataBus(QObject):
    data_changed = Signal(str)


bus = DataBus()
NO_SELECTION = "请先在列表中选中一行"


def need_selection(widget: QWidget, ids: list) -> bool:
    """True when rows are selected; else the status bar asks for a selection first (a press never does nothing)."""
    if not ids:
        tell(widget, NO_SELECTION, REFUSED)
    return bool(ids)


class Page(QWidget):
    title = ""
    count_changed = Signal(str)  # status bar text, e.g. "共 1,234 人"
    settled = Signal()  # what arrives after the page is built (the home screen's charts) is in and laid out

    def new_record(self) -> None:
        self.not_here("新增")

    def focus_search(self) -> None:
        self.not_here("查找")

    def export_excel(self) -> None:
        self.not_here("导出Excel")

    def print_preview(self) -> None:
        self.not_here("打印预览")

    def save_pdf(self) -> None:
        self.not_here("另存为PDF")

    def refresh(self) -> None: ...

    def not_here(self, action: str) -> None:
        """A standard action (menu, toolbar, shortcut) this page does not have: the status bar says so."""
        tell(self, f"“{self.title}”页面没有“{action}”", REFUSED)

    def status_text(self) -> str:
        return ""
