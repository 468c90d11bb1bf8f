"""The home screen's charts (QtCharts, from PySide6-Addons): cases under control per day over the last
30 days with new and released, service requests by category this month, residents by 人员类别.

Series and axes are made once; `show` replaces their data, so the charts follow the data when it changes.
Importing this module raises ImportError when QtCharts is missing; the home page then shows numbers only.
"""
from __future__ import annotations

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, QPointF, Qt, QTime, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QHBoxLayout, QWidget

from ....core.queries.dashboard import Dashboard


def _chart(title: str) -> tuple[QChart, QChartView]:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(4, 4, 4, 4))
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(230)
    return chart, view


def _value_axis(maximum: int) -> QValueAxis:
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    axis.setRange(0, max(4, maximum))
    axis.applyNiceNumbers()
    return axis


class _Bars:
    """A horizontal bar chart over named categories (one bar set)."""

    def __init__(self, title: str, label: str, colour: str):
        self.chart, self.view = _chart(title)
        self.set = QBarSet(label)
        self.set.setColor(QColor(colour))
        self.set.setLabelColor(QColor("#333333"))
        self.series = QHorizontalBarSeries()
        self.series.append(self.set)
        self.series.setLabelsVisible(True)
        # beside the bar, not inside it: a short bar (82 残疾人 beside 1,265 老年人) would cut its number
        self.series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        self.chart.addSeries(self.series)
        self.categories = QBarCategoryAxis()
        self.values = _value_axis(0)
        self.chart.addAxis(self.categories, Qt.AlignmentFlag.AlignLeft)
        self.chart.addAxis(self.values, Qt.AlignmentFlag.AlignBottom)
        self.series.attachAxis(self.categories)
        self.series.attachAxis(self.values)
        self.chart.legend().hide()

    def show(self, pairs: list[tuple[str, int]]) -> None:
        pairs = list(reversed(pairs))  # the first category on top
        self.set.remove(0, self.set.count())
        self.categories.clear()
        self.categories.append([name for name, _n in pairs] or ["（无）"])
        self.set.append([float(n) for _name, n in pairs] or [0.0])
        self.values.setRange(0, max([4, *(n for _name, n in pairs)]))
        self.values.applyNiceNumbers()

    def values_shown(self) -> dict[str, int]:
        return {self.categories.at(i): int(self.set.at(i)) for i in range(self.set.count())}


class ChartsPanel(QWidget):
    tag_clicked = Signal(int)  # a tag's bar was clicked: list its residents

    def __init__(self, parent=None):
        super().__init__(parent)
        self.cases_chart, self.cases_view = _chart("近30天隔离管控人数")
        self.lines = {}
        for key, label, colour, width in (("under_control", "在管", "#1565c0", 3), ("new", "新增", "#ef6c00", 2),
                                          ("released", "解除", "#2e7d32", 2)):
            series = QLineSeries()
            series.setName(label)
            series.setPen(QPen(QColor(colour), width))
            self.cases_chart.addSeries(series)
            self.lines[key] = series
        self.days_axis = QDateTimeAxis()
        self.days_axis.setFormat("MM-dd")
        self.days_axis.setTickCount(6)
        self.count_axis = _value_axis(0)
        self.cases_chart.addAxis(self.days_axis, Qt.AlignmentFlag.AlignBottom)
        self.cases_chart.addAxis(self.count_axis, Qt.AlignmentFlag.AlignLeft)
        for series in self.lines.values():
            series.attachAxis(self.days_axis)
            series.attachAxis(self.count_axis)
        self.requests = _Bars("本月诉求（含未办结，按问题类别）", "诉求", "#6a1b9a")
        self.tags = _Bars("居民人员类别", "人数", "#00838f")
        self.tag_ids: list[int] = []
        self.tags.set.clicked.connect(self._tag_bar_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.cases_view, 4)
        layout.addWidget(self.requests.view, 3)
        layout.addWidget(self.tags.view, 3)

    def show_data(self, d: Dashboard) -> None:
        top = 0
        for key, series in self.lines.items():
            points = []
            for day in d.case_days:
                value = getattr(day, key)
                top = max(top, value)
                points.append(QPointF(QDateTime(day.day, QTime(0, 0)).toMSecsSinceEpoch(), value))
            series.replace(points)
        if d.case_days:
            self.days_axis.setRange(QDateTime(d.case_days[0].day, QTime(0, 0)),
                                    QDateTime(d.case_days[-1].day, QTime(0, 0)))
        self.count_axis.setRange(0, max(4, top))
        self.count_axis.applyNiceNumbers()
        self.requests.show(d.requests_by_category)
        self.tag_ids = [tid for tid, _name, _n in reversed(d.residents_by_tag)]
        self.tags.show([(name, n) for _tid, name, n in d.residents_by_tag])

    def _tag_bar_clicked(self, index: int) -> None:
        if 0 <= index < len(self.tag_ids):
            self.tag_clicked.emit(self.tag_ids[index])
