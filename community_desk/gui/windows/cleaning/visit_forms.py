"""Visit dialogs: move a visit (date, slot, team), the work record with its checklist and the
follow-up (回访: satisfaction and the resident's words), and the auto-schedule report. A problem found
(e.g. a cracked pane) is sent to the 我来办 service desk as a repair request with 转我来办工单."""
from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ....core.models.cleaning import CHECKLIST, SATISFACTION, SLOTS
from ....core.queries import cleaning, cleaning_visits, links
from ....core.rules.text import ValidationError
from ....core.session import PermissionDenied
from ... import font_size
from ...dialogs.base import RememberingDialog, confirm
from ...dialogs.field_form import FormDialog
from ...page import bus
from .common import make_table
from .round_form import _qdate

MOVE_LABELS = {"date": "服务日期", "slot": "时段", "team_id": "服务队"}
RECORD_LABELS = {"started_at": "开始时间", "finished_at": "结束时间", "windows_cleaned": "擦窗数", "problems": "发现问题",
                 "satisfaction": "满意度", "feedback": "居民意见", "followed_up_on": "回访日期"}


class VisitMoveDialog(FormDialog):
    """Change a visit's day, slot or team; or (survey_id given) schedule a household by hand."""
    settings_key = "cleaning_visit_move"

    def __init__(self, round_id: int, visit_id: int | None = None, survey_id: int | None = None, parent=None):
        super().__init__(parent)
        self.round_id, self.visit_id, self.survey_id = round_id, visit_id, survey_id
        info = cleaning.get_round(round_id)
        current = self.loaded = cleaning_visits.get_visit(visit_id) if visit_id else None
        self.setWindowTitle(f"调整安排 - {current['name']}" if current else "手动安排")
        self.date_edit = QDateEdit(_qdate(current["date"] if current else info["start_date"]))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setDateRange(_qdate(info["start_date"]), _qdate(info["end_date"]))
        self.slot_combo = QComboBox()
        self.slot_combo.addItems(list(SLOTS))
        self.team_combo = QComboBox()
        for tid, name in cleaning.round_teams(round_id):
            self.team_combo.addItem(name, tid)
        if current:
            self.slot_combo.setCurrentText(current["slot"])
            self.team_combo.setCurrentIndex(max(self.team_combo.findData(current["team_id"]), 0))
        for key, widget in (("date", self.date_edit), ("slot", self.slot_combo), ("team_id", self.team_combo)):
            self.add_field(key, MOVE_LABELS[key], widget)
        if current:
            self.body.addWidget(QLabel(f"{current['name']}　{current['address']}"))
        self.body.addLayout(self.field_grid(list(MOVE_LABELS)))
        self.body.addStretch(1)

    def values(self) -> dict:
        return {"date": self.date_edit.date().toString("yyyy-MM-dd"), "slot": self.slot_combo.currentText(),
                "team_id": self.team_combo.currentData()}

    def write(self, values: dict) -> None:
        if self.visit_id:
            cleaning_visits.move_visit(self.visit_id, values, loaded=self.loaded)
        else:
            cleaning_visits.schedule_by_hand(self.round_id, self.survey_id, values)


