"""Small shared pieces of the cleaning page: field errors on forms (tables are table_model.make_table_view,
imported here as make_table)."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from ...dialogs.field_form import mark_invalid
from ...table_model import make_table_view as make_table  # noqa: F401  (the package's tabs use these two)
from ...table_model import selected_ids  # noqa: F401


class FieldErrors:
    """Red messages beside the fields of a form; a refused save keeps what the user typed."""

    def __init__(self, inputs: dict[str, QWidget], labels: dict[str, str], summary: QLabel):
        self.inputs = inputs
        self.labels = labels
        self.summary = summary
        self.error_labels: dict[str, QLabel] = {}

    def label_for(self, key: str) -> QLabel:
        label = QLabel()
        label.setObjectName("errorLabel")
        label.setWordWrap(True)
        label.hide()
        self.error_labels[key] = label
        return label

    def show(self, errors: dict[str, str]) -> None:
        for key, label in self.error_labels.items():
            message = errors.get(key, "")
            label.setText(message)
            label.setVisible(bool(message))
            widget = self.inputs.get(key)
            if widget is not None:
                mark_invalid(widget, bool(message))
        lines = [f"{self.labels.get(k, k)}：{m}" for k, m in errors.items()]
        self.summary.setText("未保存，请修改：\n" + "\n".join(lines) if lines else "")
        first = next((k for k in errors if k in self.inputs), None)
        if first:
            self.inputs[first].setFocus()
