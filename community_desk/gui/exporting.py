"""Exporting from a window: the save dialogs (Excel, PDF) that remember their folder, and the export run off the GUI thread.

A failed or cancelled export says that nothing was written (the workbook is written atomically by core.excel).
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QMainWindow, QProgressDialog, QPushButton, QWidget

from ..core.errors import ExportCancelled
from . import tasks
from .dialogs.base import show_error

EXPORT_DIR_KEY = "paths/export"
MIN_PROGRESS_MS = 500  # quicker exports finish without a progress window flashing up


def with_suffix(path: str, suffix: str = ".xlsx") -> str:
    return path if path.lower().endswith(suffix) else path + suffix


def ask_xlsx_path(parent: QWidget, default_name: str, title: str = "导出Excel") -> str | None:
    """The save dialog, opened in the folder of the last export. None when cancelled."""
    start = QSettings().value(EXPORT_DIR_KEY, "")
    path, _ = QFileDialog.getSaveFileName(parent, title, f"{start}/{default_name}" if start else default_name,
                                          "Excel 工作簿 (*.xlsx)")
    return with_suffix(path) if path else None


def ask_pdf_path(parent: QWidget, default_name: str) -> str | None:
    """The 另存为PDF dialog, opened in the folder of the last export. None when cancelled."""
    start = QSettings().value(EXPORT_DIR_KEY, "")
    path, _ = QFileDialog.getSaveFileName(parent, "另存为PDF", f"{start}/{default_name}" if start else default_name,
                                          "PDF 文件 (*.pdf)")
    return with_suffix(path, ".pdf") if path else None


class _Progress:
    """Rows written, set by the worker and read by the GUI thread's timer; the cancel flag goes the other way."""

    def __init__(self) -> None:
        self.rows = 0
        self.cancelled = threading.Event()

    def report(self, rows: int) -> bool:
        self.rows = rows
        return not self.cancelled.is_set()


def run_export(parent: QWidget, path: str, work: Callable[[Callable[[int], bool]], Any], *,
               button: QPushButton | None = None, on_done: Callable[[Any], None],
               on_failed: Callable[[], None] | None = None, total: int = 0, title: str = "导出Excel") -> None:
    """Run work(progress) on a worker; a progress window (rows written, percent when `total` rows are known, 取消)
    appears if it takes more than half a second. The exporters call progress(rows) every 1,000 rows; cancelling
    makes it return False, the export stops and writes nothing. On success the folder is remembered."""
    if button is not None:
        button.setEnabled(False)
    progress = _Progress()
    dialog = QProgressDialog("正在导出……", "取消", 0, total, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumWidth(360)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(MIN_PROGRESS_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(progress.cancelled.set)
    timer = QTimer(dialog)
    timer.timeout.connect(lambda: _show_progress(dialog, progress, total))
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
        QSettings().setValue(EXPORT_DIR_KEY, os.path.dirname(path))
        parent.last_export = path
        on_done(result)

    def failed(exc: BaseException) -> None:
        finish()
        if on_failed is not None:
            on_failed()
        if isinstance(exc, ExportCancelled):
            _tell_status(parent, "已取消导出，未写入文件")
            return
        show_error(parent, title, f"导出失败，未写入文件：{exc}")

    tasks.run_query(lambda: work(progress.report), done, failed)


def _show_progress(dialog: QProgressDialog, progress: _Progress, total: int) -> None:
    rows = progress.rows
    if dialog.wasCanceled():  # the 取消 button, Esc, or the window closed
        progress.cancelled.set()
        dialog.setLabelText("正在取消……")
    elif total and rows >= total:
        dialog.setLabelText("正在保存文件……")
    elif total:
        dialog.setLabelText(f"正在导出：已写入 {rows:,} / {total:,} 行")
    else:
        dialog.setLabelText(f"正在导出：已写入 {rows:,} 行")
    dialog.setValue(min(rows, total) if total else 0)


def _tell_status(parent: QWidget, text: str) -> None:
    window = parent.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, 8000)
