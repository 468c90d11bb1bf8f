"""The home screen's charts: cases under control per day over the last 30 days with new and released,
service requests by category this month, residents by 人员类别 (a click on a category lists its residents).

Drawn with QPainter by gui/widgets/charts.py (no QtCharts, so no PySide6-Addons); `show_data` replaces the
figures, so the charts follow the data when it changes.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from ....core.queries.dashboard import Dashboard
from ...widgets.charts import BarChart, LineChart

# key of dashboard.CaseDay, legend, colour, pen width
CASE_LINES = [("under_control", "在管", "#1565c0", 3), ("new", "新增", "#ef6c00", 2), ("released", "解除", "#2e7d32", 2)]


class ChartsPanel(QWidget):
    tag_clicked = Signal(int)  # a tag's bar was clicked: list its residents

    def __init__(self, parent=None):
        super().__init__(parent)
        self.cases = LineChart("近30天隔离管控人数", CASE_LINES)
        self.requests = BarChart("本月诉求（含未办结，按问题类别）", "#6a1b9a", unit=" 件")
        self.tags = BarChart("居民人员类别", "#00838f", unit=" 人")
        self.tags.clickable = True
        self.tag_ids: list[int] = []
        self.tags.bar_clicked.connect(self._tag_bar_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)  # the left edge of the number tiles above
        layout.addWidget(self.cases, 4)
        layout.addWidget(self.requests, 3)
        layout.addWidget(self.tags, 3)

    def show_data(self, d: Dashboard) -> None:
        self.cases.set_data([day.day for day in d.case_days],
                            {key: [getattr(day, key) for day in d.case_days] for key, *_rest in CASE_LINES})
        self.requests.set_data(d.requests_by_category)
        self.tag_ids = [tid for tid, _name, _n in d.residents_by_tag]
        self.tags.set_data([(name, n) for _tid, name, n in d.residents_by_tag])

    def _tag_bar_clicked(self, index: int) -> None:
        if 0 <= index < len(self.tag_ids):
            self.tag_clicked.emit(self.tag_ids[index])
