"""The service desk window (我来办工作站): the requests in the 12345 hotline's columns, overdue ones
highlighted, counts by status, and the steps 受理 → 派单 → 办结 → 回访. The navigation entry shows the
number of open requests (我来办（3）) through `nav_text_changed`. A ListPage; 打印 prints the month's requests."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QInputDialog, QLabel, QWidget

from ....core.excel.facilities_export import export_service_requests
from ....core.models.service_desk import REQUEST_STATUSES
from ....core.queries import service_desk
from ....core.rules import service_desk as rules
from ....core.rules.text import ValidationError
from ...dialogs.base import attempt, show_error
from ...list_page import Action, Check, Combo, ListPage
from ...page import bus
from .actions import assign_dialog, follow_up_dialog, reopen_dialog, resolve_dialog
from .list_print import month_range, requests_sheet
from .request_form import RequestForm

NAV_TITLE = "我来办"
STATUS_COLUMN = service_desk.COLUMN_KEYS.index("status")


def row_colour(row: tuple) -> str | None:
    if row[service_desk.OVERDUE_COLUMN]:
        return "#f8d0d0"  # overdue
    return {"待受理": "#fff4c2"}.get(row[STATUS_COLUMN])


def recent_months(_values: dict) -> list[tuple[str, dt.date]]:
    """This month and the eleven before it."""
    first = dt.date.today().replace(day=1)
    months = []
    for _ in range(12):
        months.append((f"{first:%Y年%m月}", first))
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return months


class ServiceDeskPage(ListPage):
    title = "我来办"
    nav_text_changed = Signal(str)
    columns = service_desk.COLUMNS
    widths = (110, 120, 60, 70, 100, 120, 70, 220, 60, 70, 84, 64, 200, 84, 64, 64, 110, 50)
    filter_type = service_desk.RequestFilter
    sort_key = "received_at"
    sort_descending = True
    search_hint = "搜索：工单编号 / 诉求人 / 电话 / 住址 / 诉求内容 / 承办人"
    filters = (
        Combo("status_filter", "status", "办理状态",
              [("未办结（待受理和处理中）", "open"), *((s, s) for s in REQUEST_STATUSES)]),
        Combo("category_filter", "category_id", "问题类别",
              lambda _v: [(n, c) for c, n in service_desk.list_categories()], all_text="全部类别",
              tables=("request_category",)),
        Combo("month_filter", "month", "受理月份", recent_months, all_text="全部月份"),
        Check("overdue_check", "overdue_only", "只看逾期"),
    )
    record_table = "service_request"
    tables = ("service_request", "request_category", "facility")
    new_text = "受理新工单"
    form_class = RequestForm
    actions = (Action("派单", "assign_selected"), Action("办结", "resolve_selected"),
               Action("回访", "follow_up_selected"),
               Action("重新办理", "reopen_selected", "已办结的工单没有解决（居民再次来电）：回到“处理中”，原办理结果保留"))
    delete_text = "删除"
    delete_title = "删除工单"
    setup_actions = (Action("新增类别…", "add_category"),)
    export_text = "导出Excel"
    export_done = "已导出工单 {count} 件到 {path}"
    print_text = "打印本月工单"
    file_name = "我来办工单"

    def __init__(self, parent=None):
        self.counts: dict[str, int] = {}
        self.overdue = 0
        super().__init__(parent)

    def load_rows(self, ids: list[int]) -> dict[int, tuple]:
        return service_desk.load_rows(ids)

    def row_colour(self, row: tuple) -> str | None:
        return row_colour(row)

    def make_filter(self, values: dict) -> service_desk.RequestFilter:
        month = values.pop("month", None)
        if month:
            values["date_from"], values["date_to"] = month_range(month)
        return super().make_filter(values)

    def build_summary(self) -> QWidget:
        self.summary_label = QLabel()
        self.summary_label.setObjectName("requestCounts")
        self.summary_label.setStyleSheet("font-weight: bold; padding: 4px 2px;")
        return self.summary_label

    def find(self, flt: service_desk.RequestFilter, limit: int | None = None) -> list[int]:
        return service_desk.search_ids(flt)

    def find_more(self, flt, stale: bool):
        return service_desk.status_counts(), service_desk.overdue_count()

    def show_more(self, more) -> None:
        self.counts, self.overdue = more
        parts = [f"{status} {self.counts.get(status, 0)}" for status in REQUEST_STATUSES]
        self.summary_label.setText("　".join(parts) + f"　　逾期 {self.overdue}")
        self.nav_text_changed.emit(self.nav_text())

    def show_open_requests(self, overdue_only: bool = False) -> None:
        """Opened from the home screen: 未办结 requests of every category and month (only overdue ones if asked)."""
        self.set_filters(status="open", overdue_only=overdue_only)

    def open_count(self) -> int:
        return sum(self.counts.get(s, 0) for s in ("待受理", "处理中"))

    def nav_text(self) -> str:
        n = self.open_count()
        return f"{NAV_TITLE}（{n}）" if n else NAV_TITLE

    def status_text(self) -> str:
        total = sum(self.counts.values())
        return f"显示 {self.model.rowCount():,} 件（全部 {total:,} 件，未办结 {self.open_count()} 件）"

    # --- records ---
    def _selected(self, action: str) -> int | None:
        ids = self.selected_ids()
        if not ids:
            show_error(self, action, "请先在列表中选中一件工单")
            return None
        return ids[0]

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
            self.changed()

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
            self.changed()

    def delete_question(self, ids: list[int]) -> str:
        return f"确定删除选中的 {len(ids)} 件工单？此操作记入操作日志。"

    def delete_records(self, ids: list[int]) -> None:
        service_desk.delete(ids)

    def add_category(self) -> None:
        name, ok = QInputDialog.getText(self, "新增问题类别", "类别名称（例如 电梯故障）：")
        if not ok or not name.strip():
            return
        if not attempt(self, "新增问题类别", lambda: service_desk.add_category(name)):
            return
        bus.data_changed.emit("request_category")

    # --- export and print ---
    def export_work(self, path: str, flt):
        return lambda progress: export_service_requests(path, flt=flt, progress=progress)

    def print_month(self) -> dt.date:
        return self.month_filter.currentData() or dt.date.today().replace(day=1)

    def pdf_file_name(self) -> str:
        return f"我来办工单_{self.print_month():%Y%m}.pdf"

    def print_document(self):
        first, last = month_range(self.print_month())
        return lambda: requests_sheet(first, last)
