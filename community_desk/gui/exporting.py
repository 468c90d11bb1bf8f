"""Exporting from a window: the save dialogs (Excel, PDF) that remember their folder, and the export run off the GUI thread.

A failed or cancelled export says that nothing was written (the workbook is written atomically by core.excel).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QPushButton, QWidget

from .file_dialogs import ask_save_path
from .long_work import run_long


def with_suffix(path: str, suffix: str = ".xlsx") -> str:
    return path if path.lower().endswith(suffix) else path + suffix


def ask_xlsx_path(parent: QWidget, default_name: str, title: str = "导出Excel") -> str | None:
    """The save dialog, opened in the folder of the last export (the first time: Documents). None when cancelled."""
    path = ask_save_path(parent, title, default_name, "Excel 工作簿 (*.xlsx)")
    return with_suffix(path) if path else None


def ask_pdf_path(parent: QWidget, default_name: str) -> str | None:
    """The 另存为PDF dialog, opened in the folder of the last export (the first time: Documents). None when cancelled."""
    path = ask_save_path(parent, "另存为PDF", default_name, "PDF 文件 (*.pdf)")
    return with_suffix(path, ".pdf") if path else None


def run_export(parent: QWidget, path: str, work: Callable[[Callable[[int], bool]], Any], *,
               button: QPushButton | None = None, on_done: Callable[[Any], None],
               on_failed: Callable[[], None] | None = None, total: int = 0, title: str = "导出Excel") -> None:
    """Run work(progress) on a worker; a progress window (rows written, percent when `total` rows are known, 取消)
    appears if it takes more than half a second. The exporters call progress(rows) every 1,000 rows; cancelling
    makes it return False, the export stops and writes nothing. On success the folder is remembered."""
    run_long(parent, work, on_done, title=title, busy_text="正在导出……", total=total,
             count_text="正在导出：已写入 {n:,} / {total:,} 行" if total else "正在导出：已写入 {n:,} 行",
             done_text="正在保存文件……", button=button, on_failed=on_failed, remember_folder_of=path,
             cancelled_text="已取消导出，未写入文件", failed_text="导出失败，未写入文件")
