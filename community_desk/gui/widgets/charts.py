"""Charts drawn with QPainter: horizontal bars with their numbers beside them, and lines over days.

Our own small widgets instead of QtCharts, which is deprecated since Qt 6.10 and was the only reason for
PySide6-Addons (160 MB and more). Each chart takes plain Python data (`set_data`) and lays itself out from its
size and font whenever it paints; the layout (`bar_layout`, `line_layout`) is a plain object that the paint,
the mouse and the tests all read, so a test can check where a bar or a number was drawn.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

TEXT = QColor("#333333")
AXIS_TEXT = QColor("#555555")
GRID = QColor("#e3e7ec")
AXIS = QColor("#9aa5b1")
CARD = QColor("#ffffff")
CARD_BORDER = QColor("#dde2e8")
MARGIN = 10.0  # inside the card
GAP = 6.0      # between a bar's end and its number, a label and its axis


def nice_axis(largest: int, ticks: int = 5) -> tuple[int, int]:
    """(top, step) of a value axis from 0 that holds `largest`: steps of 1, 2 or 5 x 10^n, top at least 4."""
    largest = max(4, int(largest))
    raw = largest / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(round(step)))
    return step * math.ceil(largest / step), step


def number(value: int) -> str:
    return f"{value:,}"


class _Chart(QWidget):
    """A white card with a title; subclasses paint the plot in `plot_area()`."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.title = title
        self.setAccessibleName(title)
        self.setMinimumHeight(230)
        self.setMinimumWidth(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def title_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def title_rect(self) -> QRectF:
        height = QFontMetricsF(self.title_font()).height()
        return QRectF(MARGIN, MARGIN, self.width() - 2 * MARGIN, height)

    def plot_area(self) -> QRectF:
        """Below the title, inside the card's margins: axes, labels and legend go in here."""
        top = self.title_rect().bottom() + GAP
        return QRectF(MARGIN, top, self.width() - 2 * MARGIN, self.height() - MARGIN - top)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setPen(QPen(CARD_BORDER, 1))
        painter.setBrush(CARD)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
        painter.setFont(self.title_font())
        painter.setPen(TEXT)
        title = self.title_rect()
        shown = QFontMetricsF(self.title_font()).elidedText(self.title, Qt.TextElideMode.ElideRight, title.width())
        painter.drawText(title, Qt.AlignmentFlag.AlignCenter, shown)
        painter.setFont(self.font())
        self.paint_plot(painter)
        painter.end()

    def paint_plot(self, painter: QPainter) -> None:
        raise NotImplementedError

    def tooltip_at(self, pos: QPointF) -> str:
        return ""

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)


@dataclass
class BarLayout:
    plot: QRectF                                              # the bars' area; x = 0 at its left edge
    top: int                                                  # the value at the plot's right edge
    step: int
    rows: list[QRectF] = field(default_factory=list)          # one band per category, label and bar
    names: list[QRectF] = field(default_factory=list)         # category labels, left of the plot
    bars: list[QRectF] = field(default_factory=list)
    numbers: list[QRectF] = field(default_factory=list)       # each bar's number, beside its end
    ticks: list[tuple[float, str]] = field(default_factory=list)  # x and text of the value axis


