"""Exporting from a window: the save dialogs (Excel, PDF) that remember their folder, and the export run off the GUI thread.

A failed export says that nothing was written (the workbook is written atomically by core.excel).
"""
from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from . import tasks
from .dialogs.base import show_error

EXPORT_DIR_KEY = "paths/export"


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


def run_export(parent: QWidget, path: str, work: Callable[[], Any], *, button: QPushButton,
               on_done: Callable[[Any], None], on_failed: Callable[[], None] | None = None) -> None:
    """Run work() on a worker with the button disabled; on success remember the folder and call on_done."""
    button.setEnabled(False)

    def done(result: Any) -> None:
        button.setEnabled(True)
        QSettings().setValue(EXPORT_DIR_KEY, os.path.dirname(path))
        parent.last_export = path
        on_done(result)

    def failed(exc: BaseException) -> None:
        button.setEnabled(True)
        if on_failed is not None:
            on_failed()
        show_error(parent, "导出Excel", f"导出失败，未写入文件：{exc}")

    tasks.run_query(work, done, failed)
