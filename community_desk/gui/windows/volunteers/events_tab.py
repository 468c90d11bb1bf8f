"""Publicity events (宣传活动): the list for a period, a form (title, date, place, organising community,
volunteers present with their hours, leaflets 份, letters 封, residents reached, notes, photos), export."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ....core.excel.volunteers_export import export_events
from ....core.queries import communities, events, volunteers
from ....core.rules.resident import FormErrors
from ....core.session import PermissionDenied
from ...dialogs.base import RememberingDialog, confirm, show_error
from ...exporting import ask_xlsx_path, run_export, with_suffix
from ...page import bus
from ...table_model import LazyTableModel, selected_id


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
        self.notes_edit.setFixedHeight(60)
        self.photos_edit = QPlainTextEdit()
        self.photos_edit.setFixedHeight(44)
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


class EventsTab(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        today = QDate.currentDate()
        self.from_edit = _date_edit(QDate(today.year(), 1, 1))
        self.to_edit = _date_edit(QDate(today.year(), 12, 31))
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(lambda _d: self.refresh())
        self.model = LazyTableModel([h for _k, h in events.EVENT_COLUMNS], events.load_event_rows, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((90, 160, 120, 90, 220, 90, 90, 100, 80)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        new_button = QPushButton("新增宣传活动")
        new_button.clicked.connect(self.new_record)
        edit_button = QPushButton("修改")
        edit_button.clicked.connect(self.edit_selected)
        delete_button = QPushButton("删除")
        delete_button.clicked.connect(self.delete_selected)
        export_button = QPushButton("导出Excel")
        export_button.clicked.connect(lambda: self.export_excel())
        self.count_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("从"))
        top.addWidget(self.from_edit)
        top.addWidget(QLabel("到"))
        top.addWidget(self.to_edit)
        top.addWidget(new_button)
        top.addWidget(edit_button)
        top.addWidget(delete_button)
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addWidget(export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.refresh()

    def period(self) -> tuple[dt.date, dt.date]:
        return self.from_edit.date().toPython(), self.to_edit.date().toPython()

    def refresh(self) -> None:
        self.model.set_ids(events.event_ids(events.EventFilter(*self.period())))
        self.count_label.setText(self.status_text())

    def status_text(self) -> str:
        return f"宣传活动 {self.model.rowCount()} 场"

    def selected_id(self) -> int | None:
        return selected_id(self.table)

    def new_record(self) -> None:
        if EventForm(self).exec():
            bus.data_changed.emit("community_event")
            self.refresh()

    def edit_selected(self) -> None:
        eid = self.selected_id()
        if eid and EventForm(self, eid).exec():
            bus.data_changed.emit("community_event")
            self.refresh()

    def delete_selected(self) -> None:
        eid = self.selected_id()
        if eid is None or not confirm(self, "删除宣传活动", "确定删除这场活动？参加志愿者的服务时长会随之减少。"):
            return
        try:
            events.delete_event(eid)
        except PermissionDenied as exc:
            show_error(self, "删除宣传活动", exc.message)
            return
        bus.data_changed.emit("community_event")
        self.refresh()

    def export_excel(self, path: str | None = None) -> None:
        start, end = self.period()
        path = with_suffix(path) if path else ask_xlsx_path(self, f"宣传活动_{start:%Y%m%d}-{end:%Y%m%d}.xlsx")
        if path is None:
            return
        run_export(self, path, lambda progress: export_events(path, start, end, progress),
                   on_done=lambda count: self.count_label.setText(f"已导出 {count} 场到 {path}"))
