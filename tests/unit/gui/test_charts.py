"""The home screen's charts, drawn with QPainter (gui/widgets/charts.py): rendered to an image with known data,
the bars' lengths are measured in pixels of the bar colour, the numbers beside the bars are found by rendering
with and without them, and the line chart's points are found by their colour."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage

from community_desk.core.queries.dashboard import CaseDay, Dashboard
from community_desk.gui.widgets.charts import BarChart, LineChart, nice_axis
from community_desk.gui.windows.home.charts import ChartsPanel

TEAL = "#00838f"
BLUE = "#1565c0"
ORANGE = "#ef6c00"
TAGS = [("老年人", 1265), ("独居老人", 122), ("残疾人", 82), ("党员", 239), ("特困人员", 0)]


def _image(widget) -> QImage:
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def _near(image: QImage, x: int, y: int, colour: str, tolerance: int = 40) -> bool:
    a, b = image.pixelColor(x, y), QColor(colour)
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) <= tolerance


def _runs(image: QImage, x: int, colour: str) -> list[tuple[int, int]]:
    """(first, last) y of each vertical run of `colour` pixels in column x."""
    runs, start = [], None
    for y in range(image.height()):
        if _near(image, x, y, colour):
            start = y if start is None else start
        elif start is not None:
            runs.append((start, y - 1))
            start = None
    return runs


def _bar_chart(qtbot, pairs, width=420, height=300) -> BarChart:
    chart = BarChart("居民人员类别", TEAL, unit=" 人")
    qtbot.addWidget(chart)
    chart.set_data(pairs)
    chart.resize(width, height)
    chart.show()
    qtbot.waitExposed(chart)
    return chart


def test_nice_axis():
    assert nice_axis(0) == (4, 1) and nice_axis(1) == (4, 1)
    assert nice_axis(34) == (40, 10)
    assert nice_axis(1265) == (1500, 500)
    assert nice_axis(58) == (60, 20)


@pytest.mark.parametrize("size", [(420, 300), (230, 230), (700, 400)])
def test_bar_lengths_are_in_the_ratio_of_the_values(qtbot, size):
    chart = _bar_chart(qtbot, TAGS, *size)
    image = _image(chart)
    plot_left = int(chart.bar_layout().plot.left())
    # the bars, found by their colour in a column just right of the value axis: one per non-zero value, in order
    runs = _runs(image, plot_left + 2, TEAL)
    assert len(runs) == 4, runs
    lengths = []
    for first, last in runs:
        y = (first + last) // 2
        x = plot_left + 2
        while x < image.width() and _near(image, x, y, TEAL):
            x += 1
        lengths.append(x - plot_left)
    values = [n for _name, n in TAGS if n]
    for length, value in zip(lengths, values, strict=True):
        assert length == pytest.approx(lengths[0] * value / values[0], abs=2), (lengths, values)
    # the longest bar ends where the axis says 1,265 is: 1265/1500 of the plot
    plot = chart.bar_layout().plot
    assert lengths[0] == pytest.approx(plot.width() * 1265 / 1500, abs=2)


def test_the_numbers_are_drawn_beside_the_bars_and_not_cut(qtbot):
    chart = _bar_chart(qtbot, TAGS)
    with_numbers = _image(chart)
    chart.show_numbers = False
    without = _image(chart)
    layout = chart.bar_layout()
    inside = chart.rect().adjusted(1, 1, -1, -1)
    for i, (bar, rect) in enumerate(zip(layout.bars, layout.numbers, strict=True)):
        assert inside.contains(rect.toAlignedRect()), (TAGS[i], rect, chart.rect())
        assert rect.left() > bar.right(), "beside the bar, not on it"
        box = rect.toAlignedRect()
        changed = sum(with_numbers.pixelColor(x, y) != without.pixelColor(x, y)
                      for x in range(box.left(), box.right() + 1) for y in range(box.top(), box.bottom() + 1))
        assert changed >= 10, f"no number drawn for {TAGS[i]}"
    # and nothing but the numbers changed
    numbers = [r.toAlignedRect().adjusted(-1, -1, 1, 1) for r in layout.numbers]
    for y in range(with_numbers.height()):
        for x in range(with_numbers.width()):
            if with_numbers.pixelColor(x, y) != without.pixelColor(x, y):
                assert any(r.contains(x, y) for r in numbers), (x, y)


def test_the_widest_number_fits_a_narrow_chart(qtbot):
    chart = _bar_chart(qtbot, [("老年人", 123456), ("残疾人", 3)], width=220, height=230)  # its minimum size
    layout = chart.bar_layout()
    assert layout.numbers[0].right() <= chart.width() - 2
    assert layout.bars[0].right() < layout.numbers[0].left()
    assert layout.bars[1].width() > 0 and layout.numbers[1].left() > layout.bars[1].right()


def test_a_chart_is_not_blank_and_says_when_it_has_no_data(qtbot):
    chart = _bar_chart(qtbot, [])
    image = _image(chart)
    plot = chart.bar_layout().plot.toAlignedRect()
    dark = sum(image.pixelColor(x, y).lightness() < 160
               for x in range(plot.left() + 2, plot.right()) for y in range(plot.top(), plot.bottom() - 2))
    assert dark > 20  # （暂无数据）
    chart.set_data(TAGS)
    image = _image(chart)
    colours = {image.pixel(x, y) for x in range(0, chart.width(), 3) for y in range(0, chart.height(), 3)}
    assert len(colours) > 20


def test_a_click_on_a_bar_names_its_category(qtbot):
    chart = _bar_chart(qtbot, TAGS)
    clicked = []
    chart.bar_clicked.connect(clicked.append)
    centre = chart.bar_layout().bars[2].center().toPoint()
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=centre)
    assert clicked == []  # not clickable
    chart.clickable = True
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=centre)
    zero_row = chart.bar_layout().rows[4]
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(int(zero_row.left()) + 5, int(zero_row.center().y())))
    assert clicked == [2, 4]
    assert chart.tooltip_at(chart.bar_layout().bars[0].center()) == "老年人：1,265 人（点击查看名单）"


def _line_chart(qtbot) -> LineChart:
    chart = LineChart("近30天隔离管控人数", [("under_control", "在管", BLUE, 3), ("new", "新增", ORANGE, 2)])
    qtbot.addWidget(chart)
    days = [dt.date(2026, 11, 7) + dt.timedelta(days=i) for i in range(30)]
    chart.set_data(days, {"under_control": [2 * i for i in range(30)], "new": [5] * 30})
    chart.resize(500, 320)
    chart.show()
    qtbot.waitExposed(chart)
    return chart


def _centre_of(image: QImage, x: int, colour: str) -> float:
    runs = _runs(image, x, colour)
    assert runs, f"no {colour} at x={x}"
    first, last = runs[0]
    return (first + last) / 2


def test_the_lines_go_through_the_values(qtbot):
    chart = _line_chart(qtbot)
    image = _image(chart)
    layout = chart.line_layout()
    assert layout.top == 60
    at = {day: _centre_of(image, round(layout.xs[day]), BLUE) for day in (5, 15, 25)}
    # 在管 = 2 x day: equal steps in days are equal steps on screen, and the scale is the axis's
    assert at[5] - at[15] == pytest.approx(at[15] - at[25], abs=1.5)
    assert at[5] - at[25] == pytest.approx(layout.plot.height() * 40 / 60, abs=2)
    # 新增 is 5 every day: a level line at 5/60 of the plot's height
    for day in (3, 20):
        assert _centre_of(image, round(layout.xs[day]), ORANGE) == pytest.approx(
            layout.plot.bottom() - layout.plot.height() * 5 / 60, abs=1.5)
    assert [text for _x, text in layout.x_ticks][0] == "11-07" and layout.x_ticks[-1][1] == "12-06"
    for swatch, label in layout.legend:
        assert chart.rect().contains(label.toAlignedRect()) and chart.rect().contains(swatch.toAlignedRect())
    assert chart.tooltip_at(QPointF(layout.xs[14] + 2, layout.plot.center().y())) == "11月21日：在管 28，新增 5"


def test_the_panel_shows_the_dashboard(qtbot):
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    today = dt.date(2026, 12, 1)
    d = Dashboard(today=today,
                  case_days=[CaseDay(today - dt.timedelta(days=29 - i), i, 1 if i == 29 else 0, 0) for i in range(30)],
                  requests_by_category=[("漏雨", 1), ("停电", 0)],
                  residents_by_tag=[(7, "老年人", 1265), (9, "残疾人", 82)])
    panel.show_data(d)
    assert [panel.cases.title, panel.requests.title, panel.tags.title] == [
        "近30天隔离管控人数", "本月诉求（含未办结，按问题类别）", "居民人员类别"]
    assert panel.cases.values("under_control")[29] == 29 and panel.cases.values("new")[29] == 1
    assert panel.requests.values_shown() == {"漏雨": 1, "停电": 0}
    asked = []
    panel.tag_clicked.connect(asked.append)
    panel.resize(1200, 300)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.mouseClick(panel.tags, Qt.MouseButton.LeftButton, pos=panel.tags.bar_layout().bars[1].center().toPoint())
    assert asked == [9]


def test_a_long_title_is_elided_not_cut(qtbot):
    chart = _bar_chart(qtbot, TAGS, width=220, height=230)
    chart.title = "本月诉求（含未办结，按问题类别）" * 2
    image = _image(chart)
    # elided (its start and an ellipsis, centred), not cut at both edges of its line (Qt clips text to the rect)
    title = chart.title_rect().toAlignedRect()
    dark_x = [x for x in range(chart.width()) for y in range(title.top(), title.bottom() + 1)
              if image.pixelColor(x, y).lightness() < 140]
    left, right = min(dark_x) - title.left(), title.right() - max(dark_x)
    assert left > 1 and right > 1 and abs(left - right) <= 3, (left, right)
