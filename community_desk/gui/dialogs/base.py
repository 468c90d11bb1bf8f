"""A dialog that remembers its size and place between runs, and shared message helpers."""
from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget


class RememberingDialog(QDialog):
    settings_key = "dialog"

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        geometry = QSettings().value(f"geometry/{self.settings_key}")
        if geometry is not None:
            self.restoreGeometry(geometry)
        super().showEvent(event)

    def done(self, result: int) -> None:
        QSettings().setValue(f"geometry/{self.settings_key}", self.saveGeometry())
        super().done(result)


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.warning(parent, title, message)


def confirm(parent: QWidget | None, title: str, message: str) -> bool:
    answer = QMessageBox.question(parent, title, message,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
