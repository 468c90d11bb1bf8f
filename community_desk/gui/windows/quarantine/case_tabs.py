"""The tabs of the case form: nucleic-acid tests (阳性 asks first, with the sampling date; 更正阳性… for a
管理员, with a reason), daily follow-ups, special needs, change history."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from ....core.queries import quarantine as cases
from ....core.queries import quarantine_items as items
from ....core.rules.text import ValidationError
from ....core.session import PermissionDenied
from .common import changed as notify_changed
from .common import fill, list_model, make_table, selected_ids, text
from .dialogs import CorrectionDialog, DateDialog, FollowUpDialog, NeedDialog, PositiveDialog


class _Tab(QWidget):
    changed = Signal()
    headers: list[str] = []
    widths: tuple[int, ...] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.case_id: int | None = None
        self.model = list_model(self.headers, self)
        self.table = make_table(self.model, self.widths)
        self.message = QLabel()
        self.message.setObjectName("errorLabel")
        self.buttons = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(self.buttons)
        layout.addWidget(self.message)

    def add_button(self, label: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(label)
        button.clicked.connect(slot)
        self.buttons.addWidget(button)
        return button

    def selected(self) -> list[int]:
        return selected_ids(self.table)

    def run(self, fn: Callable[[], object]) -> bool:
        try:
            fn()
        except (ValidationError, PermissionDenied) as exc:
            self.message.setText(exc.message)
            return False
        self.message.setText("")
        notify_changed()
        self.changed.emit()
        return True

    def load(self, case_id: int) -> None:
        self.case_id = case_id
        fill(self.model, self.rows(case_id))

    def rows(self, case_id: int) -> list[tuple[int, tuple]]:
        return []


class TestsTab(_Tab):
    headers = ["第几天", "计划日期", "采样日期", "检测机构", "结果", "出结果日期", "提前", "备注"]
    widths = (60, 95, 95, 110, 60, 95, 50)

    def __init__(self, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.today = today or dt.date.today()
        self.add_button("已采样", lambda: self._each(lambda tid: items.mark_sampled(tid, self.today)))
        self.add_button("阴性", lambda: self._each(lambda tid: items.record_result(tid, "阴性")))
        self.add_button("阳性", self._positive)
        self.add_button("更正阳性…", self._correct)
        self.add_button("提前检测…", self._bring_forward)
        self.add_button("加检…", self._add)
        self.buttons.addStretch(1)

    def rows(self, case_id):
        return [(t["id"], (f"第{t['day_no']}天", text(t["planned_date"]), text(t["sampling_date"]), t["institution"],
                           t["result"] if t["sampling_date"] else "未采样", text(t["result_date"]),
                           "是" if t["brought_forward"] else "", t["notes"])) for t in items.tests_of(case_id)]

    def _each(self, fn) -> None:
        ids = self.selected()
        if ids:
            self.run(lambda: [fn(tid) for tid in ids])

    def _positive(self) -> None:
        """Asks first, with the sampling date: the case becomes 阳性待转运."""
        ids = self.selected()
        if not ids or not self.case_id:
            self.message.setText("请先选中一次检测" if not ids else "")
            return
        tests = {t["id"]: t for t in items.tests_of(self.case_id)}
        name = cases.get_form(self.case_id)["name"]
        # the test's own sampling date; one not yet sampled was taken on its planned day (today, if that is later)
        dialog = PositiveDialog(self, [(tid, name, tests[tid]["sampling_date"] or min(tests[tid]["planned_date"],
                                                                                   self.today))
                                       for tid in ids if tid in tests], self.today)
        dialog.exec()
        if dialog.recorded:
            self.run(lambda: None)

    def _correct(self) -> None:
        """更正阳性: 管理员 only, with a reason (core refuses others and says why)."""
        ids = self.selected()
        if not ids:
            self.message.setText("请先选中一次阳性检测")
            return
        test = next((t for t in items.tests_of(self.case_id) if t["id"] == ids[0]), None)
        if test is None or test["result"] != "阳性":
            self.message.setText("该次检测不是阳性，无需更正")
            return
        if CorrectionDialog(self, ids[0]).exec():
            self.run(lambda: None)

    def _bring_forward(self) -> None:
        ids = self.selected()
        if ids:
            dialog = DateDialog(self, "提前检测", "新的检测日期", self.today,
                                lambda day: items.bring_forward(ids[0], day))
            if dialog.exec():
                self.run(lambda: None)

    def _add(self) -> None:
        if self.case_id and DateDialog(self, "加检", "检测日期", self.today,
                                       lambda day: items.add_test(self.case_id, day)).exec():
            self.run(lambda: None)


class FollowUpsTab(_Tab):
    headers = ["第几天", "日期", "情况", "体温", "症状", "方式", "监测人"]
    widths = (60, 95, 70, 60, 160, 60)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.add_button("正常", lambda: self._each("正常"))
        self.add_button("未联系上", lambda: self._each("未联系上"))
        self.add_button("详细登记…", self._detail)
        self.buttons.addStretch(1)

    def rows(self, case_id):
        return [(f["id"], (f"第{f['day_no']}天", text(f["date"]), f["status"], text(f["temperature"]), f["symptoms"],
                           f["method"], f["by_whom"])) for f in items.follow_ups_of(case_id)]

    def _each(self, status: str) -> None:
        ids = self.selected()
        if ids:
            self.run(lambda: [items.record_follow_up(fid, status) for fid in ids])

    def _detail(self) -> None:
        ids = self.selected()
        if ids and FollowUpDialog(self, ids[0]).exec():
            self.run(lambda: None)


class NeedsTab(_Tab):
    headers = ["涉及日期", "类别", "需要什么", "负责人", "状态", "结果"]
    widths = (95, 70, 260, 70, 60)

    def __init__(self, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.today = today or dt.date.today()
        self.add_button("新增需求…", self._add)
        self.add_button("处理中", lambda: self._status("处理中"))
        self.add_button("标记已办", lambda: self._status("已办结"))
        self.add_button("记录结果…", self._outcome)
        self.buttons.addStretch(1)

    def rows(self, case_id):
        return [(n["id"], (text(n["need_date"]), n["kind"], n["content"], n["handler"], n["status"], n["outcome"]))
                for n in items.needs_of(case_id)]

    def _add(self) -> None:
        if self.case_id and NeedDialog(self, self.case_id, self.today).exec():
            self.run(lambda: None)

    def _outcome(self) -> None:
        ids = self.selected()
        if not ids:
            return
        text_value, ok = QInputDialog.getText(self, "特殊需求", "办理结果（例如 已改约到8月20日，期满当天优先就诊）：")
        if ok:
            self.run(lambda: items.update_need(ids[0], outcome=text_value))

    def _status(self, status: str) -> None:
        ids = self.selected()
        if ids:
            self.run(lambda: [items.update_need(nid, status=status) for nid in ids])


class HistoryTab(_Tab):
    headers = ["时间", "操作人", "操作", "内容", "改动"]
    widths = (140, 70, 70, 320)

    def rows(self, case_id):
        out = []
        for i, h in enumerate(cases.history(case_id)):
            changes = h["text"]  # in the glossary's words (core.queries.audit.describe)
            out.append((i + 1, (h["at"].strftime("%Y-%m-%d %H:%M") if h["at"] else "", h["user"], h["action"],
                                h["summary"], changes)))
        return out
