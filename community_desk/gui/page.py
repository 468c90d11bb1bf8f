"""The base of every module page in the main window, and the one data_changed bus.

A page says what it is (title) and may answer the standard actions (new, search, export,
print, refresh). Pages never import each other; they learn of changes from `bus.data_changed`,
which carries the name of the table that changed.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget


class DataBus(QObject):
    data_changed = Signal(str)


bus = DataBus()


class Page(QWidget):
    title = ""
    count_changed = Signal(str)  # status bar text, e.g. "共 1,234 人"
    settled = Signal()  # what arrives after the page is built (the home screen's charts) is in and laid out

    def new_record(self) -> None: ...
    def focus_search(self) -> None: ...
    def export_excel(self) -> None: ...
    def print_preview(self) -> None: ...
    def save_pdf(self) -> None: ...
    def refresh(self) -> None: ...
    def status_text(self) -> str:
        return ""
