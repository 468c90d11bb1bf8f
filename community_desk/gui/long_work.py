"""Long work started from a window (an export, a PDF, laying out a long print): run on a worker, with a progress
window and 取消 when it takes more than half a second; the result or the failure comes back on the GUI thread.

The work is called as work(report); it calls report(n) now and then (rows written, pages printed) and stops
(raising core.errors.ExportCancelled) when report returns False, that is once 取消 was pressed.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QMainWindow, QProgressDialog, QPushButton, QWidget

from ..core.errors import ExportCancelled
from ..core.faults import describe_fault
from . import tasks
from .dialogs.base import show_error

EXPORT_DIR_KEY = "paths/export"
MIN_PROGRESS_MS = 500  # quicker work finishes without a progress window flashing up


class Progress:
    """A count set by the worker and read by the GUI thread's timer; the cancel flag goes the other way."""

    def __init__(self) -> None:
        self.count = 0
        self.cancelled = threading.Event()

    def report(self, count: int) -> bool:
        if count:
            self.count = count
        return not self.cancelled.is_set()


def run_long(parent: QWidget, work: Callable[[Callable[[int], bool]], Any], on_done: Callable[[Any], None], *,
             title: str, busy_text: str = "正在处理……", count_text: str = "", total: int = 0,
             done_text: str = "", button: QPushButton | None = None,
             on_failed: Callable[[], None] | None = None, remember_folder_of: str | None = None,
             cancelled_text: str = "已取消，未写入文件", failed_text: str = "未完成，未写入文件") -> None:
    """Run work(report) on a worker. The progress window shows count_text once a count arrives (a format with {n}
    and {total}: "已写入 {n:,} / {total:,} 行"; a bar with percent when total is known), done_text once the count
    reaches total, else busy_text."""
    if button is not None:
        button.setEnabled(False)
    progress = Progress()
    dialog = QProgressDialog(busy_text, "取消", 0, total, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumWidth(360)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(MIN_PROGRESS_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(progress.cancelled.set)
    timer = QTimer(dialog)
    timer.timeout.connect(lambda: _show(dialog, progress, total, busy_text, count_text, done_text))
    timer.start(100)

    def finish() -> None:
        timer.stop()
        dialog.canceled.disconnect()
        dialog.close()
        dialog.deleteLater()
        if button is not None:
            button.setEnabled(True)

    def done(result: Any) -> None:
        finish()
        if remember_folder_of:
            QSettings().setValue(EXPORT_DIR_KEY, os.path.dirname(remember_folder_of))
            parent.last_export = remember_folder_of
        on_done(result)

    def failed(exc: BaseException) -> None:
        finish()
        if on_failed is not None:
            on_failed()
        if isinstance(exc, ExportCancelled):
            tell_status(parent, cancelled_text)
            return
        # a fault of the machine (full disk, file open in Excel, no permission) in plain words, else the refusal
        show_error(parent, title, f"{failed_text}：{describe_fault(exc) or getattr(exc, 'message', None) or exc}")

    tasks.run_query(lambda: work(progress.report), done, failed)


def _show(dialog: QProgressDialog, progress: Progress, total: int, busy: str, counting: str, finishing: str) -> None:
    n = progress.count
    if dialog.wasCanceled():  # the 取消 button, Esc, or the window closed
        progress.cancelled.set()
        dialog.setLabelText("正在取消……")
    elif total and n >= total and finishing:
        dialog.setLabelText(finishing)
    elif n and counting:
        dialog.setLabelText(counting.format(n=n, total=total))
    else:
        dialog.setLabelText(busy)
    dialog.setValue(min(n, total) if total else 0)


def tell_status(parent: QWidget, text: str) -> None:
    """A line in the main window's status bar (when the widget is inside it)."""
    window = parent.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, 8000)
