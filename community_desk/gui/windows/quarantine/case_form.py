"""The case form (隔离人员登记): the person and the order on the first tab; tests, follow-ups, special
needs and the history of every change (who, when, what) on the others. A refused save keeps what
the user typed and names each problem. A case awaiting transfer (阳性待转运) says so in red and has
登记转运… beside 保存.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ....core import vocabulary
from ....core.queries import communities
from ....core.queries import quarantine as cases
from ....core.rules import quarantine as rules
from ....core.rules.resident import FormErrors
from ....core.rules.text import ValidationError
from ....core.session import PermissionDenied
from ... import font_size
from ...dialogs.field_form import FormDialog
from ...page import bus
from .case_tabs import FollowUpsTab, HistoryTab, NeedsTab, TestsTab
from .common import changed as notify_changed
from .dialogs import RED_BOLD, TransferDialog

LABELS = {
    "name": "姓名", "id_number": "身份证号", "gender": "性别", "phone": "联系电话", "community_id": "所属社区",
    "building": "楼栋", "address": "现居住地址", "source": "来源", "found_by": "发现人（自排）",
    "found_how": "发现途径（自排）", "classification": "人员分类", "origin": "出发地", "arrival_date": "返京日期",
    "transport": "交通方式", "measure": "管控措施", "start_date": "隔离起始日期", "planned_end": "计划解除日期",
    "end_change_reason": "调整原因（延长/缩短）", "status": "状态", "verbal_notice_date": "口头通知日期",
    "written_notice_date": "书面通知日期", "home_possible": "具备居家隔离条件", "home_comment": "居家条件说明",
    "supplies_ok": "生活物资已保障", "supplies_comment": "物资保障说明", "follow_up_worker": "健康监测责任人",
    "notes": "备注",
}
NOTES_CAPTION = "备注（批量操作在此追加记录，不覆盖）"
LEFT = ["name", "id_number", "gender", "phone", "community_id", "building", "address", "source", "found_by",
        "found_how", "classification", "origin", "arrival_date", "transport"]
RIGHT = ["measure", "start_date", "planned_end", "end_change_reason", "status", "verbal_notice_date",
         "written_notice_date", "home_possible", "home_comment", "supplies_ok", "supplies_comment",
         "follow_up_worker"]
CHOICES = {"gender": ["", "男", "女"], "source": list(rules.SOURCES), "measure": list(rules.MEASURES),
           "status": list(rules.STATUSES), "home_possible": ["", "是", "否"], "supplies_ok": ["", "是", "否"]}
DATE_HINT = "例如 2021-08-05"


class CaseForm(FormDialog):
    settings_key = "quarantine_case_form"
    cancel_text = "关闭"  # tests, follow-ups and needs are stored at once: nothing of theirs is cancelled

    def __init__(self, parent=None, case_id: int | None = None, today: dt.date | None = None):
        super().__init__(parent)
        self.case_id = case_id
        self.today = today or dt.date.today()
        self.saved_id: int | None = None
        self.setWindowTitle("隔离人员信息" if case_id else "新增隔离人员（自排）")
        for key in LEFT + RIGHT:
            self._widget(key)
        grid = self.field_grid(LEFT, RIGHT)
        grid.setVerticalSpacing(4)  # many fields: the form must fit a 1366 x 768 screen with its taskbar
        self.notes = QPlainTextEdit()
        font_size.fix_lines(self.notes, 2)
        self.add_field("notes", LABELS["notes"], self.notes)
        basic = QWidget()
        basic_layout = QVBoxLayout(basic)
        basic_layout.addLayout(grid)
        basic_layout.addWidget(QLabel(NOTES_CAPTION))
        basic_layout.addWidget(self.notes)
        basic_layout.addWidget(self.errors["notes"])

        self.tabs = QTabWidget()
        self.tabs.addTab(basic, "基本信息")
        self.tests_tab = TestsTab(self, self.today)
        self.follow_ups_tab = FollowUpsTab(self)
        self.needs_tab = NeedsTab(self, self.today)
        self.history_tab = HistoryTab(self)
        for tab, title in ((self.tests_tab, "核酸检测"), (self.follow_ups_tab, "健康监测"),
                           (self.needs_tab, "特殊需求"), (self.history_tab, "变更记录")):
            self.tabs.addTab(tab, title)
            tab.changed.connect(self._reload_tabs)
        self.tests_tab.changed.connect(self._reload_status)  # 阳性 / 更正阳性 change the case's status
        self.convert_button = self.buttons.addButton("转为居民登记", QDialogButtonBox.ButtonRole.ActionRole)
        self.convert_button.clicked.connect(self.convert_to_resident)
        self.convert_button.setVisible(False)
        self.transfer_button = self.buttons.addButton("登记转运…", QDialogButtonBox.ButtonRole.ActionRole)
        self.transfer_button.clicked.connect(self.record_transfer)
        self.transfer_button.setVisible(False)
        self.body.addWidget(self.tabs)
        if case_id:
            self.loaded = cases.get_form(case_id)
            self._load(self.loaded)
            self._reload_tabs()
        else:
            self.inputs["source"].setCurrentText("自排")
            self.inputs["start_date"].setText(self.today.isoformat())
            for i in range(1, self.tabs.count()):
                self.tabs.setTabEnabled(i, False)
        self.resize(980, 720)

    def _widget(self, key: str) -> QWidget:
        if key == "community_id":
            widget = QComboBox()
            widget.addItem("", None)
            for cid, name in communities.list_communities():
                widget.addItem(name, cid)
        elif key == "classification":
            widget = QComboBox()
            widget.setEditable(True)
            widget.addItems(["", *cases.classifications()])
        elif key in CHOICES:
            widget = QComboBox()
            widget.addItems(CHOICES[key])
        else:
            widget = QLineEdit()
            if key.endswith("_date") or key == "planned_end":
                widget.setPlaceholderText(DATE_HINT if key != "planned_end" else "留空则按管控措施的天数计算")
        return self.add_field(key, LABELS[key], widget)

    def _load(self, values: dict) -> None:
        for key, widget in self.inputs.items():
            value = values.get(key)
            if key == "community_id":
                widget.setCurrentIndex(max(widget.findData(value), 0))
            elif key in ("home_possible", "supplies_ok"):
                widget.setCurrentText("" if value in (None, "") else ("是" if value else "否"))
            elif isinstance(widget, QComboBox):
                if widget.isEditable():
                    widget.setEditText(str(value or ""))
                else:
                    widget.setCurrentIndex(max(widget.findText(str(value or "")), 0))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(str(value or ""))
            else:
                widget.setText("" if value is None else str(value))
        self.convert_button.setVisible(not values.get("resident_id"))
        for key in ("measure", "start_date"):
            self.inputs[key].setEnabled(False)
            self.inputs[key].setToolTip("登记后不可修改；如需调整期限，请修改计划解除日期并填写原因")
        self.inputs["end_change_reason"].setText("")
        if values.get("previous_end"):
            self.inputs["end_change_reason"].setPlaceholderText(f"上次调整前为 {values['previous_end']}")
        self._show_status(values)

    def _show_status(self, values: dict) -> None:
        """The 登记转运… button and a red line while the case awaits transfer; how a closed case ended."""
        positive = values.get("status") == vocabulary.CASE_POSITIVE
        self.transfer_button.setVisible(positive)
        self.summary.setStyleSheet(RED_BOLD if positive else "")
        if positive:
            self.summary.setText(f"{vocabulary.CASE_POSITIVE}：核酸阳性，请登记转运（集中隔离地点），并登记同户密接")
        elif values.get("status") in vocabulary.CASE_CLOSED_STATUSES:
            self.summary.setText(f"已于 {values['release_date']} {values['release_kind']}"
                                 + (f"（批准人：{values['release_approved_by']}）" if values["release_approved_by"] else "")
                                 + (f"：{values['release_reason']}" if values["release_reason"] else ""))
        elif self.summary.text().startswith(vocabulary.CASE_POSITIVE):  # a positive corrected
            self.summary.setText("")

    def _reload_status(self) -> None:
        """After a change made outside the fields (阳性 on the tests tab, 登记转运): the status field and its line
        follow, so that 保存 does not write the old status back (the other fields keep what was typed)."""
        if self.case_id:
            values = cases.get_form(self.case_id)
            self.inputs["status"].setCurrentIndex(max(self.inputs["status"].findText(values["status"]), 0))
            if isinstance(self._unchanged, dict):  # not a change of the person's to ask about on 关闭
                self._unchanged["status"] = values["status"]
            self._show_status(values)

    def record_transfer(self) -> None:
        dialog = TransferDialog(self, [self.case_id], self.today)
        if dialog.exec():
            notify_changed()
            self._reload_tabs()
            self._reload_status()
            self.summary.setStyleSheet("")
            self.summary.setText(dialog.summary)

    def values(self) -> dict:
        out = super().values()
        out["community_id"] = self.inputs["community_id"].currentData()  # its empty item holds None
        return out

    def _reload_tabs(self) -> None:
        if self.case_id:
            for tab in (self.tests_tab, self.follow_ups_tab, self.needs_tab, self.history_tab):
                tab.load(self.case_id)

    def convert_to_resident(self) -> None:
        """Register the person in the resident registry in one step (the case links to the new resident)."""
        try:
            rid = cases.convert_to_resident(self.case_id, self.inputs["community_id"].currentData())
        except (ValidationError, FormErrors, PermissionDenied) as exc:
            self.summary.setText(getattr(exc, "message", None) or str(exc))
            return
        self.convert_button.setVisible(False)
        self.summary.setText(f"已登记到居民台账（编号 {rid}）")
        bus.data_changed.emit("resident")
        self._reload_tabs()

    def set_field(self, key: str, value) -> None:
        if key in ("home_possible", "supplies_ok"):
            self.inputs[key].setCurrentText("" if value in (None, "") else ("是" if value else "否"))
        else:
            super().set_field(key, value)

    def write(self, values: dict) -> None:
        if not self.case_id:
            self.saved_id = cases.create_case(values, today=self.today)
            return
        try:
            cases.update_case(self.case_id, values, today=self.today, loaded=self.loaded)
        except ValidationError as exc:  # a refused end change
            raise ValidationError(exc.message, field=exc.field or "planned_end") from exc
        self.saved_id = self.case_id
