"""The service desk window (我来办工作站): the requests in the 12345 hotline's columns, overdue ones
highlighted, counts by status, and the steps 受理 → 派单 → 办结 → 回访. The navigation entry shows the
number of open requests (我来办（3）) through `nav_text_changed`."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from ....core.excel.facilities_export import export_service_requests
from ....core.excel.residents_export import community_title, report_meta
from ....core.models.service_desk import REQUEST_STATUSES
from ....core.queries import service_desk
from ....core.rules import service_desk as rules
from ....core.rules.text import ValidationError
from ....core.session import PermissionDenied
from ... import printing, tasks
from ...dialogs.base import attempt, confirm, show_error
from ...exporting import ask_pdf_path, ask_xlsx_path, run_export, with_suffix
from ...page import Page, bus
from ...table_model import LazyTableModel, selected_ids
from .actions import assign_dialog, follow_up_dialog, reopen_dialog, resolve_dialog
from .request_form import RequestForm

NAV_TITLE = "我来办"
PRINT_KEYS = ["number", "received_at", "contact_name", "contact_phone", "address", "category", "description",
              "assigned_to", "status", "resolution", "satisfaction"]
STATUS_COLUMN = service_desk.COLUMN_KEYS.index("status")
TABLES = ("service_request", "request_category", "facility", "*")


def row_colour(row: tuple) -> str | None:
    if row[service_desk.OVERDUE_COLUMN]:
        return "#f8d0d0"  # overdue
    return {"待受理": "#fff4c2"}.get(row[STATUS_COLUMN])


def month_range(first: dt.date) -> tuple[dt.date, dt.date]:
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following - dt.timedelta(days=1)


class ServiceDeskPage(Page):
    title = "我来办"
    nav_text_changed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.searches = tasks.LatestQuery()
        self.counts: dict[str, int] = {}
        self.overdue = 0
        self.last_export: str | None = None

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜索：工单编号 / 诉求人 / 电话 / 住址 / 诉求内容 / 承办人")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.run_search)
        self.status_filter = QComboBox()
        self.status_filter.addItem("全部", "")
        self.status_filter.addItem("未办结（待受理和处理中）", "open")
        for status in REQUEST_STATUSES:
            self.status_filter.addItem(status, status)
        self.category_filter = QComboBox()
        self.month_filter = QComboBox()
        self.month_filter.addItem("全部月份", None)
        first = dt.date.today().replace(day=1)
        for _ in range(12):
            self.month_filter.addItem(f"{first:%Y年%m月}", first)
            first = (first - dt.timedelta(days=1)).replace(day=1)
        self.overdue_check = QCheckBox("只看逾期")
        self.fill_categories()
        for combo in (self.status_filter, self.category_filter, self.month_filter):
            combo.currentIndexChanged.connect(self.run_search)
        self.overdue_check.toggled.connect(self.run_search)

        self.summary_label = QLabel()
        self.summary_label.setObjectName("requestCounts")
        self.summary_label.setStyleSheet("font-weight: bold; padding: 4px 2px;")

        self.model = LazyTableModel([h for _k, h in service_desk.COLUMNS], service_desk.load_rows, self,
                                    row_style=row_colour)
        self.model.sort_column = 1
        self.model.sort_order = Qt.SortOrder.DescendingOrder
        self.model.sort_requested = lambda _col, _order: self.run_search()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setResizeContentsPrecision(100)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((110, 120, 60, 70, 100, 120, 70, 220, 60, 70, 84, 64, 200, 84, 64, 64, 110, 50)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, activated=self.delete_selected)

        self.new_button = QPushButton("受理新工单")
        self.new_button.clicked.connect(self.new_record)
        self.edit_button = QPushButton("修改")
        self.edit_button.clicked.connect(self.edit_selected)
        self.assign_button = QPushButton("派单")
        self.assign_button.clicked.connect(self.assign_selected)
        self.resolve_button = QPushButton("办结")
        self.resolve_button.clicked.connect(self.resolve_selected)
        self.follow_button = QPushButton("回访")
        self.follow_button.clicked.connect(self.follow_up_selected)
        self.reopen_button = QPushButton("重新办理")
        self.reopen_button.setToolTip("已办结的工单没有解决（居民再次来电）：回到“处理中”，原办理结果保留")
        self.reopen_button.clicked.connect(self.reopen_selected)
        self.delete_button = QPushButton("删除")
        self.delete_button.clicked.connect(self.delete_selected)
        self.category_button = QPushButton("新增类别…")
        self.category_button.clicked.connect(self.add_category)
        self.export_button = QPushButton("导出Excel")
        self.export_button.clicked.connect(lambda: self.export_excel())
        self.print_button = QPushButton("打印本月工单")
        self.print_button.clicked.connect(self.print_preview)
        self.count_label = QLabel()

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 3)
        for label, combo in (("办理状态", self.status_filter), ("问题类别", self.category_filter),
                             ("受理月份", self.month_filter)):
            filters.addWidget(QLabel(label))
            filters.addWidget(combo, 1)
        filters.addWidget(self.overdue_check)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.assign_button, self.resolve_button,
                       self.follow_button, self.reopen_button, self.delete_button, self.category_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.summary_label)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        bus.data_changed.connect(self._on_data_changed)
        self.run_search()

    # --- filters and search ---
    def fill_categories(self) -> None:
        current = self.category_filter.currentData()
        self.category_filter.blockSignals(True)
        self.category_filter.clear()
        self.category_filter.addItem("全部类别", None)
        for cid, name in service_desk.list_categories():
            self.category_filter.addItem(name, cid)
        self.category_filter.setCurrentIndex(max(self.category_filter.findData(current), 0))
        self.category_filter.blockSignals(False)

    def show_open_requests(self, overdue_only: bool = False) -> None:
        """Opened from the home screen: 未办结 requests of every category and month (only overdue ones if asked)."""
        widgets = (self.search_edit, self.status_filter, self.category_filter, self.month_filter, self.overdue_check)
        for widget in widgets:
            widget.blockSignals(True)
        self.search_edit.clear()
        self.status_filter.setCurrentIndex(self.status_filter.findData("open"))
        self.category_filter.setCurrentIndex(0)
        self.month_filter.setCurrentIndex(0)
        self.overdue_check.setChecked(overdue_only)
        for widget in widgets:
            widget.blockSignals(False)
        self.run_search()

    def current_filter(self) -> service_desk.RequestFilter:
        column = self.model.sort_column
        key = service_desk.COLUMN_KEYS[column] if 0 <= column < len(service_desk.COLUMN_KEYS) else "received_at"
        month = self.month_filter.currentData()
        date_from, date_to = month_range(month) if month else (None, None)
        return service_desk.RequestFilter(
            text=self.search_edit.text(), status=self.status_filter.currentData() or "",
            category_id=self.category_filter.currentData(), date_from=date_from, date_to=date_to,
            overdue_only=self.overdue_check.isChecked(), sort_key=key,
            descending=self.model.sort_order == Qt.SortOrder.DescendingOrder)

    def run_search(self, *_args) -> None:
        flt = self.current_filter()
        self.searches.run(lambda: (service_desk.search_ids(flt), service_desk.status_counts(),
                                   service_desk.overdue_count()),
                          lambda result: self._show(*result), self._search_failed)

    def _show(self, ids: list[int], counts: dict[str, int], overdue: int) -> None:
        selected = self.selected_ids()
        self.counts, self.overdue = counts, overdue
        self.model.set_ids(ids)
        if selected:
            row = self.model.row_of(selected[0])
            if row >= 0:
                self.table.selectRow(row)
        parts = [f"{status} {counts.get(status, 0)}" for status in REQUEST_STATUSES]
        self.summary_label.setText("　".join(parts) + f"　　逾期 {overdue}")
        self.count_label.setText(self.status_text())
        self.count_changed.emit(self.status_text())
        self.nav_text_changed.emit(self.nav_text())

    def _search_failed(self, exc: BaseException) -> None:
        self.count_label.setText(f"查询失败：{exc}")

    def search_done(self) -> bool:
        return self.searches.done()

    def open_count(self) -> int:
        return sum(self.counts.get(s, 0) for s in ("待受理", "处理中"))

    def nav_text(self) -> str:
        n = self.open_count()
        return f"{NAV_TITLE}（{n}）" if n else NAV_TITLE

    def status_text(self) -> str:
        total = sum(self.counts.values())
        return f"显示 {self.model.rowCount():,} 件（全部 {total:,} 件，未办结 {self.open_count()} 件）"

    def _on_data_changed(self, table: str) -> None:
        if table in TABLES:
            self.model.invalidate()
            if table in ("*", "request_category"):
                self.fill_categories()
            self.run_search()

    # --- records ---
    def selected_ids(self) -> list[int]:
        return selected_ids(self.table)

    def _selected(self, action: str) -> int | None:
        ids = self.selected_ids()
        if not ids:
            show_error(self, action, "请先在列表中选中一件工单")
            return None
        return ids[0]

    def new_record(self) -> None:
        form = RequestForm(self)
        if form.exec():
            bus.data_changed.emit("service_request")

    def edit_selected(self) -> None:
        ids = self.selected_ids()
        if ids and RequestForm(self, ids[0]).exec():
            bus.data_changed.emit("service_request")

    def _step(self, action: str, wanted: str, make_dialog) -> None:
        rid = self._selected(action)
        if rid is None:
            return
        status = service_desk.get(rid)["status"]
        try:
            rules.check_transition(status, wanted)
        except ValidationError:
            if not (action == "派单" and status == "处理中"):
                show_error(self, action, f"这件工单“{status}”，不能{action}")
                return
        if make_dialog(self, rid).exec():
            bus.data_changed.emit("service_request")

    def assign_selected(self) -> None:
        self._step("派单", "处理中", assign_dialog)

    def resolve_selected(self) -> None:
        self._step("办结", "已办结", resolve_dialog)

    def follow_up_selected(self) -> None:
        self._step("回访", "已回访", follow_up_dialog)

    def reopen_selected(self) -> None:
        rid = self._selected("重新办理")
        if rid is None:
            return
        status = service_desk.get(rid)["status"]
        if status != "已办结":
            show_error(self, "重新办理", f"这件工单“{status}”，只有已办结的工单可以重新办理")
            return
        if reopen_dialog(self, rid).exec():
            bus.data_changed.emit("service_request")

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids or not confirm(self, "删除工单", f"确定删除选中的 {len(ids)} 件工单？此操作记入操作日志。"):
            return
        try:
            service_desk.delete(ids)
        except PermissionDenied as exc:
            show_error(self, "删除工单", exc.message)
            return
        bus.data_changed.emit("service_request")

    def add_category(self) -> None:
        name, ok = QInputDialog.getText(self, "新增问题类别", "类别名称（例如 电梯故障）：")
        if not ok or not name.strip():
            return
        if not attempt(self, "新增问题类别", lambda: service_desk.add_category(name)):
            return
        bus.data_changed.emit("request_category")

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def refresh(self) -> None:
        self.fill_categories()
        self.model.invalidate()
        self.run_search()

    # --- export and print ---
    def export_excel(self, path: str | None = None) -> None:
        flt = self.current_filter()
        path = with_suffix(path) if path else ask_xlsx_path(self, f"我来办工单_{dt.date.today():%Y%m%d}.xlsx")
        if path is None:
            return
        run_export(self, path, lambda progress: export_service_requests(path, flt=flt, progress=progress),
                   button=self.export_button,
                   on_done=lambda count: self.count_label.setText(f"已导出工单 {count} 件到 {path}"))

    def print_month(self) -> dt.date:
        return self.month_filter.currentData() or dt.date.today().replace(day=1)

    def _print_sheet(self) -> printing.TableSheet:
        first, last = month_range(self.print_month())
        ids = service_desk.search_ids(service_desk.RequestFilter(date_from=first, date_to=last, descending=False))
        keys = service_desk.COLUMN_KEYS
        cols = [keys.index(k) for k in PRINT_KEYS]
        rows = [(n, *(row[c] for c in cols)) for n, row in enumerate(service_desk.iter_rows(ids), 1)]
        counts = service_desk.counts_by("status", first, last)
        meta = report_meta()
        return printing.TableSheet(
            title=f"{community_title()}我来办工作站工单（{first:%Y年%m月}）",
            headers=["序号"] + [service_desk.COLUMNS[c][1] for c in cols], rows=rows,
            subtitle=f"共 {len(ids)} 件：" + "，".join(f"{s} {n}" for s, n in counts) +
                     f"    打印日期：{dt.date.today():%Y年%m月%d日}",
            footer=meta.footer(),
            column_widths=[4, 10, 9, 6, 9, 10, 6, 16, 6, 6, 13, 5])

    def print_preview(self) -> None:
        sheet = self._print_sheet()
        printing.open_preview(self, lambda: sheet)

    def save_pdf(self, path: str | None = None) -> int:
        path = path or ask_pdf_path(self, f"我来办工单_{self.print_month():%Y%m}.pdf")
        if not path:
            return 0
        return printing.save_pdf(self._print_sheet(), path)
