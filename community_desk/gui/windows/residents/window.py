"""The resident registry window (居民台账): search, filter, sort, add, edit, delete, export, print.

The table is the shared lazy model: searching and sorting run in SQL on a worker thread; the
model holds only the ordered ids and loads rows in blocks as they scroll into view.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from ....core.models.people import RESIDENCE_STATUSES
from ....core.queries import communities, residents
from ....core.reports import community_title, report_meta
from ....core.rules.text import ValidationError
from ....core.session import PermissionDenied
from ... import printing, tasks
from ...dialogs.base import ask_mask, confirm, show_error
from ...exporting import ask_pdf_path, ask_xlsx_path, run_export, with_suffix
from ...page import Page, bus
from ...table_model import LazyTableModel, selected_ids
from .form import ResidentForm

FIRST_PAGE = 300  # ids shown at once; the rest of a long result follows from a second query
REST_DELAY_MS = 150
PRINT_COLUMNS = ["name", "gender", "age", "id_number", "phone", "address", "household", "tags", "residence_status"]


class ResidentsPage(Page):
    title = "居民台账"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.searches = tasks.LatestQuery()
        self._complete = True
        self.total = 0
        self._total_stale = True
        self._mask_ids = True
        self._rest_of = (0, None)
        self._rest_timer = QTimer(self)  # the rest of a long result, once the typing pauses
        self._rest_timer.setSingleShot(True)
        self._rest_timer.timeout.connect(self._load_rest)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜索：姓名 / 拼音首字母(如 wy) / 全拼 / 身份证号 / 电话 / 住址")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.run_search)
        self.community_filter = QComboBox()
        self.building_filter = QComboBox()
        self.tag_filter = QComboBox()
        self.status_filter = QComboBox()
        self.community_filter.currentIndexChanged.connect(self._community_changed)
        for combo in (self.building_filter, self.tag_filter, self.status_filter):
            combo.currentIndexChanged.connect(self.run_search)
        self.fill_filters()

        self.model = LazyTableModel([header for _key, header in residents.COLUMNS], residents.load_rows, self,
                                    formatter=self._format_row)
        self.model.sort_requested = lambda _col, _order: self.run_search()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(100)
        header.setStretchLastSection(True)
        for col, width in enumerate((80, 44, 44, 170, 110, 90, 150, 120, 80, 150, 70, 90, 70, 130, 120)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, activated=self.delete_selected)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, activated=self.edit_selected)

        self.new_button = QPushButton("新增居民")
        self.new_button.clicked.connect(self.new_record)
        self.edit_button = QPushButton("修改")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton("删除")
        self.delete_button.clicked.connect(self.delete_selected)
        self.tag_button = QPushButton("新增人员类别…")
        self.tag_button.clicked.connect(self.add_tag)
        self.export_button = QPushButton("导出Excel")
        self.export_button.clicked.connect(self.export_excel)
        self.print_button = QPushButton("打印预览")
        self.print_button.clicked.connect(self.print_preview)
        self.count_label = QLabel()

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 3)
        for label, combo in (("社区", self.community_filter), ("楼栋", self.building_filter),
                             ("人员类别", self.tag_filter), ("居住状态", self.status_filter)):
            filters.addWidget(QLabel(label))
            filters.addWidget(combo, 1)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_button, self.tag_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        bus.data_changed.connect(self._on_data_changed)
        self.run_search()

    def _format_row(self, row: tuple) -> tuple:
        return residents.mask_row(row) if self._mask_ids else row

    # --- filters and search ---
    def fill_filters(self) -> None:
        blockers = [self.community_filter, self.tag_filter, self.status_filter]
        for combo in blockers:
            combo.blockSignals(True)
        self.community_filter.clear()
        self.community_filter.addItem("全部社区", None)
        for cid, name in communities.list_communities():
            self.community_filter.addItem(name, cid)
        self.tag_filter.clear()
        self.tag_filter.addItem("全部", None)
        for tid, name in residents.list_tags():
            self.tag_filter.addItem(name, tid)
        self.status_filter.clear()
        self.status_filter.addItem("全部", "")
        for status in RESIDENCE_STATUSES:
            self.status_filter.addItem(status, status)
        for combo in blockers:
            combo.blockSignals(False)
        self._fill_buildings()

    def _fill_buildings(self) -> None:
        self.building_filter.blockSignals(True)
        self.building_filter.clear()
        self.building_filter.addItem("全部楼栋", None)
        cid = self.community_filter.currentData()
        for bid, name, community_name in communities.list_buildings(cid):
            self.building_filter.addItem(name if cid else f"{community_name} {name}", bid)
        self.building_filter.blockSignals(False)

    def _community_changed(self) -> None:
        self._fill_buildings()
        self.run_search()

    def show_filtered(self, community_id: int | None = None, tag_id: int | None = None) -> None:
        """Opened from the home screen: the residents of one community and/or one 人员类别, other filters cleared."""
        self.fill_filters()
        for widget, value in ((self.community_filter, community_id), (self.tag_filter, tag_id)):
            widget.blockSignals(True)
            widget.setCurrentIndex(max(widget.findData(value), 0))
            widget.blockSignals(False)
        self._fill_buildings()
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.run_search()

    def current_filter(self) -> residents.ResidentFilter:
        column = self.model.sort_column
        key = residents.COLUMN_KEYS[column] if 0 <= column < len(residents.COLUMN_KEYS) else "name"
        return residents.ResidentFilter(
            text=self.search_edit.text(), community_id=self.community_filter.currentData(),
            building_id=self.building_filter.currentData(), tag_id=self.tag_filter.currentData(),
            residence_status=self.status_filter.currentData() or "", sort_key=key,
            descending=self.model.sort_order == Qt.SortOrder.DescendingOrder)

    def run_search(self, *_args) -> None:
        """Search in SQL on a worker: the first page is shown at once, the rest follows when the typing pauses.

        The total count is read again only when the data changed (it does not move while one types)."""
        if self._total_stale:  # with the count: whether this user sees full ID numbers (role, setting)
            self._mask_ids = not residents.full_ids_shown()
        flt = self.current_filter()
        self._complete = False
        self._rest_timer.stop()
        count = self._total_stale  # cleared when a count is shown
        self.searches.run(lambda: (residents.search_ids(flt, limit=FIRST_PAGE),
                                   residents.count_all() if count else None),
                          lambda result: self._show_first(flt, *result), self._search_failed)

    def _show_first(self, flt, ids: list[int], total: int | None) -> None:
        seq = self.searches.shown
        selected = self.selected_ids()
        if total is not None:
            self.total = total
            self._total_stale = False
        self._complete = len(ids) < FIRST_PAGE
        self.model.set_ids(ids)
        if selected:
            row = self.model.row_of(selected[0])
            if row >= 0:
                self.table.selectRow(row)
        self._show_count()
        if not self._complete:
            self._rest_of = (seq, flt)
            self._rest_timer.start(REST_DELAY_MS)

    def _load_rest(self) -> None:
        seq, flt = self._rest_of
        if seq == self.searches.started:  # not when another key was typed meanwhile
            tasks.run_query(lambda: residents.search_ids(flt)[FIRST_PAGE:],
                            lambda rest: self._show_rest(seq, rest), self._search_failed)

    def _show_rest(self, seq: int, rest: list[int]) -> None:
        if seq != self.searches.started:
            return
        self.model.extend_ids(rest)
        self._complete = True
        self._show_count()

    def _show_count(self) -> None:
        self.count_label.setText(self.status_text())
        self.count_changed.emit(self.status_text())

    def _search_failed(self, exc: BaseException) -> None:
        self.count_label.setText(f"查询失败：{exc}")

    def search_done(self) -> bool:
        """True when the newest search's first page is shown (tests and benchmarks wait on this)."""
        return self.searches.done()

    def search_complete(self) -> bool:
        """True when every id of the newest search is in the table."""
        return self.search_done() and self._complete

    def status_text(self) -> str:
        shown = self.model.rowCount()
        if not self._complete:
            return f"找到 {shown:,}+ 人（全部 {self.total:,} 人），正在载入其余……"
        if shown == self.total:
            return f"共 {self.total:,} 人"
        return f"找到 {shown:,} 人（全部 {self.total:,} 人）"

    def _on_data_changed(self, table: str) -> None:
        if table in ("resident", "*"):
            self._total_stale = True
            self.model.invalidate()
            if table == "*":
                self.fill_filters()
            self.run_search()

    # --- records ---
    def selected_ids(self) -> list[int]:
        return selected_ids(self.table)

    def new_record(self) -> None:
        if not communities.list_communities():
            show_error(self, "新增居民", "还没有社区，请先在首次设置中填写社区名称")
            return
        form = ResidentForm(self)
        if form.exec():
            bus.data_changed.emit("resident")

    def edit_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        form = ResidentForm(self, ids[0])
        if form.exec():
            bus.data_changed.emit("resident")

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        rows = residents.load_rows(ids[:5])
        names = "、".join(rows[i][0] for i in ids[:5] if i in rows) + ("等" if len(ids) > 5 else "")
        if not confirm(self, "删除居民", f"确定删除 {names} 共 {len(ids)} 人的登记？此操作记入操作日志。"):
            return
        try:
            residents.delete(ids)
        except PermissionDenied as exc:
            show_error(self, "删除居民", exc.message)
            return
        bus.data_changed.emit("resident")

    def screenshot_extras(self):
        """The resident form, filled, for the README (tools/screenshots.py)."""
        form = ResidentForm(self, self.model.id_at(0)) if self.model.rowCount() else ResidentForm(self)
        form.show()
        return [("resident_form", form)]

    def add_tag(self, _checked=False, name: str | None = None) -> int | None:
        """An office's own 人员类别; it appears in the filter and the form at once."""
        if name is None:
            name, ok = QInputDialog.getText(self, "新增人员类别", "类别名称（如 失独家庭、空巢老人）：")
            if not ok:
                return None
        try:
            tag_id = residents.add_tag(name)
        except (ValidationError, PermissionDenied) as exc:
            show_error(self, "新增人员类别", exc.message)
            return None
        self.fill_filters()
        return tag_id

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def refresh(self) -> None:
        self.fill_filters()
        self.model.invalidate()
        self._total_stale = True
        self.run_search()

    # --- export and print ---
    def export_excel(self, path: str | None = None, mask: bool | None = None) -> None:
        path = with_suffix(path) if path else ask_xlsx_path(self, f"居民台账_{dt.date.today():%Y%m%d}.xlsx")
        if path is None:
            return
        if mask is None:
            mask = ask_mask(self)
            if mask is None:
                return
        flt = self.current_filter()
        self.count_label.setText("正在导出……")
        from ....core.excel.residents_export import export_residents  # openpyxl loads on first export

        rows = self.model.rowCount() if self._complete else 0  # the percent only when the count is known
        run_export(self, path, lambda progress: export_residents(path, flt, mask=mask, progress=progress),
                   button=self.export_button, total=rows,
                   on_done=lambda count: self.count_label.setText(f"已导出 {count:,} 人到 {path}"),
                   on_failed=lambda: self.count_label.setText(self.status_text()))

    def _print_sheet(self) -> printing.TableSheet:
        keys = residents.COLUMN_KEYS
        cols = [keys.index(k) for k in PRINT_COLUMNS]
        headers = ["序号"] + [residents.COLUMNS[c][1] for c in cols]
        rows = ((n, *(row[c] for c in cols)) for n, row in enumerate(
            residents.iter_rows(self.model.ids(), mask=not residents.full_ids_shown()), 1))
        meta = report_meta()
        return printing.TableSheet(
            title=f"{community_title()}居民台账", headers=headers, rows=rows,
            subtitle=f"共 {self.model.rowCount():,} 人    打印日期：{dt.date.today():%Y年%m月%d日}",
            footer=meta.footer(),
            column_widths=[5, 8, 4, 4, 16, 11, 16, 10, 18, 8])

    def print_preview(self) -> None:
        if self.model.rowCount() > 5000 and not confirm(
                self, "打印预览", f"当前列表有 {self.model.rowCount():,} 人，打印页数很多。仍要预览吗？"):
            return
        sheet = self._print_sheet()
        printing.open_preview(self, lambda: sheet)

    def save_pdf(self, path: str | None = None) -> int:
        path = path or ask_pdf_path(self, f"居民台账_{dt.date.today():%Y%m%d}.pdf")
        if not path:
            return 0
        return printing.save_pdf(self._print_sheet(), path)

