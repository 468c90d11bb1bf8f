"""前期统计: one line per household of the round, the survey result and the visit it got."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ....core.models.cleaning import SURVEY_RESULTS
from ....core.queries import cleaning
from ... import tasks
from ...dialogs.base import show_error
from ...page import need_selection
from ...table_model import LazyTableModel
from .common import make_table, selected_ids
from .survey_form import SurveyForm
from .visit_forms import VisitMoveDialog

RESULT_COLOURS = {"未统计": "#fff6d6", "联系不上": "#fde2e1", "不需要": "#eeeeee", "改期": "#e8eefb"}


class SurveyTab(QWidget):
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.round_id: int | None = None
        self.filter_combo = QComboBox()
        self.filter_combo.addItem("全部户", "")
        self.filter_combo.addItem("未统计", "未统计")
        for result in SURVEY_RESULTS:
            self.filter_combo.addItem(result, result)
        self.filter_combo.currentIndexChanged.connect(self.refresh)
        self.survey_button = QPushButton("登记统计结果…")
        self.survey_button.clicked.connect(self.survey_selected)
        self.schedule_button = QPushButton("手动安排…")
        self.schedule_button.setToolTip("给需要服务但自动排班未能安排的户指定日期、时段和服务队")
        self.schedule_button.clicked.connect(self.schedule_selected)
        self.count_label = QLabel()
        self.model = LazyTableModel(cleaning.SURVEY_COLUMNS, self._rows, self,
                                    row_style=lambda row: RESULT_COLOURS.get(row[5]))
        self.table = make_table(self.model, (150, 40, 90, 100, 110, 70, 110, 60, 50, 160))
        self.table.doubleClicked.connect(lambda _i: self.survey_selected())
        top = QHBoxLayout()
        top.addWidget(QLabel("显示"))
        top.addWidget(self.filter_combo)
        top.addWidget(self.survey_button)
        top.addWidget(self.schedule_button)
        top.addStretch(1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)

    def _rows(self, ids: list[int]) -> dict[int, tuple]:
        return cleaning.load_household_rows(self.round_id, ids) if self.round_id else {}

    def set_round(self, round_id: int | None) -> None:
        self.round_id = round_id
        self.refresh()

    def refresh(self, *_args) -> None:
        if self.round_id is None:
            self.model.set_ids([])
            return
        round_id, result = self.round_id, self.filter_combo.currentData()
        tasks.run_query(lambda: cleaning.household_ids(round_id, result), self._show)

    def _show(self, ids: list[int]) -> None:
        self.model.set_ids(ids)
        self.count_label.setText(f"共 {len(ids)} 户（同户多人只统计一次）")

    def survey_selected(self) -> None:
        ids = selected_ids(self.table)
        if not need_selection(self, ids) or self.round_id is None:
            return
        form = SurveyForm(self.round_id, ids[0], self)
        if form.exec():
            self.changed.emit()

    def schedule_selected(self) -> None:
        ids = selected_ids(self.table)
        if not need_selection(self, ids) or self.round_id is None:
            return
        info = cleaning.get_survey_form(self.round_id, ids[0])
        if info["survey_id"] is None or info["result"] != "需要":
            show_error(self, "手动安排", f"{info['name']} 还没有登记为“需要”，请先登记统计结果")
            return
        if VisitMoveDialog(self.round_id, survey_id=info["survey_id"], parent=self).exec():
            self.changed.emit()