class BarChart(_Chart):
    """Horizontal bars over named categories, first on top, each with its number beside the bar's end.

    The plot keeps room on its right for the widest number, so the number of the longest bar is never cut and a
    short bar (82 残疾人 beside 1,265 老年人) still shows its number in full. With `clickable`, a click on a
    category's row emits `bar_clicked(index)` (index into the data given to `set_data`)."""

    bar_clicked = Signal(int)

    def __init__(self, title: str, colour: str, unit: str = "", parent=None):
        super().__init__(title, parent)
        self.colour = QColor(colour)
        self.unit = unit
        self.pairs: list[tuple[str, int]] = []
        self.show_numbers = True
        self.clickable = False
        self._hand = False  # the pointing-hand cursor is shown

    def set_data(self, pairs: list[tuple[str, int]]) -> None:
        self.pairs = [(str(name), int(n)) for name, n in pairs]
        self.setAccessibleDescription("，".join(f"{name} {number(n)}{self.unit}" for name, n in self.pairs))
        self.updateGeometry()
        self.update()

    def values_shown(self) -> dict[str, int]:
        return dict(self.pairs)

    def minimumSizeHint(self):  # noqa: N802 - Qt name
        hint = super().minimumSizeHint()
        metrics = QFontMetricsF(self.font())
        needed = self.title_rect().bottom() + GAP + len(self.pairs) * (metrics.height() + 2) \
            + metrics.height() + GAP + MARGIN
        hint.setHeight(max(self.minimumHeight(), math.ceil(needed)))
        return hint

    def bar_layout(self) -> BarLayout:
        metrics = QFontMetricsF(self.font())
        area = self.plot_area()
        top, step = nice_axis(max((n for _name, n in self.pairs), default=0))
        name_width = min(max((metrics.horizontalAdvance(name) for name, _n in self.pairs), default=0.0),
                         area.width() * 0.4)
        number_width = max((metrics.horizontalAdvance(number(n)) for _name, n in self.pairs), default=0.0)
        right_room = max(GAP + number_width, metrics.horizontalAdvance(number(top)) / 2)
        plot = QRectF(area.left() + name_width + GAP, area.top(),
                      max(1.0, area.width() - name_width - GAP - right_room),
                      max(1.0, area.height() - metrics.height() - GAP))
        layout = BarLayout(plot, top, step)
        layout.ticks = [(plot.left() + plot.width() * v / top, number(v)) for v in range(0, top + 1, step)]
        count = max(1, len(self.pairs))
        row_height = plot.height() / count
        bar_height = min(row_height * 0.62, metrics.height() * 1.3)
        for i, (_name, n) in enumerate(self.pairs):
            y = plot.top() + i * row_height
            layout.rows.append(QRectF(area.left(), y, plot.right() - area.left(), row_height))
            layout.names.append(QRectF(area.left(), y, name_width, row_height))
            bar = QRectF(plot.left(), y + (row_height - bar_height) / 2, plot.width() * n / top, bar_height)
            layout.bars.append(bar)
            text_width = metrics.horizontalAdvance(number(n))
            layout.numbers.append(QRectF(bar.right() + GAP, y + (row_height - metrics.height()) / 2,
                                         text_width, metrics.height()))
        return layout

    def paint_plot(self, painter: QPainter) -> None:
        layout = self.bar_layout()
        plot = layout.plot
        metrics = QFontMetricsF(self.font())
        painter.setPen(QPen(GRID, 1))
        for x, _text in layout.ticks[1:]:
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        painter.setPen(AXIS_TEXT)
        for x, text in layout.ticks:
            width = metrics.horizontalAdvance(text)
            painter.drawText(QRectF(x - width / 2 - 2, plot.bottom() + GAP / 2, width + 4, metrics.height()),
                             Qt.AlignmentFlag.AlignCenter, text)
        if not self.pairs:
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "（暂无数据）")
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.colour)
        for bar in layout.bars:
            if bar.width() > 0:
                painter.drawRect(bar)
        for i, (name, n) in enumerate(self.pairs):
            painter.setPen(TEXT)
            shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, layout.names[i].width())
            painter.drawText(layout.names[i], Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, shown)
            if self.show_numbers:
                painter.drawText(layout.numbers[i], Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                                 | Qt.TextFlag.TextDontClip, number(n))
        painter.setPen(QPen(AXIS, 1))
        painter.drawLine(plot.topLeft(), plot.bottomLeft())
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())

    def row_at(self, pos: QPointF) -> int | None:
        for i, row in enumerate(self.bar_layout().rows):
            if row.contains(pos):
                return i
        return None

    def tooltip_at(self, pos: QPointF) -> str:
        i = self.row_at(pos)
        if i is None:
            return ""
        name, n = self.pairs[i]
        return f"{name}：{number(n)}{self.unit}" + ("（点击查看名单）" if self.clickable else "")

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt name
        over = self.clickable and self.row_at(event.position()) is not None
        if over != self._hand:  # only on a change: a move event comes with every pixel
            self._hand = over
            self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt name
        i = self.row_at(event.position()) if event.button() == Qt.MouseButton.LeftButton else None
        if self.clickable and i is not None:
            self.bar_clicked.emit(i)
            return
        super().mouseReleaseEvent(event)


@dataclass
class Line:
    key: str
    label: str
    colour: QColor
    width: float


@dataclass
class LineLayout:
    plot: QRectF
    top: int
    step: int
    xs: list[float] = field(default_factory=list)                   # one per day
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    legend: list[tuple[QRectF, QRectF]] = field(default_factory=list)  # (colour swatch, label) per line


