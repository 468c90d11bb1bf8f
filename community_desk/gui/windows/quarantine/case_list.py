"""The case list (隔离管控台账): search as in the registry, filters (source, classification, measure,
status, community, building, due today, extended, positive), colours (due today, overdue, positive),
and bulk actions on a selection (assign a follow-up worker, set a test date, release).

A ListPage inside the quarantine page, which adds its buttons (add_button) and opens a case on `open_case`
(double-click or Enter on a row)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QInputDialog, QLabel, QMenu, QPushButton

from ....core.queries import communities
from ....core.queries import quarantine as cases
from ....core.queries import quarantine_items as items
from ....core.queries.office_settings_form import follow_up_workers
from ....core.rules import quarantine as rules
from ....core.rules.text import ValidationError
from ....core.session import PermissionDenied
from ...dialogs.base import show_error
from ...list_page import Check, Combo, ListPage
from .common import TABLE, changed
from .dialogs import DateDialog, ReleaseDialog

WIDTHS = (70, 40, 160, 100, 220, 45, 110, 90, 85, 85, 85, 130, 60, 90, 200)
LEGEND = ('<span style="background:#fff6bf">&nbsp;今日到期&nbsp;</span> '
          '<span style="background:#fde2b8">&nbsp;逾期&nbsp;</span> '
          '<span style="background:#f8c9c9">&nbsp;阳性&nbsp;</span>')


def _same(values) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


def _buildings(values: dict) -> list[tuple[str, int]]:
    cid = values.get("community_id")
    return [(name if cid else f"{community_name} {name}", bid)
            for bid, name, community_name in communities.list_buildings(cid)]


class CaseList(ListPage):
    title = "台账"
    open_case = Signal(int)
    columns = cases.COLUMNS
    widths = WIDTHS
    filter_type = cases.CaseFilter
    sort_key = "planned_end"
    search_hint = "搜索：姓名 / 拼音首字母 / 身份证号 / 电话 / 住址"
    filters = (
        Combo("source", "source", choices=_same(rules.SOURCES), all_text="全部来源"),
        Combo("classification", "classification", choices=lambda _v: _same(cases.classifications()),
              all_text="全部分类"),
        Combo("measure", "measure", choices=_same(rules.MEASURES), all_text="全部措施"),
        Combo("status", "status", choices=[("在管（待核实+管控中）", "open"), ("全部状态", ""),
                                           *_same(rules.STATUSES)], all_text=""),
        Combo("community", "community_id", choices=lambda _v: [(n, c) for c, n in communities.list_communities()],
              all_text="全部社区"),
        Combo("building", "building_id", choices=_buildings, all_text="全部楼栋", depends_on="community_id"),
        Check("due_today", "due_today", "今日到期/逾期"),
        Check("extended", "extended", "已延长"),
        Check("positive", "positive", "阳性"),
    )
    checks_below = True
    record_table = TABLE
    tables = (TABLE, "resident")
    count_text = "列出 {shown:,} 人（台账共 {total:,} 人）"
    edit_text = ""  # the quarantine page adds 修改 with its other buttons

    def __init__(self, parent=None, today: dt.date | None = None):
        self._today = today
        super().__init__(parent)
        self.checks_row.insertWidget(self.checks_row.count() - 1, QLabel(LEGEND))

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def load_rows(self, ids: list[int]) -> dict[int, tuple]:
        return cases.load_rows(ids, self.today)

    def row_colour(self, row: tuple) -> str | None:
        return cases.COLOURS.get(row[-1])

    def make_filter(self, values: dict) -> cases.CaseFilter:
        return super().make_filter({**values, "today": self.today})

    def find(self, flt: cases.CaseFilter, limit: int | None = None) -> list[int]:
        return cases.search_ids(flt)

    def find_more(self, flt, stale: bool) -> int:
        return cases.count_all()

    def show_more(self, more: int) -> None:
        self.total = more

    def open_record(self, record_id: int | None) -> bool:
        """Double-click or Enter: the quarantine page opens the case form (and says what changed)."""
        if record_id is not None:
            self.open_case.emit(record_id)
        return False

    def add_button(self, text: str, slot=None, menu: list[tuple[str, object]] | None = None) -> QPushButton:
        """A button of the quarantine page among the list's buttons (a menu of actions, or one slot)."""
        button = QPushButton(text)
        if menu:
            popup = QMenu(button)
            for label, fn in menu:
                popup.addAction(label, lambda fn=fn: fn())
            button.setMenu(popup)
        elif slot is not None:
            button.clicked.connect(lambda: slot())
        self.buttons.addWidget(button)
        return button

    def selected(self) -> list[int]:
        return self.selected_ids()

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


