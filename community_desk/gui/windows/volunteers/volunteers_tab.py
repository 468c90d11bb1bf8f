"""The volunteer list tab (志愿者): search, filter by team and kind, add, edit, delete, export with hours."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ....core.excel.volunteers_export import export_volunteers
from ....core.models.volunteers import VOLUNTEER_KINDS
from ....core.queries import volunteers
from ....core.session import PermissionDenied
from ... import tasks
from ...dialogs.base import confirm, show_error
from ...exporting import ask_xlsx_path, run_export, with_suffix
from ...page import bus
from ...table_model import LazyTableModel, selected_ids
from .form import VolunteerForm


class VolunteersTab(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._seq = 0
        self._shown = 0
        self.total = 0
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜索：姓名 / 拼音首字母 / 电话 / 特长")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.run_search)
        self.team_filter = QComboBox()
        self.kind_filter = QComboBox()
        self.kind_filter.addItem("全部类别", "")
        for kind in VOLUNTEER_KINDS:
            self.kind_filter.addItem(kind, kind)
        self.active_check = QCheckBox("只看在队")
        self.active_check.setChecked(True)
        for signal in (self.team_filter.currentIndexChanged, self.kind_filter.currentIndexChanged,
                       self.active_check.toggled):
            signal.connect(self.run_search)
        self.fill_teams()
        self.model = LazyTableModel([h for _k, h in volunteers.COLUMNS], volunteers.load_rows, self)
        self.model.sort_requested = lambda _c, _o: self.run_search()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((80, 70, 80, 110, 140, 90, 260, 90, 60, 100)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.new_button = QPushButton("新增志愿者")
        self.new_button.clicked.connect(self.new_record)
        self.edit_button = QPushButton("修改")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton("删除")
        self.delete_button.clicked.connect(self.delete_selected)
        self.export_button = QPushButton("导出Excel（含服务时长）")
        self.export_button.clicked.connect(lambda: self.export_excel())
        self.count_label = QLabel()
        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 3)
        filters.addWidget(QLabel("服务队"))
        filters.addWidget(self.team_filter, 1)
        filters.addWidget(QLabel("类别"))
        filters.addWidget(self.kind_filter, 1)
        filters.addWidget(self.active_check)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self.run_search()

    def fill_teams(self) -> None:
        self.team_filter.blockSignals(True)
        current = self.team_filter.currentData()
        self.team_filter.clear()
        self.team_filter.addItem("全部服务队", None)
        for tid, name in volunteers.list_teams():
            self.team_filter.addItem(name, tid)
        self.team_filter.setCurrentIndex(max(self.team_filter.findData(current), 0))
        self.team_filter.blockSignals(False)

    def current_filter(self) -> volunteers.VolunteerFilter:
        column = self.model.sort_column
        key = volunteers.COLUMN_KEYS[column] if 0 <= column < len(volunteers.COLUMN_KEYS) else "name"
        return volunteers.VolunteerFilter(
            text=self.search_edit.text(), team_id=self.team_filter.currentData(),
            kind=self.kind_filter.currentData() or "", active_only=self.active_check.isChecked(), sort_key=key,
            descending=self.model.sort_order == Qt.SortOrder.DescendingOrder)

    def run_search(self, *_args) -> None:
        self._seq += 1
        seq = self._seq
        flt = self.current_filter()
        tasks.run_query(lambda: (volunteers.search_ids(flt), volunteers.count_all()),
                        lambda result: self._show(seq, *result),
                        lambda exc: self.count_label.setText(f"查询失败：{exc}"))

    def _show(self, seq: int, ids: list[int], total: int) -> None:
        if seq < self._shown:
            return
        self._shown = seq
        self.total = total
        self.model.set_ids(ids)
        self.count_label.setText(self.status_text())

    def search_done(self) -> bool:
        return self._shown == self._seq

    def status_text(self) -> str:
        return f"志愿者 {self.model.rowCount():,} 人（全部 {self.total:,} 人）"

    def refresh(self) -> None:
        self.fill_teams()
        self.model.invalidate()
        self.run_search()

    def selected_ids(self) -> list[int]:
        return selected_ids(self.table)

    def new_record(self) -> None:
        if VolunteerForm(self).exec():
            bus.data_changed.emit("volunteer")

    def edit_selected(self) -> None:
        ids = self.selected_ids()
        if ids and VolunteerForm(self, ids[0]).exec():
            bus.data_changed.emit("volunteer")

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        names = "、".join(volunteers.names(ids[:5]).values()) + ("等" if len(ids) > 5 else "")
        if not confirm(self, "删除志愿者", f"确定删除 {names} 共 {len(ids)} 人？其排班和活动记录中的名字也会一并删除。"):
            return
        try:
            volunteers.delete(ids)
        except PermissionDenied as exc:
            show_error(self, "删除志愿者", exc.message)
            return
        bus.data_changed.emit("volunteer")

    def export_excel(self, path: str | None = None) -> None:
        path = with_suffix(path) if path else ask_xlsx_path(self, f"志愿者名册_{dt.date.today():%Y%m%d}.xlsx")
        if path is None:
            return
        flt = self.current_filter()
        run_export(self, path, lambda progress: export_volunteers(path, flt, progress),
                   on_done=lambda n: self.count_label.setText(f"已导出 {n} 名志愿者到 {path}"))
