"""The audit log window (操作日志): every create, update, delete, export and login, filterable."""
from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
)

from ....core import vocabulary
from ....core.queries import audit
from ... import tasks
from ...page import Page, bus
from ...table_model import LazyTableModel


class AuditPage(Page):
    title = "操作日志"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.searches = tasks.LatestQuery()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜索：操作人 / 内容 / 修改的字段（如 核酸结果）")
        self.search_edit.setClearButtonEnabled(True)
        self.action_filter = QComboBox()
        self.table_filter = QComboBox()
        today = QDate.currentDate()
        self.from_edit = QDateEdit(today.addMonths(-1))
        self.to_edit = QDateEdit(today)
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self.refresh)
        self.search_edit.textChanged.connect(self.refresh)
        self.action_filter.currentIndexChanged.connect(self.refresh)
        self.table_filter.currentIndexChanged.connect(self.refresh)
        self.model = LazyTableModel([h for _k, h in audit.COLUMNS], audit.load_rows, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((150, 90, 60, 70, 320)):
            self.table.setColumnWidth(col, width)
        self.count_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 3)
        for label, widget in (("操作", self.action_filter), ("对象", self.table_filter), ("从", self.from_edit),
                              ("到", self.to_edit)):
            top.addWidget(QLabel(label))
            top.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table)
        self._fill_filters()
        bus.data_changed.connect(self._on_data_changed)
        self.refresh()

    def _on_data_changed(self, _table: str) -> None:
        if self.isVisible():
            self.refresh()

    def _fill_filters(self) -> None:
        for combo, values, labels in ((self.action_filter, audit.actions(), {}),
                                      (self.table_filter, audit.tables(), vocabulary.TABLE_LABELS)):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("全部", "")
            for value in values:
                combo.addItem(labels.get(value, value), value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def refresh(self, *_args) -> None:
        args = dict(text=self.search_edit.text(), action=self.action_filter.currentData() or "",
                    table=self.table_filter.currentData() or "",
                    date_from=self.from_edit.date().toPython(), date_to=self.to_edit.date().toPython())
        self.searches.run(lambda: audit.search_ids(**args), self._show)

    def _show(self, ids: list[int]) -> None:
        self.model.set_ids(ids)
        self.count_label.setText(self.status_text())
        self.count_changed.emit(self.status_text())

    def search_done(self) -> bool:
        return self.searches.done()

    def status_text(self) -> str:
        return f"共 {self.model.rowCount():,} 条操作记录"

    def focus_search(self) -> None:
        self.search_edit.setFocus()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        self._fill_filters()
        self.refresh()
        super().showEvent(event)
