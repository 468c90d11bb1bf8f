"""The case list (隔离管控台账): search as in the registry, filters (source, classification, measure,
status, community, building, due today, extended, positive), colours (due today, overdue, positive),
and bulk actions on a selection (assign a follow-up worker, set a test date, release)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ....core.queries import communities
from ....core.queries import quarantine as cases
from ....core.queries import quarantine_items as items
from ....core.queries.office_settings_form import follow_up_workers
from ....core.rules import quarantine as rules
from ....core.rules.text import ValidationError
from ....core.session import PermissionDenied
from ... import tasks
from ...dialogs.base import show_error
from ...page import bus
from ...table_model import LazyTableModel
from .common import TABLE, changed, make_table, selected_ids
from .dialogs import DateDialog, ReleaseDialog

WIDTHS = (70, 40, 160, 100, 220, 45, 110, 90, 85, 85, 85, 130, 60, 90, 200)


class CaseList(QWidget):
    open_case = Signal(int)
    count_changed = Signal(str)

    def __init__(self, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self._today = today
        self.searches = tasks.LatestQuery()
        self.total = 0
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜索：姓名 / 拼音首字母 / 身份证号 / 电话 / 住址")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.run_search)
        self.source = self._combo(["全部来源", *rules.SOURCES])
        self.classification = self._combo(["全部分类", *cases.classifications()])
        self.measure = self._combo(["全部措施", *rules.MEASURES])
        self.status = QComboBox()
        for label, value in (("在管（待核实+管控中）", "open"), ("全部状态", ""), *[(s, s) for s in rules.STATUSES]):
            self.status.addItem(label, value)
        self.status.currentIndexChanged.connect(self.run_search)
        self.community = QComboBox()
        self.building = QComboBox()
        self.community.currentIndexChanged.connect(self._community_changed)
        self.building.currentIndexChanged.connect(self.run_search)
        self.fill_places()
        self.due_today = QCheckBox("今日到期/逾期")
        self.extended = QCheckBox("已延长")
        self.positive = QCheckBox("阳性")
        for check in (self.due_today, self.extended, self.positive):
            check.toggled.connect(self.run_search)

        self.model = LazyTableModel([h for _k, h in cases.COLUMNS], lambda ids: cases.load_rows(ids, self.today),
                                    self, row_style=lambda row: cases.COLOURS.get(row[-1]))
        self.model.sort_requested = lambda _c, _o: self.run_search()
        self.table = make_table(self.model, WIDTHS)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(COLUMN_END, Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        self.count_label = QLabel()
        legend = QLabel('<span style="background:#fff6bf">&nbsp;今日到期&nbsp;</span> '
                        '<span style="background:#fde2b8">&nbsp;逾期&nbsp;</span> '
                        '<span style="background:#f8c9c9">&nbsp;阳性&nbsp;</span>')

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 3)
        for widget in (self.source, self.classification, self.measure, self.status, self.community, self.building):
            filters.addWidget(widget, 1)
        checks = QHBoxLayout()
        for check in (self.due_today, self.extended, self.positive):
            checks.addWidget(check)
        checks.addWidget(legend)
        checks.addStretch(1)
        checks.addWidget(self.count_label)
        self.buttons = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(checks)
        layout.addLayout(self.buttons)
        layout.addWidget(self.table)
        bus.data_changed.connect(self._on_data_changed)
        self.run_search()

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def _combo(self, labels: list[str]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(labels[0], "")
        for label in labels[1:]:
            combo.addItem(label, label)
        combo.currentIndexChanged.connect(self.run_search)
        return combo

    def add_button(self, text: str, slot=None, menu: list[tuple[str, object]] | None = None) -> QPushButton:
        button = QPushButton(text)
        if menu:
            popup = QMenu(button)
            for label, fn in menu:
                popup.addAction(label, fn)
            button.setMenu(popup)
        elif slot is not None:
            button.clicked.connect(slot)
        self.buttons.addWidget(button)
        return button

    def fill_places(self) -> None:
        self.community.blockSignals(True)
        self.community.clear()
        self.community.addItem("全部社区", None)
        for cid, name in communities.list_communities():
            self.community.addItem(name, cid)
        self.community.blockSignals(False)
        self._fill_buildings()

    def _fill_buildings(self) -> None:
        self.building.blockSignals(True)
        self.building.clear()
        self.building.addItem("全部楼栋", None)
        cid = self.community.currentData()
        for bid, name, community_name in communities.list_buildings(cid):
            self.building.addItem(name if cid else f"{community_name} {name}", bid)
        self.building.blockSignals(False)

    def _community_changed(self) -> None:
        self._fill_buildings()
        self.run_search()

    def current_filter(self) -> cases.CaseFilter:
        col = self.model.sort_column
        return cases.CaseFilter(
            text=self.search_edit.text(), source=self.source.currentData(),
            classification=self.classification.currentData(), measure=self.measure.currentData(),
            status=self.status.currentData(), community_id=self.community.currentData(),
            building_id=self.building.currentData(), due_today=self.due_today.isChecked(),
            extended=self.extended.isChecked(), positive=self.positive.isChecked(),
            sort_key=cases.COLUMN_KEYS[col] if 0 <= col < len(cases.COLUMN_KEYS) else "planned_end",
            descending=self.model.sort_order == Qt.SortOrder.DescendingOrder, today=self.today)

    def run_search(self, *_args) -> None:
        flt = self.current_filter()
        self.searches.run(lambda: (cases.search_ids(flt), cases.count_all()), lambda r: self._show(*r),
                          lambda exc: self.count_label.setText(f"查询失败：{exc}"))

    def _show(self, ids: list[int], total: int) -> None:
        self.total = total
        self.model.set_ids(ids)
        self.count_label.setText(self.status_text())
        self.count_changed.emit(self.status_text())

    def search_done(self) -> bool:
        return self.searches.done()

    def status_text(self) -> str:
        return f"列出 {self.model.rowCount():,} 人（台账共 {self.total:,} 人）"

    def _on_data_changed(self, table: str) -> None:
        if table in (TABLE, "resident", "*"):
            if table == "*":
                self.fill_places()
            self.model.invalidate()
            self.run_search()

    def selected(self) -> list[int]:
        return selected_ids(self.table)

    def _open_row(self, row: int) -> None:
        cid = self.model.id_at(row)
        if cid is not None:
            self.open_case.emit(cid)

    # --- bulk actions ---
    def _need_selection(self) -> list[int]:
        ids = self.selected()
        if not ids:
            show_error(self, "批量操作", "请先在列表中选中人员（可按住 Ctrl 或 Shift 多选）")
        return ids

    def bulk_worker(self) -> None:
        ids = self._need_selection()
        if not ids:
            return
        workers = follow_up_workers()  # the list kept in 设置; a name not on it may still be typed
        if workers:
            name, ok = QInputDialog.getItem(self, "指定健康监测责任人", f"为选中的 {len(ids)} 人指定责任人：",
                                            workers, 0, True)
        else:
            name, ok = QInputDialog.getText(self, "指定健康监测责任人", f"为选中的 {len(ids)} 人指定责任人：")
        if ok:
            self._write("指定健康监测责任人", lambda: items.bulk_assign_worker(ids, name, self.today))

    def bulk_verify(self) -> None:
        ids = self._need_selection()
        if ids:
            self._write("核实", lambda: items.bulk_verify(ids, self.today))

    def bulk_test_date(self) -> None:
        ids = self._need_selection()
        if ids and DateDialog(self, "统一核酸日期", f"选中 {len(ids)} 人的下一次检测日期", self.today,
                              lambda day: items.bulk_set_test_date(ids, day, self.today)).exec():
            changed()

    def bulk_release(self) -> None:
        ids = self._need_selection()
        if not ids:
            return
        dialog = ReleaseDialog(self, ids, self.today)
        if dialog.exec():
            changed()
            if dialog.refused:
                show_error(self, "批量解除", "以下人员未解除：\n" + "\n".join(f"{n}：{w}" for _i, n, w in dialog.refused))

    def _write(self, title: str, fn) -> None:
        try:
            fn()
        except (ValidationError, PermissionDenied) as exc:
            show_error(self, title, exc.message)
            return
        changed()


COLUMN_END = cases.COLUMN_KEYS.index("planned_end")
