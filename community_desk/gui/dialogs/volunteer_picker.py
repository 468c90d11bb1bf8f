"""A volunteer picker: a filter box over a list of volunteers with check boxes (from
core.queries.volunteers.choices). Used by the service-team form of the window-cleaning page; a
volunteer who has left (已退出) is listed only while checked."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ...core.queries import volunteers


class VolunteerPicker(QWidget):
    def __init__(self, checked: list[int] | None = None, parent=None):
        super().__init__(parent)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("筛选志愿者（姓名）")
        self.filter_edit.textChanged.connect(self._filter)
        self.list = QListWidget()
        self.list.setMaximumHeight(150)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list)
        self.set_checked(checked or [])

    def set_checked(self, ids: list[int]) -> None:
        wanted = set(ids)
        active = dict(volunteers.choices(active_only=True))
        self.list.clear()
        for vid, label in volunteers.choices(active_only=False):
            if vid not in active and vid not in wanted:
                continue
            item = QListWidgetItem(label if vid in active else f"{label}（已退出）")
            item.setData(Qt.ItemDataRole.UserRole, vid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if vid in wanted else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self._filter(self.filter_edit.text())

    def check(self, volunteer_id: int, on: bool = True) -> None:
        for r in range(self.list.count()):
            item = self.list.item(r)
            if item.data(Qt.ItemDataRole.UserRole) == volunteer_id:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def checked_ids(self) -> list[int]:
        return [self.list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.list.count())
                if self.list.item(r).checkState() == Qt.CheckState.Checked]

    def _filter(self, text: str) -> None:
        needle = text.strip()
        for r in range(self.list.count()):
            item = self.list.item(r)
            item.setHidden(bool(needle) and needle not in item.text())
