"""The shift log tab (值守记录): pick a day and a shift, tick who came (签到), people checked, remarks.

Only volunteers ticked as present count towards their hours served.
"""
from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ....core.models.volunteers import PARTS
from ....core.queries import duty
from ....core.rules.resident import FormErrors
from ....core.session import PermissionDenied
from ... import font_size
from ...page import bus


class ShiftLogTab(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.day_edit = QDateEdit(QDate.currentDate())
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.day_edit.dateChanged.connect(lambda _d: self.refresh())
        self.shift_combo = QComboBox()
        self.shift_combo.currentIndexChanged.connect(self._show_shift)
        self.lead_label = QLabel()
        self.present_list = QListWidget()
        self.checked_edit = QLineEdit("0")
        self.remarks_edit = QPlainTextEdit()
        font_size.fix_lines(self.remarks_edit, 3)
        self.save_button = QPushButton("保存值守记录")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("日期"))
        top.addWidget(self.day_edit)
        top.addWidget(QLabel("班次"))
        top.addWidget(self.shift_combo, 1)
        form = QFormLayout()
        form.addRow("带班", self.lead_label)
        form.addRow("签到（到岗的志愿者）", self.present_list)
        form.addRow("检查人数", self.checked_edit)
        form.addRow("值守情况", self.remarks_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        day = self.day_edit.date().toPython()
        current = self.shift_combo.currentData()
        order = {p: i for i, p in enumerate(PARTS)}
        shifts = sorted((c for c in duty.week_shifts(day) if c.date == day),
                        key=lambda c: (order.get(c.part, 9), c.post_id))
        self.shift_combo.blockSignals(True)
        self.shift_combo.clear()
        for cell in shifts:
            mark = "（已记录）" if cell.logged else ""
            self.shift_combo.addItem(f"{cell.part} {cell.start_time}-{cell.end_time} {cell.post}{mark}", cell.shift_id)
        self.shift_combo.setCurrentIndex(max(self.shift_combo.findData(current), 0))
        self.shift_combo.blockSignals(False)
        self._show_shift()

    def _show_shift(self, *_args) -> None:
        self.present_list.clear()
        shift_id = self.shift_combo.currentData()
        self.save_button.setEnabled(shift_id is not None)
        if shift_id is None:
            self.lead_label.setText("当天没有排班")
            return
        cell = duty.get_shift(shift_id)
        log = duty.get_log(shift_id)
        self.lead_label.setText(cell.lead or "—")
        for vid, name in cell.volunteers:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, vid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            came = log["attended"].get(vid)
            came = True if came is None and not log["exists"] else bool(came)
            item.setCheckState(Qt.CheckState.Checked if came else Qt.CheckState.Unchecked)
            self.present_list.addItem(item)
        self.checked_edit.setText(str(log["people_checked"]))
        self.remarks_edit.setPlainText(log["remarks"])
        self.message.setText(f"已由 {log['logged_by']} 记录" if log["exists"] else "尚未记录")

    def attended_ids(self) -> list[int]:
        return [self.present_list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.present_list.count())
                if self.present_list.item(r).checkState() == Qt.CheckState.Checked]

    def save(self) -> bool:
        shift_id = self.shift_combo.currentData()
        if shift_id is None:
            return False
        try:
            duty.save_log(shift_id, {"attended_ids": self.attended_ids(), "people_checked": self.checked_edit.text(),
                                     "remarks": self.remarks_edit.toPlainText()})
        except FormErrors as exc:
            self.message.setText("未保存：" + "；".join(exc.errors.values()))
            return False
        except PermissionDenied as exc:
            self.message.setText(exc.message)
            return False
        bus.data_changed.emit("shift_log")
        self.refresh()
        self.message.setText(f"已保存：签到 {len(self.attended_ids())} 人")
        return True

    def status_text(self) -> str:
        return f"当日 {self.shift_combo.count()} 班"
