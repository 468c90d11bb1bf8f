"""Editing one shift by hand (times, 带班, volunteers, notes) and the gate posts (门岗设置).

The volunteer picker is a checkable list of the active volunteers; a refused save (someone in two
places at once, end before start) keeps every choice and says what is wrong under the field (FormDialog).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from ....core.models.volunteers import PARTS, WEEKDAYS
from ....core.queries import duty, volunteers
from ....core.rules.resident import FormErrors
from ....core.session import PermissionDenied
from ...dialogs.base import RememberingDialog
from ...dialogs.field_form import FormDialog


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("errorLabel")
    label.setWordWrap(True)
    return label


class ShiftDialog(FormDialog):
    settings_key = "shift_dialog"

    def __init__(self, shift_id: int, parent=None):
        super().__init__(parent)
        self.shift_id = shift_id
        self.loaded = duty.shift_form(shift_id)  # read first: the shown values are no older than its version
        cell = duty.get_shift(shift_id)
        self.setWindowTitle(f"修改班次 - {cell.date:%m月%d日} {WEEKDAYS[cell.date.weekday()]} {cell.part} {cell.post}")
        self.start_edit = QLineEdit(cell.start_time)
        self.end_edit = QLineEdit(cell.end_time)
        self.lead_combo = QComboBox()
        self.lead_combo.setEditable(True)
        self.lead_combo.addItems(["", *volunteers.staff_names()])
        self.lead_combo.setEditText(cell.lead)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("筛选志愿者：姓名或类别")
        self.filter_edit.textChanged.connect(self._filter)
        self.volunteer_list = QListWidget()
        for vid, label, checked in duty.shift_choices(shift_id):
            self._add_item(vid, label, checked)
        self.notes_edit = QLineEdit(cell.notes)
        for key, label, widget in (("start_time", "开始时间", self.start_edit), ("end_time", "结束时间", self.end_edit),
                                   ("lead", "带班", self.lead_combo), ("volunteer_ids", "志愿者", self.volunteer_list),
                                   ("notes", "备注", self.notes_edit)):
            self.add_field(key, label, widget)
        self.body.addLayout(self.field_grid(["start_time", "end_time", "lead", ("志愿者", self.filter_edit),
                                             ("", "volunteer_ids"), "notes"]))
        self.resize(460, 560)

    def _add_item(self, vid: int, label: str, checked: bool) -> None:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, vid)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.volunteer_list.addItem(item)

    def _filter(self, text: str) -> None:
        text = text.strip()
        for row in range(self.volunteer_list.count()):
            item = self.volunteer_list.item(row)
            item.setHidden(bool(text) and text not in item.text())

    def set_checked(self, volunteer_ids: set[int]) -> None:
        for row in range(self.volunteer_list.count()):
            item = self.volunteer_list.item(row)
            state = Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in volunteer_ids else \
                Qt.CheckState.Unchecked
            item.setCheckState(state)

    def checked_ids(self) -> list[int]:
        return [self.volunteer_list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.volunteer_list.count())
                if self.volunteer_list.item(r).checkState() == Qt.CheckState.Checked]

    def values(self) -> dict:
        return {**super().values(), "volunteer_ids": sorted(self.checked_ids())}

    def set_field(self, key: str, value) -> None:
        if key == "volunteer_ids":
            self.set_checked(set(value))
        else:
            super().set_field(key, value)

    def write(self, values: dict) -> None:
        duty.save_shift(self.shift_id, values, loaded=self.loaded)


class PostsDialog(RememberingDialog):
    """门岗设置: add posts, change a post's minimum, its parts of the day, or stop using it."""
    settings_key = "posts_dialog"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("门岗设置")
        self.post_list = QListWidget()
        self.post_list.currentRowChanged.connect(self._show)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("例如 东门")
        self.min_spin = QSpinBox()
        self.min_spin.setRange(0, 20)
        self.min_spin.setValue(2)
        self.part_checks = {p: QCheckBox(p) for p in PARTS}
        for check in self.part_checks.values():
            check.setChecked(True)
        self.active_check = QCheckBox("使用中")
        self.active_check.setChecked(True)
        self.errors = _error_label()
        self.new_button = QPushButton("新增门岗")
        self.new_button.clicked.connect(self._new)
        self.save_button = QPushButton("保存")
        self.save_button.clicked.connect(self.save)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        parts = QHBoxLayout()
        for check in self.part_checks.values():
            parts.addWidget(check)
        form = QFormLayout()
        form.addRow("门岗名称", self.name_edit)
        form.addRow("每班最少志愿者", self.min_spin)
        form.addRow("值守时段", parts)
        form.addRow("", self.active_check)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.post_list)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addLayout(buttons)
        self.posts: list[duty.PostRow] = []
        self.editing: int | None = None
        self.changed = False
        self._fill()

    def _fill(self, select: int | None = None) -> None:
        self.posts = duty.list_posts()
        self.post_list.blockSignals(True)
        self.post_list.clear()
        for post in self.posts:
            state = "" if post.active else "（停用）"
            self.post_list.addItem(f"{post.name}{state}  每班至少 {post.min_volunteers} 人  {post.parts}")
        self.post_list.blockSignals(False)
        row = next((i for i, p in enumerate(self.posts) if p.id == select), -1)
        if row >= 0:
            self.post_list.setCurrentRow(row)

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.posts):
            return
        post = self.posts[row]
        self.editing = post.id
        self.name_edit.setText(post.name)
        self.min_spin.setValue(post.min_volunteers)
        for part, check in self.part_checks.items():
            check.setChecked(part in post.parts)
        self.active_check.setChecked(post.active)

    def _new(self) -> None:
        self.editing = None
        self.post_list.clearSelection()
        self.name_edit.clear()
        self.min_spin.setValue(2)
        self.name_edit.setFocus()

    def save(self) -> bool:
        raw = {"name": self.name_edit.text(), "min_volunteers": self.min_spin.value(),
               "parts": "".join(p for p, c in self.part_checks.items() if c.isChecked()),
               "active": self.active_check.isChecked()}
        try:
            post_id = duty.save_post(raw, self.editing)
        except FormErrors as exc:
            self.errors.setText("未保存：" + "；".join(exc.errors.values()))
            return False
        except PermissionDenied as exc:
            self.errors.setText(exc.message)
            return False
        self.errors.clear()
        self.changed = True
        self.editing = post_id
        self._fill(select=post_id)
        return True
