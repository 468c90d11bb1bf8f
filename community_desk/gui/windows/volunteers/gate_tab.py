"""The gate entry log (出入登记): a keyboard-only form fast enough for a queue at the gate.

Enter moves to the next field; Enter on the last field saves the person and clears the form for the
next one (post and checker stay). A temperature of 37.3 ℃ or more turns red while typed and the
saved line is flagged; such entries wait in core.queries.gate.fever_entries() for the quarantine tracker.
A selected fever line is made a 自排 quarantine case with 转为自排隔离 (gui.dialogs.links).
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ....core import session
from ....core.queries import duty, gate
from ....core.rules.resident import FormErrors
from ....core.rules.text import ValidationError
from ....core.rules.volunteers import is_fever, parse_temperature
from ....core.session import PermissionDenied
from ...dialogs.links import take_up_fever
from ...messages import INFO, OK, REFUSED, style_as
from ...page import bus
from ...table_model import LazyTableModel, make_table_view

FEVER_STYLE = "background: #fde7e6; color: #c5221f; font-weight: bold; border: 2px solid #d93025;"
LABELS = {"name": "姓名", "phone": "联系电话", "id_number": "身份证号", "temperature": "体温", "reason": "事由"}


class GateTab(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.post_combo = QComboBox()
        self.checker_edit = QLineEdit(session.current.user)
        self.name_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.id_edit = QLineEdit()
        self.id_edit.setPlaceholderText("可不填")
        self.temperature_edit = QLineEdit()
        self.temperature_edit.setPlaceholderText("例如 36.5")
        self.temperature_edit.textChanged.connect(self._temperature_changed)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("送快递 / 探亲，回车保存")
        self.chain = [self.name_edit, self.phone_edit, self.id_edit, self.temperature_edit, self.reason_edit]
        for i, edit in enumerate(self.chain):
            edit.returnPressed.connect(lambda i=i: self._enter(i))
        self.fever_label = QLabel()
        self.fever_label.setObjectName("errorLabel")
        self.message = QLabel("逐项填写，回车到下一项；最后一项回车即保存并清空，接着登记下一位。")
        self.message.setWordWrap(True)
        style_as(self.message, INFO)

        form = QGroupBox("出入登记（非本社区居民：访客、快递、返京人员等）")
        grid = QGridLayout(form)
        grid.addWidget(QLabel("门岗"), 0, 0)
        grid.addWidget(self.post_combo, 0, 1)
        grid.addWidget(QLabel("检查人"), 0, 2)
        grid.addWidget(self.checker_edit, 0, 3)
        for col, (edit, key) in enumerate(zip(self.chain, LABELS, strict=True)):
            grid.addWidget(QLabel(LABELS[key]), 1, col)
            grid.addWidget(edit, 2, col)
        grid.addWidget(self.fever_label, 3, 3, 1, 2)
        grid.addWidget(self.message, 4, 0, 1, 5)

        self.day_edit = QDateEdit(QDate.currentDate())
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.day_edit.dateChanged.connect(lambda _d: self.refresh())
        self.fever_only = QCheckBox("只看体温异常")
        self.fever_only.toggled.connect(lambda _c: self.refresh())
        self.count_label = QLabel()
        self.fever_button = QPushButton("转为自排隔离…")
        self.fever_button.setToolTip("把选中的发热登记转为隔离管控台账中的自排人员（待核实）")
        self.fever_button.setEnabled(False)
        self.fever_button.clicked.connect(self.take_up_fever)
        self.model = LazyTableModel([h for _k, h in gate.COLUMNS], gate.load_rows, self,
                                    row_style=lambda row: "#fde7e6" if row[-1] else None)
        self.table = make_table_view(self.model, (120, 60, 80, 110, 170, 70, 120, 80))
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        top = QHBoxLayout()
        top.addWidget(QLabel("日期"))
        top.addWidget(self.day_edit)
        top.addWidget(self.fever_only)
        top.addWidget(self.fever_button)
        top.addStretch(1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addWidget(form)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.fill_posts()
        self.refresh()

    def fill_posts(self) -> None:
        current = self.post_combo.currentData()
        self.post_combo.clear()
        for post in duty.list_posts(active_only=True):
            self.post_combo.addItem(post.name, post.id)
        self.post_combo.setCurrentIndex(max(self.post_combo.findData(current), 0))

    # --- the keyboard flow ---
    def _enter(self, i: int) -> None:
        if i + 1 < len(self.chain):
            self.chain[i + 1].setFocus()
            self.chain[i + 1].selectAll()
        else:
            self.save()

    def _temperature_changed(self, text: str) -> None:
        try:
            value = parse_temperature(text)
        except ValidationError:
            value = None
        fever = value is not None and is_fever(value)
        self.temperature_edit.setStyleSheet(FEVER_STYLE if fever else "")
        self.fever_label.setText(f"体温 {value}℃ 异常（≥37.3℃）" if fever else "")

    def values(self) -> dict:
        return {"post_id": self.post_combo.currentData(), "checked_by": self.checker_edit.text(),
                "name": self.name_edit.text(), "phone": self.phone_edit.text(), "id_number": self.id_edit.text(),
                "temperature": self.temperature_edit.text(), "reason": self.reason_edit.text()}

    def save(self) -> int | None:
        values = self.values()
        try:
            entry_id = gate.save_entry(values)
        except FormErrors as exc:
            self.message.setText("未保存：" + "；".join(f"{LABELS.get(k, k)}：{m}" for k, m in exc.errors.items()))
            style_as(self.message, REFUSED)
            first = next((e for e, k in zip(self.chain, LABELS, strict=True) if k in exc.errors), None)
            if first is not None:
                first.setFocus()
                first.selectAll()
            return None
        except PermissionDenied as exc:
            self.message.setText(exc.message)
            style_as(self.message, REFUSED)
            return None
        row = gate.load_rows([entry_id])[entry_id]
        if row[-1]:
            self.message.setText(f"已登记 {row[2]}，体温 {row[5]}℃ 异常：请按规定复测并上报，已列入发热登记。")
            style_as(self.message, REFUSED)
        else:
            self.message.setText(f"已登记 {row[2]}，体温 {row[5]}℃。请登记下一位。")
            style_as(self.message, OK)
        for edit in self.chain:
            edit.clear()
        self.name_edit.setFocus()
        bus.data_changed.emit("gate_entry")
        self.refresh()
        return entry_id

    # --- the list ---
    def refresh(self) -> None:
        flt = gate.GateFilter(day=self.day_edit.date().toPython(), fever_only=self.fever_only.isChecked())
        self.model.set_ids(gate.search_ids(flt))
        self.count_label.setText(self.status_text())
        self._selection_changed()

    def selected_fever_id(self) -> int | None:
        """The selected line when it is a fever entry not yet taken up (flag exactly 发热)."""
        rows = self.table.selectionModel().selectedRows()
        if len(rows) != 1:
            return None
        values = self.model.row_values(rows[0].row())
        return self.model.id_at(rows[0].row()) if values and values[-1] == "发热" else None

    def _selection_changed(self) -> None:
        self.fever_button.setEnabled(self.selected_fever_id() is not None)

    def take_up_fever(self) -> int | None:
        entry_id = self.selected_fever_id()
        if entry_id is None:
            self.message.setText("请先在列表中选中一条未转的体温异常登记")
            style_as(self.message, REFUSED)
            return None
        case_id = take_up_fever(self, entry_id)
        if case_id is not None:
            self.message.setText("已转为自排隔离（待核实），请到“隔离管控”核实并通知本人。")
            style_as(self.message, OK)
            self.refresh()
        return case_id

    def status_text(self) -> str:
        total, fever = gate.day_counts(self.day_edit.date().toPython() or dt.date.today())
        return f"当日登记 {total} 人，体温异常 {fever} 人"

    def new_record(self) -> None:
        self.name_edit.setFocus()
