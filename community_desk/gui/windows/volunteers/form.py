"""The volunteer form (志愿者信息): pick a resident from the registry by search, or type an outside
person's name and phone; team, kind, skills, availability (周一..周日 x 上午/下午/晚上), date joined, active.

Hours served are shown, never typed: they are summed from shifts, events and other registered sources.
"""
from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from ....core.models.volunteers import PARTS, VOLUNTEER_KINDS, WEEKDAYS
from ....core.queries import residents, volunteers
from ....core.rules.volunteers import availability_code, availability_slots
from ...dialogs.field_form import FormDialog

PICK_LIMIT = 20


class VolunteerForm(FormDialog):
    settings_key = "volunteer_form"

    def __init__(self, parent=None, volunteer_id: int | None = None):
        super().__init__(parent)
        self.volunteer_id = volunteer_id
        self.resident_id: int | None = None
        self.saved_id: int | None = None
        self.setWindowTitle("修改志愿者" if volunteer_id else "新增志愿者")

        self.resident_search = QLineEdit()
        self.resident_search.setPlaceholderText("从居民台账选择：输入姓名 / 拼音首字母 / 电话 / 身份证号")
        self.resident_search.textChanged.connect(self.search_residents)
        self.resident_hits = QListWidget()
        self.resident_hits.setFixedHeight(110)
        self.resident_hits.itemActivated.connect(self.pick_resident)
        self.resident_hits.itemDoubleClicked.connect(self.pick_resident)
        self.picked_label = QLabel("未选择居民：按外来人员登记（填写姓名和电话）")
        self.picked_label.setObjectName("hintLabel")
        self.outsider_button = QPushButton("改为外来人员")
        self.outsider_button.clicked.connect(self.clear_resident)
        self.name_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.team_combo = QComboBox()
        self.team_combo.addItem("（无）", None)
        for tid, name in volunteers.list_teams():
            self.team_combo.addItem(name, tid)
        self.kind_combo = QComboBox()
        self.kind_combo.addItems(list(VOLUNTEER_KINDS))
        self.kind_combo.setCurrentText("普通居民")
        self.skills_edit = QLineEdit()
        self.skills_edit.setPlaceholderText("例如 医护、电工、摄影")
        self.joined_edit = QDateEdit(QDate.currentDate())
        self.joined_edit.setCalendarPopup(True)
        self.joined_edit.setDisplayFormat("yyyy-MM-dd")
        self.active_check = QCheckBox("在队")
        self.active_check.setChecked(True)
        self.notes_edit = QLineEdit()
        self.hours_label = QLabel("0.0 小时")

        self.slot_checks: dict[tuple[int, str], QCheckBox] = {}
        availability = QGroupBox("可服务时间")
        grid = QGridLayout(availability)
        for col, part in enumerate(PARTS, start=1):
            grid.addWidget(QLabel(part), 0, col, Qt.AlignmentFlag.AlignCenter)
        for day, name in enumerate(WEEKDAYS):
            grid.addWidget(QLabel(name), day + 1, 0)
            for col, part in enumerate(PARTS, start=1):
                check = QCheckBox()
                self.slot_checks[(day, part)] = check
                grid.addWidget(check, day + 1, col, Qt.AlignmentFlag.AlignCenter)

        picker = QGroupBox("居民")
        picker_layout = QVBoxLayout(picker)
        picker_layout.addWidget(self.resident_search)
        picker_layout.addWidget(self.resident_hits)
        picked_row = QHBoxLayout()
        picked_row.addWidget(self.picked_label, 1)
        picked_row.addWidget(self.outsider_button)
        picker_layout.addLayout(picked_row)

        for key, label, widget in (("name", "姓名", self.name_edit), ("phone", "联系电话", self.phone_edit),
                                   ("team_id", "服务队", self.team_combo), ("kind", "类别", self.kind_combo),
                                   ("skills", "特长", self.skills_edit), ("joined_on", "加入日期", self.joined_edit),
                                   ("notes", "备注", self.notes_edit), ("availability", "可服务时间", availability)):
            self.add_field(key, label, widget)
        form = self.field_grid(["name", "phone", "team_id", "kind", "skills", "joined_on", ("", self.active_check),
                                "notes", ("服务时长", self.hours_label)])

        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(picker)
        left.addLayout(form)
        columns.addLayout(left, 3)
        right = QVBoxLayout()
        right.addWidget(availability)
        right.addWidget(self.errors["availability"])
        right.addStretch(1)
        columns.addLayout(right, 2)
        self.body.addLayout(columns)
        if volunteer_id:
            self.loaded = volunteers.get_form(volunteer_id)
            self._load(self.loaded)
        self.resize(820, 560)

    # --- the resident picker ---
    def search_residents(self, text: str) -> None:
        self.resident_hits.clear()
        if not text.strip():
            return
        ids = residents.search_ids(residents.ResidentFilter(text=text))[:PICK_LIMIT]
        rows = residents.load_rows(ids)
        for rid in ids:
            row = rows.get(rid)
            if row is None:
                continue
            item = QListWidgetItem(f"{row[0]}  {row[1]}  {row[2]}岁  {row[5]} {row[6]}  {row[4]}")
            item.setData(Qt.ItemDataRole.UserRole, rid)
            self.resident_hits.addItem(item)
        if self.resident_hits.count():
            self.resident_hits.setCurrentRow(0)

    def pick_resident(self, item: QListWidgetItem | None = None) -> None:
        item = item or self.resident_hits.currentItem()
        if item is None:
            return
        self.set_resident(item.data(Qt.ItemDataRole.UserRole))

    def set_resident(self, resident_id: int) -> None:
        info = volunteers.resident_choice(resident_id)
        self.resident_id = resident_id
        self.name_edit.setText(info["name"])
        self.name_edit.setReadOnly(True)
        if info["phone"] and not self.phone_edit.text():
            self.phone_edit.setText(info["phone"])
        self.picked_label.setText(f"已选择居民：{info['name']}（{info['address']}）")

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt name
        """Enter in the resident search picks the highlighted resident instead of saving the form."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
                self.resident_search.hasFocus() or self.resident_hits.hasFocus()):
            self.pick_resident()
            return
        super().keyPressEvent(event)

    def clear_resident(self) -> None:
        self.resident_id = None
        self.name_edit.setReadOnly(False)
        self.picked_label.setText("未选择居民：按外来人员登记（填写姓名和电话）")
        self.name_edit.setFocus()

    # --- values ---
    def _load(self, values: dict) -> None:
        self.phone_edit.setText(values["phone"])
        if values["resident_id"]:
            self.set_resident(values["resident_id"])
        else:
            self.name_edit.setText(values["name"])
        self.team_combo.setCurrentIndex(max(self.team_combo.findData(values["team_id"]), 0))
        self.kind_combo.setCurrentText(values["kind"])
        self.skills_edit.setText(values["skills"])
        if values["joined_on"]:
            self.joined_edit.setDate(QDate.fromString(values["joined_on"], "yyyy-MM-dd"))
        self.active_check.setChecked(values["active"])
        self.notes_edit.setText(values["notes"])
        self.set_availability(values["availability"])
        hours = volunteers.hours_for([self.volunteer_id]).get(self.volunteer_id)
        self.hours_label.setText(f"{hours} 小时（由值守、活动等记录自动累计）")

    def set_availability(self, code: str) -> None:
        slots = availability_slots(code)
        for key, check in self.slot_checks.items():
            check.setChecked(key in slots)

    def values(self) -> dict:
        return {"resident_id": self.resident_id, "name": self.name_edit.text(), "phone": self.phone_edit.text(),
                "team_id": self.team_combo.currentData(), "kind": self.kind_combo.currentText(),
                "skills": self.skills_edit.text(), "joined_on": self.joined_edit.date().toPython(),
                "active": self.active_check.isChecked(), "notes": self.notes_edit.text(),
                "availability": availability_code(k for k, c in self.slot_checks.items() if c.isChecked())}

    def set_field(self, key: str, value) -> None:
        if key == "resident_id":
            if value:
                self.set_resident(value)
            else:
                self.clear_resident()
        elif key == "availability":
            self.set_availability(value)
        elif key == "active":
            self.active_check.setChecked(bool(value))
        else:
            super().set_field(key, value)

    def write(self, values: dict) -> None:
        self.saved_id = volunteers.save(values, self.volunteer_id, loaded=self.loaded)