class VisitRecordDialog(FormDialog):
    """服务记录与回访: done, the checklist, times, problems found, satisfaction and the resident's words."""
    settings_key = "cleaning_visit_record"

    def __init__(self, visit_id: int, parent=None):
        super().__init__(parent)
        self.visit_id = visit_id
        v = self.loaded = cleaning_visits.get_visit(visit_id)
        self.setWindowTitle(f"服务记录与回访 - {v['name']}")
        head = QLabel(f"<b>{v['name']}</b>　{v['address']}<br>{v['date']:%Y年%m月%d日} {v['slot']}　"
                      f"统计窗户数 {v['windows']} 扇" + (f"　备注：{v['survey_notes']}" if v["survey_notes"] else ""))
        self.done_check = QCheckBox("已完成服务")
        self.done_check.setChecked(v["done"])
        self.checks = {key: QCheckBox(label) for key, label in CHECKLIST}
        checklist = QGroupBox("服务内容")
        row = QHBoxLayout(checklist)
        for key, check in self.checks.items():
            check.setChecked(bool(v[key]))
            row.addWidget(check)
        self.start_edit = QLineEdit(v["started_at"])
        self.start_edit.setPlaceholderText("例如 9:30")
        self.finish_edit = QLineEdit(v["finished_at"])
        self.finish_edit.setPlaceholderText("例如 10:40")
        self.windows_spin = QSpinBox()
        self.windows_spin.setRange(0, 60)
        self.windows_spin.setSuffix(" 扇")
        self.windows_spin.setValue(int(v["windows_cleaned"] or 0))
        self.problems_edit = QPlainTextEdit(v["problems"])
        self.problems_edit.setPlaceholderText("例如 北卧窗户玻璃有裂纹（可报我来办工作站）")
        font_size.fix_lines(self.problems_edit, 2)
        self.request_button = QPushButton("转我来办工单…")
        self.request_button.setToolTip("把发现的问题作为维修诉求登记到我来办工作站（来访），工单编号记在本次服务上")
        self.request_button.clicked.connect(self.to_request)
        self.request_label = QLabel()
        self._show_request(links.visit_request_number(visit_id))
        self.satisfaction_combo = QComboBox()
        self.satisfaction_combo.addItems(["", *SATISFACTION])
        self.satisfaction_combo.setCurrentText(v["satisfaction"])
        self.feedback_edit = QPlainTextEdit(v["feedback"])
        self.feedback_edit.setPlaceholderText("居民原话，例如 擦得很干净，谢谢社区")
        font_size.fix_lines(self.feedback_edit, 2)
        self.followed_edit = QLineEdit(v["followed_up_on"].isoformat() if v["followed_up_on"] else "")
        self.followed_edit.setPlaceholderText("登记满意度时默认为今天")
        for key, widget in (("started_at", self.start_edit), ("finished_at", self.finish_edit),
                            ("windows_cleaned", self.windows_spin), ("problems", self.problems_edit),
                            ("satisfaction", self.satisfaction_combo), ("feedback", self.feedback_edit),
                            ("followed_up_on", self.followed_edit)):
            self.add_field(key, RECORD_LABELS[key], widget)
        request = QWidget()
        request_row = QHBoxLayout(request)
        request_row.setContentsMargins(0, 0, 0, 0)
        request_row.addWidget(self.request_button)
        request_row.addWidget(self.request_label, 1)
        follow_box = QGroupBox("回访")
        follow_box.setLayout(self.field_grid(["satisfaction", "feedback", "followed_up_on"]))
        self.body.addWidget(head)
        self.body.addWidget(self.done_check)
        self.body.addWidget(checklist)
        self.body.addLayout(self.field_grid(["started_at", "finished_at", "windows_cleaned", "problems",
                                             ("", request)]))
        self.body.addWidget(follow_box)
        self.body.addStretch(1)
        self.resize(560, 600)

    def values(self) -> dict:
        out = {key: check.isChecked() for key, check in self.checks.items()}
        out.update(done=self.done_check.isChecked(), started_at=self.start_edit.text(),
                   finished_at=self.finish_edit.text(), windows_cleaned=str(self.windows_spin.value()),
                   problems=self.problems_edit.toPlainText(), satisfaction=self.satisfaction_combo.currentText(),
                   feedback=self.feedback_edit.toPlainText(), followed_up_on=self.followed_edit.text())
        return out

    def _show_request(self, number: str) -> None:
        self.request_label.setText(f"已转我来办工单 {number}" if number else "")
        self.request_button.setEnabled(not number)

    def to_request(self) -> str | None:
        """转我来办工单: the problem as typed becomes a 维修 request for the visited resident (after asking)."""
        problem = self.problems_edit.toPlainText().strip()
        if not problem:
            self.summary.setText("请先在“发现问题”中写明问题，例如 北卧窗户玻璃有裂纹")
            self.problems_edit.setFocus()
            return None
        if not confirm(self, "转我来办工单", f"将以下问题登记为我来办维修诉求（来访）：\n{problem}"):
            return None
        try:
            number = links.visit_to_request(self.visit_id, problem)
        except (ValidationError, PermissionDenied) as exc:
            self.summary.setText(exc.message)
            return None
        self._show_request(number)
        self.summary.setText("")
        bus.data_changed.emit("service_request")
        return number

    def set_field(self, key: str, value) -> None:
        if key == "done":
            self.done_check.setChecked(bool(value))
        elif key in self.checks:
            self.checks[key].setChecked(bool(value))
        else:
            super().set_field(key, value)

    def write(self, values: dict) -> None:
        cleaning_visits.record_visit(self.visit_id, values, loaded=self.loaded)


class ScheduleReportDialog(RememberingDialog):
    """What the auto-scheduler did: how many placed, and every household not placed with why."""
    settings_key = "cleaning_schedule_report"

    def __init__(self, report: cleaning_visits.ScheduleReport, parent=None):
        super().__init__(parent)
        self.setWindowTitle("自动排班结果")
        self.summary = QLabel(report.summary())
        self.summary.setWordWrap(True)
        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels(["住址", "姓名", "未安排原因"])
        for address, name, reason in report.unplaced:
            self.model.appendRow([QStandardItem(address), QStandardItem(name), QStandardItem(reason)])
        self.table = make_table(self.model, (160, 80))
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self.table.setVisible(bool(report.unplaced))
        layout.addWidget(box)
        self.resize(720, 420)
