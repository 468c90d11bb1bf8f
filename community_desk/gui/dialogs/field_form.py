"""FormDialog, the one form of the program: a form declares its fields (key, label, widget) and the base does
the rest. It shows a red message under each refused field (and a red border on the field) plus one summary
line, has 保存 / 取消, keeps everything typed after a refusal, clears a field's message once that field
changes, and asks "放弃已输入的内容？" before 取消, Esc or closing the window throws typed changes away.

The save function (or a subclass's `write`) raises the core's FormErrors (field -> message), ValidationError
(one message, with or without a field) or PermissionDenied; the base maps them to the fields. The fields sit
in a scroll area and the window grows to show its messages: a form fits the office's 1366 x 768 screen and a
two-line message is never squeezed.

A form that edits a stored record keeps it as loaded in `loaded` (the core's get_form, with its version) and passes
it to the save; when someone else saved the same fields meanwhile, the save raises EditConflict and the form asks
用我的 / 用他的 / 重新打开 (dialogs/edit_conflict.py), showing their values through `set_field`.

Small forms pass their rows to the constructor (派单, 办结, 回访, 重新办理, 巡检, 维修); bigger ones subclass it,
declare fields with `add_field` and lay them out with `field_grid`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication, QDate, QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import EditConflict
from ...core.faults import describe_fault
from ...core.rules.resident import FormErrors
from ...core.rules.text import ValidationError
from ...core.session import PermissionDenied
from ..live_updates import form_shown
from . import edit_conflict
from .base import RememberingDialog, confirm, fit_to_screen

DISCARD_QUESTION = "放弃已输入的内容？"
REFUSED = "未保存，请修改："


def widget_value(widget: QWidget):
    """What a field holds, as the core's clean functions take it (text, or a combo box's item data)."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QComboBox):
        if widget.isEditable():
            return widget.currentText()
        data = widget.currentData()
        return data if data is not None else widget.currentText()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    return None


def shown_text(value) -> str:
    """A stored value as a text field shows it: a date as 2026-06-05, a time as 2026-06-05 09:30."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def set_widget_value(widget: QWidget, value) -> None:
    """Show a stored value in an input: a combo box's item holding it (by data, then by text)."""
    if isinstance(widget, QLineEdit):
        widget.setText(shown_text(value))
    elif isinstance(widget, QComboBox):
        index = widget.findData(value) if value is not None else -1
        index = index if index >= 0 else widget.findText(shown_text(value))
        if index >= 0:
            widget.setCurrentIndex(index)
        elif widget.isEditable():
            widget.setEditText(shown_text(value))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(shown_text(value))
    elif isinstance(widget, QDateEdit) and value:
        widget.setDate(QDate.fromString(shown_text(value)[:10], "yyyy-MM-dd"))
    elif isinstance(widget, QAbstractSpinBox) and hasattr(widget, "setValue"):
        widget.setValue(int(value or 0))
    elif isinstance(widget, QAbstractButton):
        widget.setChecked(bool(value))


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """The red border of a refused field (style.qss: [invalid="true"])."""
    if bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.updateGeometry()  # the 'invalid' style may change its size: the layout must ask again


def change_signals(widget: QWidget) -> list:
    """The signals that say a field's value changed (for a container: those of the inputs inside it)."""
    if isinstance(widget, (QLineEdit, QPlainTextEdit)):
        return [widget.textChanged]
    if isinstance(widget, QComboBox):
        return [widget.currentIndexChanged, widget.editTextChanged] if widget.isEditable() \
            else [widget.currentIndexChanged]
    if isinstance(widget, QDateTimeEdit):
        return [widget.dateTimeChanged]
    if isinstance(widget, QAbstractSpinBox) and hasattr(widget, "valueChanged"):
        return [widget.valueChanged]
    if isinstance(widget, QAbstractButton):
        return [widget.toggled]
    if isinstance(widget, QListWidget):
        return [widget.itemChanged]
    inner = widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
    return [signal for child in inner for signal in change_signals(child)]


def _is_tall(widget: QWidget) -> bool:
    return isinstance(widget, (QPlainTextEdit, QListWidget)) or widget.sizeHint().height() > 40


