"""The facility log window (设施台账): installed facilities with filters by kind and status and the
totals by kind (休闲座椅 28 套 …), and the planned projects as their own group with their next step.

A ListPage over the installed facilities; the planned projects are a second lazy table over ids that the same
search finds (same kind and text), shown under it.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QInputDialog, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from ....core.excel.facilities_export import export_facilities
from ....core.models.facilities import UNITS
from ....core.queries import facilities
from ...dialogs.base import attempt, show_error
from ...list_page import Action, Check, Combo, ListPage
from ...page import bus
from ...table_model import LazyTableModel, make_table_view, selected_ids
from .form import FacilityForm, event_dialog
from .list_print import cost_text, facilities_sheet, format_row

LIST_STATUSES = ("已完工", "维修中", "已拆除")
PLANNED_COLUMNS = ["项目名称", "设施种类", "数量", "位置", "状态", "计划日期", "预算（元）", "资金来源", "负责人",
                   "下一步"]
def planned_row(row: tuple) -> tuple:
    k = facilities.COLUMN_KEYS
    return (row[k.index("name")], row[k.index("kind")], f"{row[k.index('quantity')]} {row[k.index('unit')]}",
            row[k.index("location")], row[k.index("status")], row[k.index("planned_date")],
            cost_text(row[k.index("cost")]), row[k.index("funding")], row[k.index("responsible")],
            row[k.index("next_step")])


def row_colour(row: tuple) -> str | None:
    if row[facilities.INSPECTION_COLUMN]:
        return "#fde2c8"  # inspection overdue
    status = row[facilities.STATUS_COLUMN]
    return {"维修中": "#fff4c2", "已拆除": "#e8e8e8"}.get(status)


class FacilitiesPage(ListPage):
    title = "设施台账"
    columns = facilities.COLUMNS
    widths = (80, 150, 44, 40, 190, 60, 84, 84, 130, 84, 100, 60, 84, 80, 120, 120)
    filter_type = facilities.FacilityFilter
    sort_key = "kind"
    search_hint = "搜索：设施名称 / 位置 / 种类 / 施工单位 / 负责人"
    filters = (
        Combo("kind_filter", "kind_id", "设施种类", lambda _v: [(n, k) for k, n, _u in facilities.list_kinds()],
              all_text="全部种类", tables=("facility_kind",)),
        Combo("status_filter", "status", "状态", [(s, s) for s in LIST_STATUSES]),
        Check("overdue_check", "overdue_only", "只看逾期未巡检"),
    )
    record_table = "facility"
    tables = ("facility", "facility_event", "facility_photo", "facility_kind", "service_request")
    new_text = "新增设施"
    form_class = FacilityForm
    actions = (Action("记录巡检", "record_inspection"), Action("记录维修", "record_repair"))
    delete_text = "删除"
    delete_title = "删除设施"
    setup_actions = (Action("新增种类…", "add_kind"), Action("巡检周期…", "change_inspection_days"))
    export_text = "导出Excel"
    export_done = "已导出设施台账 {count} 项到 {path}"
    print_text = "打印预览"
    file_name = "设施台账"

    def load_rows(self, ids: list[int]) -> dict[int, tuple]:
        return facilities.load_rows(ids)

    def format_row(self, row: tuple) -> tuple:
        return format_row(row)

    def row_colour(self, row: tuple) -> str | None:
        return row_colour(row)

    def make_filter(self, values: dict) -> facilities.FacilityFilter:
        return super().make_filter({**values, "group": "installed"})

    def build_summary(self) -> QWidget:
        self.totals_label = QLabel()
        self.totals_label.setObjectName("facilityTotals")
        self.totals_label.setWordWrap(True)
        self.totals_label.setStyleSheet("font-weight: bold; padding: 4px 2px;")
        return self.totals_label

    def build_list_area(self) -> QWidget:
        self.planned_model = LazyTableModel(PLANNED_COLUMNS, facilities.load_rows, self, formatter=planned_row)
        self.planned_table = make_table_view(self.planned_model, (150, 100, 60, 190, 60, 84, 90, 110, 60, 260))
        self.planned_table.doubleClicked.connect(
            lambda index: self.edit_record(self.planned_model.id_at(index.row())))
        planned_box = QGroupBox("规划项目（规划中 / 已立项 / 施工中）")
        QVBoxLayout(planned_box).addWidget(self.planned_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(planned_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        return splitter

    def find(self, flt: facilities.FacilityFilter, limit: int | None = None) -> list[int]:
        return facilities.search_ids(flt)

    def find_more(self, flt: facilities.FacilityFilter, stale: bool):
        planned = facilities.FacilityFilter(kind_id=flt.kind_id, text=flt.text, group="planned",
                                            sort_key="planned_date")
        return (facilities.search_ids(planned), facilities.totals_text(), facilities.count_all(),
                facilities.inspection_days())

    def show_more(self, more) -> None:
        planned_ids, totals, self.total, days = more
        self.planned_model.set_ids(planned_ids)
        self.totals_label.setText(f"在用设施合计：{totals or '暂无'}")
        self.overdue_check.setToolTip(f"超过 {days} 天未巡检的已完工设施（巡检周期可在“巡检周期…”中修改）")

    def status_text(self) -> str:
        return (f"设施 {self.model.rowCount():,} 项，规划项目 {self.planned_model.rowCount():,} 项"
                f"（全部 {self.total:,} 项）")

    def _on_data_changed(self, table: str) -> None:
        if self._follows(table):
            self.planned_model.invalidate()
        super()._on_data_changed(table)

    def refresh(self) -> None:
        self.planned_model.invalidate()
        super().refresh()

    # --- records ---
    def selected_ids(self, table: QTableView | None = None) -> list[int]:
        """The facilities selected in the list, or else in the planned projects."""
        if table is not None:
            return selected_ids(table)
        return selected_ids(self.table) or selected_ids(self.planned_table)

    def open_record(self, record_id: int | None) -> bool:
        form = FacilityForm(self) if record_id is None else FacilityForm(self, record_id)
        return bool(form.exec() or form.changed)  # history or photos changed even on cancel

    def record_inspection(self) -> None:
        self.record_event("巡检")

    def record_repair(self) -> None:
        self.record_event("维修")

    def record_event(self, kind: str) -> None:
        ids = self.selected_ids()
        if not ids:
            show_error(self, f"记录{kind}", "请先在列表中选中一项设施")
            return
        if event_dialog(self, ids[0], kind).exec():
            bus.data_changed.emit("facility_event")

    def delete_question(self, ids: list[int]) -> str:
        return f"确定删除选中的 {len(ids)} 项设施及其历史记录和照片？此操作记入操作日志。"

    def delete_records(self, ids: list[int]) -> None:
        facilities.delete(ids)

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

    # --- export and print ---
    def export_work(self, path: str, flt):
        return lambda progress: export_facilities(path, progress=progress)

    def print_document(self):
        ids = self.model.ids() + self.planned_model.ids()
        return lambda: facilities_sheet(ids)
