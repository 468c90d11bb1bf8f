"""A small form dialog built from (key, label, widget) rows: shows each refused field's message
beside it, keeps what was typed, and accepts only when its save function succeeds.

Used by the service desk's 派单 / 办结 / 回访 and the facility log's 巡检 / 维修 records.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...core.rules.resident import FormErrors
from ...core.rules.text import ValidationError
from ...core.session import PermissionDenied
from .base import RememberingDialog


def widget_value(widget: QWidget):
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QComboBox):
        data = widget.currentData()
        return data if data is not None else widget.currentText()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    return None


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.updateGeometry()  # the 'invalid' style may change its size: the layout must ask again


class FieldFormDialog(RememberingDialog):
    def __init__(self, parent, title: str, rows: list[tuple[str, str, QWidget]],
                 save_fn: Callable[[dict], object], settings_key: str = "field_form", intro: str = ""):
        super().__init__(parent)
        self.settings_key = settings_key
        self.setWindowTitle(title)
        self.save_fn = save_fn
        self.result_value = None
        self.inputs: dict[str, QWidget] = {}
        self.labels: dict[str, str] = {}
        self.errors: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        if intro:
            note = QLabel(intro)
            note.setWordWrap(True)
            layout.addWidget(note)
        grid = QGridLayout()
        for i, (key, label, widget) in enumerate(rows):
            self.inputs[key] = widget
            self.labels[key] = label
            caption = QLabel(label)
            caption.setBuddy(widget)
            grid.addWidget(caption, i * 2, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(widget, i * 2, 1)
            error = QLabel()
            error.setObjectName("errorLabel")
            error.setWordWrap(True)
            error.hide()
            self.errors[key] = error
            grid.addWidget(error, i * 2 + 1, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(len(rows) * 2, 1)
        layout.addLayout(grid)
        self.summary = QLabel()
        self.summary.setObjectName("errorLabel")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(460, 120 + 60 * len(rows))
        self._fit_height()

    def _fit_height(self) -> None:
        """Tall enough for the intro and any messages shown (wrapped labels do not grow the window by themselves)."""
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # sizes after the 'invalid' restyle
        self.layout().activate()
        needed = self.layout().heightForWidth(self.width()) if self.layout().hasHeightForWidth() else -1
        needed = max(needed, self.sizeHint().height())
        if needed > self.height():
            self.resize(self.width(), needed)

    def values(self) -> dict:
        return {key: widget_value(widget) for key, widget in self.inputs.items()}

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            message = errors.get(key, "")
            label.setText(message)
            label.setVisible(bool(message))
            mark_invalid(self.inputs[key], bool(message))
        lines = [f"{self.labels.get(k, '')}：{m}" if k in self.labels else m for k, m in errors.items()]
        self.summary.setText("未保存，请修改：\n" + "\n".join(lines) if lines else "")
        self._fit_height()

    def save(self) -> None:
        try:
            self.result_value = self.save_fn(self.values())
        except FormErrors as exc:
            self.show_errors(exc.errors)
            return
        except ValidationError as exc:
            self.show_errors({exc.field or "": exc.message})
            return
        except PermissionDenied as exc:
            self.summary.setText(exc.message)
            return
        self.accept()
