"""Deleting the windows a test leaves behind (closed windows keep their timers until they are deleted)."""
from __future__ import annotations


def delete_windows() -> None:
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for widget in app.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def answer_dialog(act, seen: list | None = None) -> None:
    """Answer the next modal dialog (the real one, with its own buttons) once it is shown: act(dialog); the dialog
    is appended to `seen` first."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def look():
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(10, look)
            return
        if seen is not None:
            seen.append(box)
        act(box)
    QTimer.singleShot(0, look)
