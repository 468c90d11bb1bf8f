"""The facility log window (设施台账): installed facilities with filters by kind and status and the
totals by kind (休闲座椅 28 套 …), and the planned projects as their own group with their next step.

Both tables are the shared lazy model over ids that core.queries.facilities finds in SQL.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
)

from ....core.excel.facilities_export import export_facilities
from ....core.excel.residents_export import community_title, report_meta
from ....core.models.facilities import UNITS
from ....core.queries import facilities
from ....core.rules import facilities as rules
from ....core.session import PermissionDenied
from ... import printing, tasks
from ...dialogs.base import attempt, confirm, show_error
from ...exporting import ask_pdf_path, ask_xlsx_path, run_export, with_suffix
from ...page import Page, bus
from ...table_model import LazyTableModel, selected_ids
from .form import FacilityForm, event_dialog

LIST_STATUSES = ("已完工", "维修中", "已拆除")
PLANNED_COLUMNS = ["项目名称", "设施种类", "数量", "位置", "状态", "计划日期", "预算（元）", "资金来源", "负责人",
                   "下一步"]
PRINT_KEYS = ["kind", "name", "quantity", "unit", "location", "status", "installed_date", "cost", "responsible",
              "last_inspected", "inspection"]
TABLES = ("facility", "facility_event", "facility_photo", "facility_kind", "service_request", "*")


def _cost(value) -> str:
    return rules.format_money(value) if value not in ("", None) else ""


def format_row(row: tuple) -> tuple:
    out = list(row)
    out[facilities.COLUMN_KEYS.index("cost")] = _cost(row[facilities.COLUMN_KEYS.index("cost")])
    return tuple(out)


def planned_row(row: tuple) -> tuple:
    k = facilities.COLUMN_KEYS
    return (row[k.index("name")], row[k.index("kind")], f"{row[k.index('quantity')]} {row[k.index('unit')]}",
            row[k.index("location")], row[k.index("status")], row[k.index("planned_date")],
            _cost(row[k.index("cost")]), row[k.index("funding")], row[k.index("responsible")],
            row[k.index("next_step")])


def row_colour(row: tuple) -> str | None:
    if row[facilities.INSPECTION_COLUMN]:
        return "#fde2c8"  # inspection overdue
    status = row[facilities.STATUS_COLUMN]
    return {"维修中": "#fff4c2", "已拆除": "#e8e8e8"}.get(status)


def _table(model: LazyTableModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setAlternatingRowColors(True)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setDefaultSectionSize(26)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.horizontalHeader().setResizeContentsPrecision(100)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class FacilitiesPage(Page):
    title = "设施台账"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.searches = tasks.LatestQuery()
        self.total = 0
        self.last_export: str | None = None

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜索：设施名称 / 位置 / 种类 / 施工单位 / 负责人")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.run_search)
        self.kind_filter = QComboBox()
        self.status_filter = QComboBox()
        self.overdue_check = QCheckBox("只看逾期未巡检")
        self.fill_filters()
        self.kind_filter.currentIndexChanged.connect(self.run_search)
        self.status_filter.currentIndexChanged.connect(self.run_search)
        self.overdue_check.toggled.connect(self.run_search)

        self.totals_label = QLabel()
        self.totals_label.setObjectName("facilityTotals")
        self.totals_label.setWordWrap(True)
        self.totals_label.setStyleSheet("font-weight: bold; padding: 4px 2px;")

        self.model = LazyTableModel([h for _k, h in facilities.COLUMNS], facilities.load_rows, self,
                                    formatter=format_row, row_style=row_colour)
        self.model.sort_requested = lambda _col, _order: self.run_search()
        self.table = _table(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        for col, width in enumerate((80, 150, 44, 40, 190, 60, 84, 84, 130, 84, 100, 60, 84, 80, 120, 120)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, activated=self.delete_selected)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, activated=self.edit_selected)

        self.planned_model = LazyTableModel(PLANNED_COLUMNS, facilities.load_rows, self, formatter=planned_row)
        self.planned_table = _table(self.planned_model)
        for col, width in enumerate((150, 100, 60, 190, 60, 84, 90, 110, 60, 260)):
            self.planned_table.setColumnWidth(col, width)
        self.planned_table.doubleClicked.connect(lambda _i: self.edit_selected(self.planned_table))
        planned_box = QGroupBox("规划项目（规划中 / 已立项 / 施工中）")
        planned_layout = QVBoxLayout(planned_box)
        planned_layout.addWidget(self.planned_table)

        self.new_button = QPushButton("新增设施")
        self.new_button.clicked.connect(self.new_record)
        self.edit_button = QPushButton("修改")
        self.edit_button.clicked.connect(lambda: self.edit_selected())
        self.inspect_button = QPushButton("记录巡检")
        self.inspect_button.clicked.connect(lambda: self.record_event("巡检"))
        self.repair_button = QPushButton("记录维修")
        self.repair_button.clicked.connect(lambda: self.record_event("维修"))
        self.delete_button = QPushButton("删除")
        self.delete_button.clicked.connect(self.delete_selected)
        self.kind_button = QPushButton("新增种类…")
        self.kind_button.clicked.connect(self.add_kind)
        self.days_button = QPushButton("巡检周期…")
        self.days_button.clicked.connect(self.change_inspection_days)
        self.export_button = QPushButton("导出Excel")
        self.export_button.clicked.connect(lambda: self.export_excel())
        self.print_button = QPushButton("打印预览")
        self.print_button.clicked.connect(self.print_preview)
        self.count_label = QLabel()

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 3)
        for label, combo in (("设施种类", self.kind_filter), ("状态", self.status_filter)):
            filters.addWidget(QLabel(label))
            filters.addWidget(combo, 1)
        filters.addWidget(self.overdue_check)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.inspect_button, self.repair_button,
                       self.delete_button, self.kind_button, self.days_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.print_button)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(planned_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.totals_label)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        bus.data_changed.connect(self._on_data_changed)
        self.run_search()

    # --- filters and search ---
    def fill_filters(self) -> None:
        current = self.kind_filter.currentData()
        for combo in (self.kind_filter, self.status_filter):
            combo.blockSignals(True)
        self.kind_filter.clear()
        self.kind_filter.addItem("全部种类", None)
        for kid, name, _unit in facilities.list_kinds():
            self.kind_filter.addItem(name, kid)
        self.kind_filter.setCurrentIndex(max(self.kind_filter.findData(current), 0))
        if self.status_filter.count() == 0:
            self.status_filter.addItem("全部", "")
            for status in LIST_STATUSES:
                self.status_filter.addItem(status, status)
        for combo in (self.kind_filter, self.status_filter):
            combo.blockSignals(False)

    def current_filter(self) -> facilities.FacilityFilter:
        column = self.model.sort_column
        key = facilities.COLUMN_KEYS[column] if 0 <= column < len(facilities.COLUMN_KEYS) else "kind"
        return facilities.FacilityFilter(
            text=self.search_edit.text(), kind_id=self.kind_filter.currentData(),
            status=self.status_filter.currentData() or "", group="installed",
            overdue_only=self.overdue_check.isChecked(), sort_key=key,
            descending=self.model.sort_order == Qt.SortOrder.DescendingOrder)

    def run_search(self, *_args) -> None:
        flt = self.current_filter()
        planned = facilities.FacilityFilter(kind_id=flt.kind_id, text=flt.text, group="planned",
                                            sort_key="planned_date")

        def work():
            return (facilities.search_ids(flt), facilities.search_ids(planned), facilities.totals_text(),
                    facilities.count_all(), facilities.inspection_days())

        self.searches.run(work, lambda result: self._show(*result), self._search_failed)

    def _show(self, ids: list[int], planned_ids: list[int], totals: str, total: int, days: int) -> None:
        selected = self.selected_ids()
        self.total = total
        self.model.set_ids(ids)
        self.planned_model.set_ids(planned_ids)
        if selected:
            row = self.model.row_of(selected[0])
            if row >= 0:
                self.table.selectRow(row)
        self.totals_label.setText(f"在用设施合计：{totals or '暂无'}")
        self.overdue_check.setToolTip(f"超过 {days} 天未巡检的已完工设施（巡检周期可在“巡检周期…”中修改）")
        self.count_label.setText(self.status_text())
        self.count_changed.emit(self.status_text())

    def _search_failed(self, exc: BaseException) -> None:
        self.count_label.setText(f"查询失败：{exc}")

    def search_done(self) -> bool:
        return self.searches.done()

    def status_text(self) -> str:
        return (f"设施 {self.model.rowCount():,} 项，规划项目 {self.planned_model.rowCount():,} 项"
                f"（全部 {self.total:,} 项）")

    def _on_data_changed(self, table: str) -> None:
        if table in TABLES:
            self.model.invalidate()
            self.planned_model.invalidate()
            if table in ("*", "facility_kind"):
                self.fill_filters()
            self.run_search()

    # --- records ---
    def selected_ids(self, table: QTableView | None = None) -> list[int]:
        return selected_ids(table or self.table)

    def _current_id(self, table: QTableView | None = None) -> int | None:
        ids = self.selected_ids(table) if table else (self.selected_ids() or self.selected_ids(self.planned_table))
        return ids[0] if ids else None

    def new_record(self) -> None:
        form = FacilityForm(self)
        if form.exec():
            bus.data_changed.emit("facility")

    def edit_selected(self, table: QTableView | None = None) -> None:
        fid = self._current_id(table)
        if fid is None:
            return
        form = FacilityForm(self, fid)
        if form.exec() or form.changed:
            bus.data_changed.emit("facility")

    def record_event(self, kind: str) -> None:
        fid = self._current_id()
        if fid is None:
            show_error(self, f"记录{kind}", "请先在列表中选中一项设施")
            return
        if event_dialog(self, fid, kind).exec():
            bus.data_changed.emit("facility_event")

    def delete_selected(self) -> None:
        ids = self.selected_ids() or self.selected_ids(self.planned_table)
        if not ids:
            return
        if not confirm(self, "删除设施", f"确定删除选中的 {len(ids)} 项设施及其历史记录和照片？此操作记入操作日志。"):
            return
        try:
            facilities.delete(ids)
        except PermissionDenied as exc:
            show_error(self, "删除设施", exc.message)
            return
        bus.data_changed.emit("facility")

    def add_kind(self) -> None:
        name, ok = QInputDialog.getText(self, "新增设施种类", "种类名称（例如 健身器材）：")
        if not ok or not name.strip():
            return
        unit, ok = QInputDialog.getItem(self, "新增设施种类", "常用单位：", list(UNITS), 0, False)
        if not ok:
            return
        if not attempt(self, "新增设施种类", lambda: facilities.add_kind(name, unit)):
            return
        bus.data_changed.emit("facility_kind")

    def change_inspection_days(self) -> None:
        days, ok = QInputDialog.getInt(self, "巡检周期", "已完工设施超过多少天未巡检即提醒：",
                                       facilities.inspection_days(), 1, 3650)
        if not ok:
            return
        if not attempt(self, "巡检周期", lambda: facilities.set_inspection_days(days)):
            return
        bus.data_changed.emit("facility")

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def refresh(self) -> None:
        self.fill_filters()
        self.model.invalidate()
        self.planned_model.invalidate()
        self.run_search()

    # --- export and print ---
    def export_excel(self, path: str | None = None) -> None:
        path = with_suffix(path) if path else ask_xlsx_path(self, f"设施台账_{dt.date.today():%Y%m%d}.xlsx")
        if path is None:
            return
        self.count_label.setText("正在导出……")
        run_export(self, path, lambda progress: export_facilities(path, progress=progress), button=self.export_button,
                   on_done=lambda count: self.count_label.setText(f"已导出设施台账 {count} 项到 {path}"),
                   on_failed=lambda: self.count_label.setText(self.status_text()))

    def _print_sheet(self) -> printing.TableSheet:
        keys = facilities.COLUMN_KEYS
        cols = [keys.index(k) for k in PRINT_KEYS]
        ids = self.model.ids() + self.planned_model.ids()
        rows = [(n, *(format_row(row)[c] for c in cols)) for n, row in enumerate(facilities.iter_rows(ids), 1)]
        meta = report_meta()
        return printing.TableSheet(
            title=f"{community_title()}设施台账", headers=["序号"] + [facilities.COLUMNS[c][1] for c in cols],
            rows=rows, subtitle=f"在用设施：{self.totals_label.text().split('：', 1)[-1]}    "
                                f"打印日期：{dt.date.today():%Y年%m月%d日}",
            footer=meta.footer(),
            column_widths=[4, 8, 14, 4, 4, 18, 6, 9, 9, 6, 9, 9])

    def print_preview(self) -> None:
        sheet = self._print_sheet()
        printing.open_preview(self, lambda: sheet)

    def save_pdf(self, path: str | None = None) -> int:
        path = path or ask_pdf_path(self, f"设施台账_{dt.date.today():%Y%m%d}.pdf")
        if not path:
            return 0
        return printing.save_pdf(self._print_sheet(), path)