class LineChart(_Chart):
    """Lines over consecutive days (one value per line per day) with a value axis, dates and a legend."""

    def __init__(self, title: str, lines: list[tuple[str, str, str, float]], parent=None):
        super().__init__(title, parent)
        self.lines = [Line(key, label, QColor(colour), width) for key, label, colour, width in lines]
        self.days: list[dt.date] = []
        self.series: dict[str, list[int]] = {line.key: [] for line in self.lines}

    def set_data(self, days: list[dt.date], series: dict[str, list[int]]) -> None:
        self.days = list(days)
        self.series = {line.key: [int(v) for v in series.get(line.key, [])][:len(self.days)] for line in self.lines}
        self.update()

    def values(self, key: str) -> list[int]:
        return list(self.series[key])

    def line_layout(self) -> LineLayout:
        metrics = QFontMetricsF(self.font())
        area = self.plot_area()
        top, step = nice_axis(max((v for values in self.series.values() for v in values), default=0))
        swatch = metrics.height() * 0.55
        widths = [swatch + 4 + metrics.horizontalAdvance(line.label) for line in self.lines]
        total = sum(widths) + 16 * (len(widths) - 1)
        legend_y = area.bottom() - metrics.height()
        x = area.left() + (area.width() - total) / 2
        legend = []
        for width in widths:
            legend.append((QRectF(x, legend_y + (metrics.height() - swatch) / 2, swatch, swatch),
                           QRectF(x + swatch + 4, legend_y, width - swatch - 4, metrics.height())))
            x += width + 16
        label_width = metrics.horizontalAdvance(number(top))
        date_width = metrics.horizontalAdvance("00-00")
        left = area.left() + label_width + GAP
        plot = QRectF(left, area.top() + metrics.height() / 2,
                      max(1.0, area.right() - date_width / 2 - left),
                      max(1.0, legend_y - 2 * GAP - metrics.height() - area.top() - metrics.height() / 2))
        layout = LineLayout(plot, top, step, legend=legend)
        layout.y_ticks = [(plot.bottom() - plot.height() * v / top, number(v)) for v in range(0, top + 1, step)]
        n = len(self.days)
        layout.xs = [plot.left() + (plot.width() * i / (n - 1) if n > 1 else plot.width() / 2) for i in range(n)]
        if n:
            fit = max(2, min(6, int(plot.width() // (date_width + 12)) + 1))
            shown = sorted({round(k * (n - 1) / (fit - 1)) for k in range(fit)}) if n > 1 else [0]
            layout.x_ticks = [(layout.xs[i], f"{self.days[i]:%m-%d}") for i in shown]
        return layout

    def point(self, layout: LineLayout, key: str, i: int) -> QPointF:
        value = self.series[key][i]
        return QPointF(layout.xs[i], layout.plot.bottom() - layout.plot.height() * value / layout.top)

    def paint_plot(self, painter: QPainter) -> None:
        layout = self.line_layout()
        plot = layout.plot
        metrics = QFontMetricsF(self.font())
        for y, text in layout.y_ticks:
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(AXIS_TEXT)
            painter.drawText(QRectF(plot.left() - GAP - 200, y - metrics.height() / 2, 200, metrics.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
        for x, text in layout.x_ticks:
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            painter.setPen(AXIS_TEXT)
            width = metrics.horizontalAdvance(text)
            painter.drawText(QRectF(x - width / 2 - 2, plot.bottom() + GAP / 2, width + 4, metrics.height()),
                             Qt.AlignmentFlag.AlignCenter, text)
        painter.setPen(QPen(AXIS, 1))
        painter.drawLine(plot.topLeft(), plot.bottomLeft())
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        if not self.days:
            painter.setPen(AXIS_TEXT)
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "（暂无数据）")
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for line in self.lines:
            values = self.series[line.key]
            if not values:
                continue
            path = QPainterPath(self.point(layout, line.key, 0))
            for i in range(1, len(values)):
                path.lineTo(self.point(layout, line.key, i))
            painter.setPen(QPen(line.colour, line.width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                                Qt.PenJoinStyle.RoundJoin))
            painter.drawPath(path)
        for line, (swatch, label) in zip(self.lines, layout.legend, strict=True):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(line.colour)
            painter.drawRect(swatch)
            painter.setPen(TEXT)
            painter.drawText(label, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line.label)

    def tooltip_at(self, pos: QPointF) -> str:
        layout = self.line_layout()
        if not layout.xs or not layout.plot.adjusted(-GAP, -GAP, GAP, GAP).contains(pos):
            return ""
        i = min(range(len(layout.xs)), key=lambda k: abs(layout.xs[k] - pos.x()))
        figures = "，".join(f"{line.label} {number(self.series[line.key][i])}" for line in self.lines
                           if i < len(self.series[line.key]))
        return f"{self.days[i]:%m月%d日}：{figures}"
