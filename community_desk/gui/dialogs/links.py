"""Shared GUI pieces of the links between modules (core.queries.links), used by more than one page:
turning a gate fever entry into a 自排 quarantine case (asked with the measure, as confirmation), and
the list of fever entries not yet taken up (opened from the quarantine today view).

After a write, `bus.data_changed` carries "quarantine_case" (the quarantine pages refresh) and
"gate_entry" (the 出入登记 tab shows 已转).
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.queries import gate, links
from ...core.rules.links import FEVER_MEASURE
from ...core.rules.quarantine import MEASURES
from ...core.rules.text import ValidationError
from ...core.session import PermissionDenied
from ..page import bus
from ..table_model import LazyTableModel, make_table_view, selected_id
from .base import RememberingDialog, show_error

TITLE = "转为自排隔离"


def take_up_fever(parent: QWidget | None, entry_id: int) -> int | None:
    """Ask (with the measure) and make a 自排 case of a fever entry; returns the case id, or None."""
    entry = links.fever_entry(entry_id)
    if entry is None:
        show_error(parent, TITLE, "该登记体温正常，不需转为隔离")
        return None
    if entry["case_ref"]:
        show_error(parent, TITLE, f"{entry['name']} 已转为{entry['case_ref']}")
        return None
    question = (f"将 {entry['name']}（体温 {entry['temperature']:.1f}℃，{entry['post'] or '门岗'}）"
                f"登记为自排人员（待核实），发现人：{entry['checked_by'] or '门岗'}。\n请选择管控措施：")
    measures = list(MEASURES)
    measure, ok = QInputDialog.getItem(parent, TITLE, question, measures, measures.index(FEVER_MEASURE), False)
    if not ok:
        return None
    try:
        case_id = links.fever_to_case(entry_id, measure=measure)
    except (ValidationError, PermissionDenied) as exc:
        show_error(parent, TITLE, exc.message)
        return None
    bus.data_changed.emit("gate_entry")
    bus.data_changed.emit("quarantine_case")
    return case_id


class FeverEntriesDialog(RememberingDialog):
    """门岗发热登记（待转自排）: the fever entries not yet made a case, each turned into one in two clicks."""
    settings_key = "fever_entries"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("门岗发热登记（待转自排隔离）")
        self.made: list[int] = []
        self.hint = QLabel("门岗测温 ≥37.3℃ 的人员。选中一行，点“转为自排隔离”登记到隔离管控台账（待核实）。")
        self.hint.setWordWrap(True)
        self.model = LazyTableModel([h for _k, h in gate.COLUMNS], gate.load_rows, self)
        self.table = make_table_view(self.model, (130, 60, 80, 110, 170, 70, 110, 70))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.doubleClicked.connect(lambda _i: self.take_up())
        self.take_button = QPushButton(TITLE)
        self.take_button.clicked.connect(self.take_up)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        box.rejected.connect(self.accept)
        box.addButton(self.take_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(box)
        self.resize(900, 360)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_ids([e["id"] for e in links.untaken_fever_entries()])
        self.take_button.setEnabled(self.model.rowCount() > 0)

    def selected_id(self) -> int | None:
        return selected_id(self.table)

    def take_up(self) -> int | None:
        entry_id = self.selected_id()
        if entry_id is None:
            show_error(self, TITLE, "请先选中一行")
            return None
        case_id = take_up_fever(self, entry_id)
        if case_id is not None:
            self.made.append(case_id)
            self.refresh()
        return case_id
