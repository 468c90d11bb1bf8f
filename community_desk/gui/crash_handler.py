"""The window's last resort: an unexpected error is logged and said in Chinese, never shown as a traceback.

`install(db_path)` (called by gui.startup.start_gui) sets sys.excepthook, which PySide also calls for an exception
raised in a slot, and threading.excepthook. Each error is appended to the day's crash log beside the database
(core.crash_log), and a message box names that file for the maintainer; an error on another thread is shown by the
GUI thread. While one such box is open, further errors are logged but not shown again. With
COMMUNITY_DESK_CRASH_NO_BOX=1 (tests) the box is skipped and only the log is written.
"""
from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from ..core.crash_log import write_entry

NO_BOX_ENV = "COMMUNITY_DESK_CRASH_NO_BOX"
TITLE = "程序出现意外错误"


def message_text(log: Path | None) -> str:
    if log is None:
        return "程序出现意外错误，错误记录也无法写入（磁盘已满或文件夹只读）。请联系维护人员。数据已保存的部分不受影响。"
    return f"程序出现意外错误，已记录到 {log}，请把该文件发给维护人员。数据已保存的部分不受影响。"


class _Reporter(QObject):
    """Lives on the GUI thread: a report emitted from a worker is queued there, from the GUI thread shown at once."""

    report = Signal(str)

    def __init__(self):
        super().__init__()
        self.showing = False
        self.report.connect(self.show)

    def show(self, text: str) -> None:
        if self.showing or os.environ.get(NO_BOX_ENV) or QApplication.instance() is None:
            return
        self.showing = True
        try:
            box = QMessageBox(QMessageBox.Icon.Critical, TITLE, text, QMessageBox.StandardButton.Ok,
                              QApplication.activeWindow())
            box.exec()
        finally:
            self.showing = False


class CrashHandler:
    def __init__(self, db_path: str | os.PathLike | None):
        self.db_path = db_path
        self.reporter = _Reporter()
        self.previous_hook = sys.excepthook
        self.previous_thread_hook = threading.excepthook

    def handle(self, exc_type, exc, tb, thread_name: str | None = None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in a console: as Python does
            self.previous_hook(exc_type, exc, tb)
            return
        log = write_entry(self.db_path, exc_type, exc, tb, thread_name)
        text = message_text(log)
        if sys.stderr is not None:  # a console (run from source): one line, the traceback is in the log
            try:
                print(text, file=sys.stderr)
            except (OSError, ValueError):
                pass
        try:
            self.reporter.report.emit(text)
        except RuntimeError:  # the application is already gone (error while quitting)
            pass

    def excepthook(self, exc_type, exc, tb) -> None:
        self.handle(exc_type, exc, tb)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else None
        self.handle(args.exc_type, args.exc_value, args.exc_traceback, name)


_installed: CrashHandler | None = None


def install(db_path: str | os.PathLike | None) -> CrashHandler | None:
    """Route every unexpected error of the window to the crash log and a message box. Call on the GUI thread,
    once the QApplication exists. A hook someone else set (pytest-qt, which fails a test on an error in a slot; a
    debugger) is left in place: returns None then."""
    global _installed
    if _installed is not None and sys.excepthook == _installed.excepthook:
        _installed.db_path = db_path
        return _installed
    if sys.excepthook is not sys.__excepthook__:
        return None
    handler = CrashHandler(db_path)
    sys.excepthook = handler.excepthook
    if threading.excepthook is threading.__excepthook__:
        threading.excepthook = handler.thread_excepthook
    _installed = handler
    return handler
