"""The round form (服务批次) and the team form (服务队), both FormDialogs, and the team list (服务队管理). A team
names volunteers from the volunteer registry (picker; their visits count as volunteer hours) besides the staff
written as text."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ....core.queries import cleaning, communities, links
from ....core.rules.cleaning import ELIGIBLE_TAGS
from ... import font_size
from ...dialogs.base import RememberingDialog
from ...dialogs.field_form import FormDialog
from ...dialogs.volunteer_picker import VolunteerPicker

ROUND_LABELS = {"name": "批次名称", "community_id": "社区", "start_date": "开始日期", "end_date": "结束日期",
                "capacity": "每队每时段户数", "min_age": "老年人年龄", "high_floor": "高层楼层", "notes": "备注"}
TEAM_LABELS = {"name": "服务队名称", "leader": "带队人", "members": "其他成员", "phone": "联系电话", "notes": "备注"}


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class RoundForm(FormDialog):
    settings_key = "cleaning_round_form"

    def __init__(self, parent=None, round_id: int | None = None):
        super().__init__(parent)
        self.round_id = round_id
        self.saved_id: int | None = None
        self.setWindowTitle("修改服务批次" if round_id else "新建服务批次")
        today = dt.date.today()
        self.name_edit = QLineEdit(f"{today.year}年{today.month}月擦玻璃服务")
        self.community_combo = QComboBox()
        for cid, name in communities.list_communities():
            self.community_combo.addItem(name, cid)
        self.start_edit = QDateEdit(_qdate(today))
        self.end_edit = QDateEdit(_qdate(today + dt.timedelta(days=13)))
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.capacity_spin = QSpinBox()
        self.capacity_spin.setRange(1, 20)
        self.capacity_spin.setValue(4)
        self.capacity_spin.setSuffix(" 户")
        self.age_spin = QSpinBox()
        self.age_spin.setRange(50, 110)
        self.age_spin.setValue(80)
        self.age_spin.setSuffix(" 岁以上")
        self.floor_spin = QSpinBox()
        self.floor_spin.setRange(0, 60)
        self.floor_spin.setValue(5)
        self.floor_spin.setSpecialValueText("不按楼层")
        self.floor_spin.setSuffix(" 层及以上（60岁以上居民）")
        self.tag_checks = {tag: QCheckBox(tag) for tag in ELIGIBLE_TAGS}
        for check in self.tag_checks.values():
            check.setChecked(True)
        self.team_checks: dict[int, QCheckBox] = {}
        self.teams_box = QGroupBox("参加的服务队")
        self.teams_layout = QVBoxLayout(self.teams_box)
        self.new_team_button = QPushButton("新建服务队…")
        self.new_team_button.clicked.connect(self.new_team)
        self._fill_teams([])
        self.notes_edit = QPlainTextEdit()
        font_size.fix_lines(self.notes_edit, 2)
        for key, widget in (("name", self.name_edit), ("community_id", self.community_combo),
                            ("start_date", self.start_edit), ("end_date", self.end_edit),
                            ("capacity", self.capacity_spin), ("min_age", self.age_spin),
                            ("high_floor", self.floor_spin), ("notes", self.notes_edit)):
            self.add_field(key, ROUND_LABELS[key], widget)

        criteria = QGroupBox("纳入条件（特殊困难群体）")
        tags = QWidget()
        tags_row = QHBoxLayout(tags)
        tags_row.setContentsMargins(0, 0, 0, 0)
        for check in self.tag_checks.values():
            tags_row.addWidget(check)
        criteria.setLayout(self.field_grid([("人员类别", tags), ("老年人", "min_age"), ("高层", "high_floor")]))
        self.body.addLayout(self.field_grid(["name", "community_id", "start_date", "end_date",
                                             ("每队每时段最多", "capacity")]))
        self.body.addWidget(criteria)
        self.body.addWidget(self.teams_box)
        self.body.addLayout(self.field_grid(["notes"]))
        self.body.addStretch(1)
        if round_id:
            self.loaded = cleaning.get_round(round_id)
            self._load(self.loaded)
        self.resize(620, 640)

    def _fill_teams(self, checked: list[int]) -> None:
        for check in self.team_checks.values():
            check.setParent(None)
        self.teams_layout.removeWidget(self.new_team_button)
        self.team_checks = {}
        for tid, name, leader, members in cleaning.list_teams():
            check = QCheckBox(f"{name}（带队 {leader or '—'}；{members or '未填成员'}）")
            check.setChecked(tid in checked)
            self.team_checks[tid] = check
            self.teams_layout.addWidget(check)
        self.teams_layout.addWidget(self.new_team_button)

    def new_team(self) -> None:
        form = TeamForm(self)
        if form.exec():
            self._fill_teams(self.team_ids() + [form.saved_id])

    def team_ids(self) -> list[int]:
        return [tid for tid, check in self.team_checks.items() if check.isChecked()]

    def _load(self, info: dict) -> None:
        self.name_edit.setText(info["name"])
        self.community_combo.setCurrentIndex(max(self.community_combo.findData(info["community_id"]), 0))
        self.start_edit.setDate(_qdate(info["start_date"]))
        self.end_edit.setDate(_qdate(info["end_date"]))
        self.capacity_spin.setValue(info["capacity"])
        self.age_spin.setValue(info["min_age"])
        self.floor_spin.setValue(info["high_floor"])
        for tag, check in self.tag_checks.items():
            check.setChecked(tag in info["tags"])
        self.notes_edit.setPlainText(info["notes"])
        self._fill_teams(info["team_ids"])

    def values(self) -> dict:
        return {"name": self.name_edit.text(), "community_id": self.community_combo.currentData(),
                "start_date": self.start_edit.date().toString("yyyy-MM-dd"),
                "end_date": self.end_edit.date().toString("yyyy-MM-dd"), "capacity": str(self.capacity_spin.value()),
                "min_age": str(self.age_spin.value()), "high_floor": str(self.floor_spin.value()),
                "tags": [t for t, c in self.tag_checks.items() if c.isChecked()], "team_ids": self.team_ids(),
                "notes": self.notes_edit.toPlainText()}

    def set_field(self, key: str, value) -> None:
        if key == "tags":
            for tag, check in self.tag_checks.items():
                check.setChecked(tag in value)
        elif key == "team_ids":
            self._fill_teams(value)
        else:
            super().set_field(key, value)

    def write(self, values: dict) -> None:
        self.saved_id = cleaning.save_round(values, self.round_id, loaded=self.loaded)


class TeamForm(FormDialog):
    settings_key = "cleaning_team_form"

    def __init__(self, parent=None, team_id: int | None = None):
        super().__init__(parent)
        self.team_id = team_id
        self.saved_id: int | None = None
        self.setWindowTitle("服务队")
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("例如 大爱原香服务队")
        self.leader_edit = QLineEdit()
        self.members_edit = QLineEdit()
        self.members_edit.setPlaceholderText("不在志愿者名册的工作人员，姓名用顿号或空格分开")
        self.volunteer_picker = VolunteerPicker([vid for vid, _n in links.team_volunteers(team_id)] if team_id else [])
        self.volunteer_picker.setToolTip("勾选的志愿者，服务队完成的上门服务计入其服务时长")
        self.phone_edit = QLineEdit()
        self.notes_edit = QPlainTextEdit()
        font_size.fix_lines(self.notes_edit, 2)
        for key, widget in (("name", self.name_edit), ("leader", self.leader_edit), ("members", self.members_edit),
                            ("phone", self.phone_edit), ("notes", self.notes_edit)):
            self.add_field(key, TEAM_LABELS[key], widget)
        self.body.addLayout(self.field_grid(["name", "leader", ("志愿者成员", self.volunteer_picker), "members",
                                             "phone", "notes"]))
        self.resize(480, 480)
        if team_id:
            self.loaded = links.team_form(team_id)
            for key in self.inputs:
                self.set_field(key, self.loaded[key])

    def snapshot(self) -> object:
        return self.values(), self.volunteer_picker.checked_ids()

    def set_field(self, key: str, value) -> None:
        if key == "volunteer_ids":
            self.volunteer_picker.set_checked(value)
        else:
            super().set_field(key, value)

    def write(self, values: dict) -> None:
        self.saved_id = links.save_team(values, self.team_id, self.volunteer_picker.checked_ids(), loaded=self.loaded)


class TeamsDialog(RememberingDialog):
    """服务队管理: the teams (a named group of staff until the volunteer registry links volunteers)."""
    settings_key = "cleaning_teams"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("服务队管理")
        self.list = QListWidget()
        self.list.itemDoubleClicked.connect(lambda _item: self.edit_team())
        new_button = QPushButton("新建服务队…")
        new_button.clicked.connect(self.new_team)
        edit_button = QPushButton("修改…")
        edit_button.clicked.connect(self.edit_team)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(new_button)
        buttons.addWidget(edit_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.fill()
        self.resize(520, 360)

    def fill(self) -> None:
        self.list.clear()
        linked = links.team_volunteer_names()
        for tid, name, leader, members in cleaning.list_teams():
            helpers = "、".join(linked.get(tid, [])) or "未选"
            item = QListWidgetItem(f"{name}　带队：{leader or '—'}　志愿者：{helpers}　其他成员：{members or '未填'}")
            item.setData(Qt.ItemDataRole.UserRole, tid)
            self.list.addItem(item)

    def new_team(self) -> None:
        if TeamForm(self).exec():
            self.fill()

    def edit_team(self) -> None:
        item = self.list.currentItem()
        if item is not None and TeamForm(self, item.data(Qt.ItemDataRole.UserRole)).exec():
            self.fill()