class FormDialog(RememberingDialog):
    settings_key = "field_form"
    save_text = "保存"
    cancel_text = "取消"

    def __init__(self, parent=None, title: str = "", rows: Iterable[tuple[str, str, QWidget]] = (),
                 save_fn: Callable[[dict], object] | None = None, settings_key: str = "", intro: str = ""):
        super().__init__(parent)
        if settings_key:
            self.settings_key = settings_key
        if title:
            self.setWindowTitle(title)
        self.save_fn = save_fn
        self.result_value = None
        self.loaded: dict | None = None  # the stored record the form shows (get_form, with its version)
        self.inputs: dict[str, QWidget] = {}
        self.labels: dict[str, str] = {}
        self.errors: dict[str, QLabel] = {}  # the red message under each field
        self._refused: dict[str, str] = {}  # the messages of the last refused save still standing
        self._unchanged: object = None  # snapshot() when the form was first shown
        self._closed_by_program = False

        content = QWidget()
        self.body = QVBoxLayout(content)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea()
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll.setWidget(content)
        content.setAutoFillBackground(False)  # setWidget turned it on: the dialog's own background shows
        self.scroll.viewport().setAutoFillBackground(False)
        self.summary = QLabel()
        self.summary.setObjectName("errorLabel")
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.save_text)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(self.cancel_text)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

        rows = list(rows)
        if intro:
            note = QLabel(intro)
            note.setWordWrap(True)
            self.body.addWidget(note)
        if rows:
            for key, label, widget in rows:
                self.add_field(key, label, widget)
            self.body.addLayout(self.field_grid([key for key, _label, _widget in rows]))
            self.body.addStretch(1)
            self.resize(460, 120 + 60 * len(rows))

    # --- declaring fields ---
    def add_field(self, key: str, label: str, widget: QWidget) -> QWidget:
        """Declare a field: its message label is made, and any change of the field clears its message."""
        self.inputs[key] = widget
        self.labels[key] = label
        message = QLabel()
        message.setObjectName("errorLabel")
        message.setWordWrap(True)
        message.hide()
        self.errors[key] = message
        for signal in change_signals(widget):
            signal.connect(lambda *_args, k=key: self.field_changed(k))
        return widget

    def field_grid(self, *columns: list) -> QGridLayout:
        """Columns of rows. A row is a declared field's key (its label, the field, its message under it), or
        (caption, key) for a field shown under another caption, or (caption, widget) for a row that is no field."""
        grid = QGridLayout()
        for col, entries in enumerate(columns):
            for row, entry in enumerate(entries):
                caption_text, item = (self.labels[entry], entry) if isinstance(entry, str) else entry
                if isinstance(item, str):
                    widget, message = self.inputs[item], self.errors[item]
                else:
                    widget, message = item, None
                align = Qt.AlignmentFlag.AlignRight | (
                    Qt.AlignmentFlag.AlignTop if _is_tall(widget) else Qt.AlignmentFlag.AlignVCenter)
                if caption_text:
                    caption = QLabel(caption_text)
                    caption.setBuddy(widget)
                    grid.addWidget(caption, row * 2, col * 2, align)
                grid.addWidget(widget, row * 2, col * 2 + 1)
                if message is not None:
                    grid.addWidget(message, row * 2 + 1, col * 2 + 1)
            grid.setColumnStretch(col * 2 + 1, 1)
        return grid

    # --- values ---
    def values(self) -> dict:
        return {key: widget_value(widget) for key, widget in self.inputs.items()}

    def snapshot(self) -> object:
        """What 'unchanged' compares: the values by default (a form with more to lose adds it)."""
        return self.values()

    def mark_unchanged(self) -> None:
        self._unchanged = self.snapshot()

    def has_changes(self) -> bool:
        return self._unchanged is not None and self.snapshot() != self._unchanged

    # --- messages ---
    def set_message(self, key: str, message: str) -> None:
        """One field's message and red border, e.g. from a check while typing."""
        label = self.errors.get(key)
        if label is None:
            return
        label.setText(message)
        label.setVisible(bool(message))
        mark_invalid(self.inputs[key], bool(message))

    def field_changed(self, key: str) -> None:
        self.set_message(key, "")
        if self._refused.pop(key, None) is not None:
            self._show_summary()

    def _show_summary(self) -> None:
        lines = [m if k not in self.labels or m.startswith(self.labels[k]) else f"{self.labels[k]}：{m}"
                 for k, m in self._refused.items()]
        self.summary.setText(REFUSED + "；".join(lines) if lines else "")

    def show_errors(self, errors: dict[str, str]) -> None:
        """A refused save: each message under its field, all in the summary line, the first field in view."""
        self._refused = dict(errors)
        for key in self.errors:
            self.set_message(key, errors.get(key, ""))
        self._show_summary()
        first = next((k for k in errors if k in self.inputs), None)
        if first:
            self.reveal(self.inputs[first])
        self.fit_height()

    def reveal(self, widget: QWidget) -> None:
        """Bring a field into view (its tab, the scrolled part) and give it the focus."""
        child, parent = widget, widget.parentWidget()
        while parent is not None:
            if isinstance(parent, QStackedWidget) and isinstance(parent.parentWidget(), QTabWidget):
                parent.parentWidget().setCurrentWidget(child)
            child, parent = parent, parent.parentWidget()
        self.scroll.ensureWidgetVisible(widget)
        widget.setFocus()

    def fit_height(self) -> None:
        """Tall enough for the fields and every message shown (a wrapped label does not grow a window by
        itself), never taller than the screen: the scroll area shows the rest."""
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # sizes after the 'invalid' restyle
        layout = self.layout()
        layout.activate()
        content = self.scroll.widget()
        margins = layout.contentsMargins()
        width = self.width() - margins.left() - margins.right()
        needed = content.heightForWidth(width) if content.hasHeightForWidth() else content.sizeHint().height()
        needed = max(needed, content.minimumSizeHint().height())
        outer = (layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth()
                 else layout.totalSizeHint().height())
        height = max(outer, outer - self.scroll.sizeHint().height() + needed)
        if height > self.height():
            self.resize(self.width(), height)
            fit_to_screen(self)

    # --- saving and leaving ---
    def write(self, values: dict) -> object:
        """Store the values; raise FormErrors / ValidationError / PermissionDenied to refuse."""
        return self.save_fn(values)

    def save(self) -> bool:
        try:
            self.result_value = self.write(self.values())
        except FormErrors as exc:
            self.show_errors(exc.errors)
            return False
        except ValidationError as exc:
            self.show_errors({exc.field or "": exc.message})
            return False
        except PermissionDenied as exc:
            self.show_errors({})
            self.summary.setText(exc.message)
            return False
        except EditConflict as exc:
            return self.settle(exc)
        except Exception as exc:  # noqa: BLE001 - a fault of the machine is said in the form; a bug goes on up
            message = describe_fault(exc)
            if message is None:
                raise
            self.show_errors({})
            self.summary.setText(message)
            return False
        self.accept()
        return True

    # --- someone else saved the same record meanwhile (issue 18) ---
    def set_field(self, key: str, value) -> None:
        """Show a stored value (as get_form gives it) in its field; a form with fields that are no one input (check
        boxes of tags, a picked resident) extends it. A key the form has no field for is left alone."""
        widget = self.inputs.get(key)
        if widget is not None:
            set_widget_value(widget, value)

    def settle(self, conflict: EditConflict) -> bool:
        """Ask which value wins, show theirs where they win, and save again (用我的) or leave the form open."""
        choice = edit_conflict.ask(self, conflict, self.labels)
        if choice is None:
            return False
        clashed = [clash.field for clash in conflict.clashes]
        keys = list(conflict.theirs) if choice == edit_conflict.REOPEN else (
            conflict.taken + (clashed if choice == edit_conflict.USE_THEIRS else []))
        for key in keys:
            self.set_field(key, conflict.theirs[key])
        self.loaded = conflict.theirs  # the next save writes over the version just read
        if choice == edit_conflict.USE_MINE:
            return self.save()
        self.show_errors({})
        if choice == edit_conflict.REOPEN:
            self.mark_unchanged()
        else:
            self.summary.setText(edit_conflict.THEIRS_TAKEN.format("、".join(self.labels.get(k, k) for k in clashed)))
        return False

    def may_discard(self) -> bool:
        """Nothing typed, or the person agrees to throw it away."""
        return not self.has_changes() or confirm(self, self.windowTitle(), DISCARD_QUESTION)

    def cancel(self) -> None:
        """取消 and Esc."""
        if self.may_discard():
            self.reject()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt name
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.cancel()
            return
        super().keyPressEvent(event)

    def close(self) -> bool:
        """A close asked for by the program (a test's teardown, the smoke run) throws changes away unasked."""
        self._closed_by_program = True
        try:
            return super().close()
        finally:
            self._closed_by_program = False

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt name
        """The window's close button (and Alt+F4) asks too."""
        if not self._closed_by_program and self.isVisible() and not self.may_discard():
            event.ignore()
            return
        super().closeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        if self._unchanged is None:
            self.mark_unchanged()  # what the program filled in is not 'typed'
        super().showEvent(event)
        form_shown(self)  # another PC's change of this record shows a banner (gui/live_updates.py)
        self.fit_height()
