"""Publicity events (宣传活动): the list for a period (a ListPage), a form (title, date, place, organising
community, volunteers present with their hours, leaflets 份, letters 封, residents reached, notes, photos), export."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
)

from ....core.excel.volunteers_export import export_events
from ....core.queries import communities, events, volunteers
from ....core.rules.resident import FormErrors
from ....core.session import PermissionDenied
from ... import font_size
from ...dialogs.base import RememberingDialog
from ...list_page import DateFilter, ListPage


def _date_edit(day: QDate) -> QDateEdit:
    edit = QDateEdit(day)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class EventForm(RememberingDialog):
    """Tick the volunteers who were there; each gets the hours in 每人时长 unless an hour was kept from before."""
    settings_key = "event_form"

    def __init__(self, parent=None, event_id: int | None = None):
        super().__init__(parent)
        self.event_id = event_id
        self.setWindowTitle("修改宣传活动" if event_id else "新增宣传活动")
        self.title_edit = QLineEdit()
        self.date_edit = _date_edit(QDate.currentDate())
        self.place_edit = QLineEdit()
        self.community_combo = QComboBox()
        self.community_combo.addItem("", None)
        for cid, name in communities.list_communities():
            self.community_combo.addItem(name, cid)
        self.hours_edit = QLineEdit("2")
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("筛选志愿者")
        self.filter_edit.textChanged.connect(self._filter)
        self.volunteer_list = QListWidget()
        self.leaflets_edit = QLineEdit("0")
        self.letters_edit = QLineEdit("0")
        self.reached_edit = QLineEdit("0")
        self.notes_edit = QPlainTextEdit()
        font_size.fix_lines(self.notes_edit, 2)
        self.photos_edit = QPlainTextEdit()
        font_size.fix_lines(self.photos_edit, 2)
        self.photos_edit.setPlaceholderText("照片文件路径，每行一个")
        self.kept_hours: dict[int, str] = {}
        values = events.get_event(event_id) if event_id else None
        present = {vid for vid, _n, _h in values["volunteers"]} if values else set()
        if values:
            self.kept_hours = {vid: hours for vid, _n, hours in values["volunteers"]}
        for vid, label in volunteers.choices(active_only=False):
            item = QListWidgetItem(label + (f"  {self.kept_hours[vid]} 小时" if vid in self.kept_hours else ""))
            item.setData(Qt.ItemDataRole.UserRole, vid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if vid in present else Qt.CheckState.Unchecked)
            self.volunteer_list.addItem(item)
        if values:
            self.title_edit.setText(values["title"])
            self.date_edit.setDate(QDate.fromString(values["date"], "yyyy-MM-dd"))
            self.place_edit.setText(values["place"])
            self.community_combo.setCurrentIndex(max(self.community_combo.findData(values["community_id"]), 0))
            self.leaflets_edit.setText(str(values["leaflets"]))
            self.letters_edit.setText(str(values["letters"]))
            self.reached_edit.setText(str(values["residents_reached"]))
            self.notes_edit.setPlainText(values["notes"])
            self.photos_edit.setPlainText(values["photos"])
        self.summary = QLabel()
        self.summary.setObjectName("errorLabel")
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("活动名称", self.title_edit)
        form.addRow("日期", self.date_edit)
        form.addRow("地点", self.place_edit)
        form.addRow("组织社区", self.community_combo)
        form.addRow("参加志愿者", self.filter_edit)
        form.addRow("", self.volunteer_list)
        form.addRow("每人时长(小时)", self.hours_edit)
        form.addRow("发放宣传页(份)", self.leaflets_edit)
        form.addRow("发放告居民书(封)", self.letters_edit)
        form.addRow("覆盖居民(人)", self.reached_edit)
        form.addRow("备注", self.notes_edit)
        form.addRow("照片", self.photos_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.resize(520, 720)

    def _filter(self, text: str) -> None:
        for r in range(self.volunteer_list.count()):
            item = self.volunteer_list.item(r)
            item.setHidden(bool(text.strip()) and text.strip() not in item.text())

    def set_present(self, volunteer_ids: set[int]) -> None:
        for r in range(self.volunteer_list.count()):
            item = self.volunteer_list.item(r)
            checked = item.data(Qt.ItemDataRole.UserRole) in volunteer_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def values(self) -> dict:
        present = [self.volunteer_list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.volunteer_list.count())
                   if self.volunteer_list.item(r).checkState() == Qt.CheckState.Checked]
        hours = self.hours_edit.text()
        return {"title": self.title_edit.text(), "date": self.date_edit.date().toPython(),
                "place": self.place_edit.text(), "community_id": self.community_combo.currentData(),
                "volunteers": [(vid, self.kept_hours.get(vid, hours)) for vid in present],
                "leaflets": self.leaflets_edit.text(), "letters": self.letters_edit.text(),
                "residents_reached": self.reached_edit.text(), "notes": self.notes_edit.toPlainText(),
                "photos": self.photos_edit.toPlainText()}

    def save(self) -> bool:
        try:
            self.event_id = events.save_event(self.values(), self.event_id)
        except FormErrors as exc:
            self.summary.setText("未保存，请修改：" + "；".join(exc.errors.values()))
            return False
        except PermissionDenied as exc:
            self.summary.setText(exc.message)
            return False
        self.accept()
        return True


def _first_of_year() -> dt.date:
    return dt.date.today().replace(month=1, day=1)


def _last_of_year() -> dt.date:
    return dt.date.today().replace(month=12, day=31)


class EventsTab(ListPage):
    """The events of a period (this year unless chosen); the 志愿者与门岗 page refreshes it on a change."""
    columns = events.EVENT_COLUMNS
    widths = (90, 160, 120, 90, 220, 90, 90, 100, 80)
    filter_type = events.EventFilter
    filters = (DateFilter("from_edit", "date_from", "从", _first_of_year),
               DateFilter("to_edit", "date_to", "到", _last_of_year))
    record_table = "community_event"
    count_text = "宣传活动 {shown} 场"
    new_text = "新增宣传活动"
    form_class = EventForm
    delete_text = "删除"
    delete_title = "删除宣传活动"
    export_text = "导出Excel"
    export_done = "已导出 {count} 场到 {path}"

    def load_rows(self, ids: list[int]) -> dict[int, tuple]:
        return events.load_event_rows(ids)

    def find(self, flt: events.EventFilter, limit: int | None = None) -> list[int]:
        return events.event_ids(flt)

    def period(self) -> tuple[dt.date, dt.date]:
        return self.from_edit.date().toPython(), self.to_edit.date().toPython()

    def delete_question(self, ids: list[int]) -> str:
        which = "这场活动" if len(ids) == 1 else f"选中的 {len(ids)} 场活动"
        return f"确定删除{which}？参加志愿者的服务时长会随之减少。"

    def delete_records(self, ids: list[int]) -> None:
        for eid in ids:
            events.delete_event(eid)

    def export_file_name(self, flt: events.EventFilter) -> str:
        return f"宣传活动_{flt.date_from:%Y%m%d}-{flt.date_to:%Y%m%d}.xlsx"

    def export_work(self, path: str, flt: events.EventFilter):
        return lambda progress: export_events(path, flt.date_from, flt.date_to, progress)
