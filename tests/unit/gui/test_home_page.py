"""The home screen against a seeded database: numbers, a release seen in the numbers and the chart,
a click on a number opens its list, and numbers without QtCharts."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from community_desk.core.queries import quarantine as cases
from community_desk.gui import tasks
from community_desk.gui.main_window import MainWindow
from community_desk.gui.page import bus
from community_desk.gui.windows.cleaning.window import CleaningPage
from community_desk.gui.windows.home import page as home_page
from community_desk.gui.windows.home.tiles import RED
from community_desk.gui.windows.quarantine.page import QuarantinePage
from community_desk.gui.windows.residents.window import ResidentsPage
from community_desk.gui.windows.service_desk.window import ServiceDeskPage
from community_desk.gui.windows.volunteers.window import VolunteersPage
from tests.unit.home_data import seed

TODAY = dt.date.today()


def _window(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    home = window.page(home_page.HomePage)
    assert window.current_page() is home  # the first page
    qtbot.waitUntil(home.charts_loaded)  # the numbers first, then the charts
    return window, home


def _number(home, key):
    return home.tiles[key].number.text()


def test_numbers_follow_a_release(qtbot, qt_settings, community):
    made = seed(community, TODAY)
    window, home = _window(qtbot)
    assert _number(home, "open_cases") == "3"
    assert _number(home, "open_requests") == "2"
    overdue = home.tiles["open_requests"]
    assert overdue.detail.text() == "其中逾期 1" and RED in overdue.detail.styleSheet()
    assert RED in overdue.number.styleSheet()
    assert _number(home, "gate_gaps") == "14"
    lines = {line.name.text(): line.figures.text() for line in home.coverage_lines.values()}
    assert lines == {"原乡小镇": "3 / 1,688（0%）", "天瑞嘉园": "0 / 1,200（0%）"}
    chart = home.charts.cases
    assert len(chart.values("under_control")) == 30 and chart.values("under_control")[29] == 3
    assert home.charts.tags.values_shown()["老年人"] == 2
    # release a case through core; the page hears data_changed and counts again
    cases.release(made["middle"], "转出", TODAY, reason="转至外区")
    bus.data_changed.emit("quarantine_case")
    qtbot.waitUntil(lambda: _number(home, "open_cases") == "2")
    qtbot.waitUntil(home.charts_loaded)
    assert chart.values("under_control")[29] == 2 and chart.values("released")[29] == 1
    assert "在管隔离 2 人" in window.count_label.text()


def test_a_click_on_a_number_opens_its_list(qtbot, qt_settings, community):
    made = seed(community, TODAY)
    cases.release(made["early"], "转出", TODAY, reason="转至外区")
    window, home = _window(qtbot)
    quarantine = window.page(QuarantinePage)
    quarantine.cases.status.setCurrentIndex(quarantine.cases.status.findData("已转出"))  # some other filter first
    qtbot.mouseClick(home.tiles["open_cases"], Qt.MouseButton.LeftButton)
    assert window.current_page() is quarantine and quarantine.tabs.currentWidget() is quarantine.cases
    assert quarantine.cases.status.currentData() == "open"
    qtbot.waitUntil(quarantine.cases.search_done)
    assert quarantine.cases.model.rowCount() == 2 == int(_number(home, "open_cases"))

    window.nav.setCurrentRow(0)
    qtbot.mouseClick(home.tiles["tests_due"], Qt.MouseButton.LeftButton)
    assert window.current_page() is quarantine and quarantine.tabs.currentWidget() is quarantine.today_view

    window.nav.setCurrentRow(0)
    qtbot.mouseClick(home.tiles["open_requests"], Qt.MouseButton.LeftButton)
    desk = window.page(ServiceDeskPage)
    assert window.current_page() is desk and desk.status_filter.currentData() == "open"
    tasks.wait_all()
    qtbot.waitUntil(lambda: desk.model.rowCount() == 2)

    window.nav.setCurrentRow(0)
    line = home.coverage_lines[made["other_community"]]
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
    registry = window.page(ResidentsPage)
    assert window.current_page() is registry
    assert registry.community_filter.currentData() == made["other_community"]
    tasks.wait_all()
    qtbot.waitUntil(lambda: registry.model.rowCount() == 0)
    qtbot.mouseClick(home.coverage_lines[community], Qt.MouseButton.LeftButton)
    tasks.wait_all()
    qtbot.waitUntil(lambda: registry.model.rowCount() == 4)

    window.nav.setCurrentRow(0)
    tags = home.charts.tags
    old_people = [name for name, _n in tags.pairs].index("老年人")
    bar = tags.bar_layout().bars[old_people]
    qtbot.mouseClick(tags, Qt.MouseButton.LeftButton, pos=bar.center().toPoint())  # a click on the chart's bar
    assert window.current_page() is registry and registry.tag_filter.currentText() == "老年人"
    assert registry.community_filter.currentData() is None
    tasks.wait_all()
    qtbot.waitUntil(lambda: registry.model.rowCount() == 2)

    window.nav.setCurrentRow(0)
    qtbot.mouseClick(home.tiles["cleaning"], Qt.MouseButton.LeftButton)
    cleaning = window.page(CleaningPage)
    assert window.current_page() is cleaning and cleaning.tabs.currentWidget() is cleaning.schedule_tab

    window.nav.setCurrentRow(0)
    qtbot.mouseClick(home.tiles["gate_gaps"], Qt.MouseButton.LeftButton)
    volunteers = window.page(VolunteersPage)
    assert window.current_page() is volunteers and volunteers.current() is volunteers.roster_tab


