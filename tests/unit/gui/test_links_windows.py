"""The links between modules, driven through the real windows: 转为自排隔离 in the 出入登记 tab (the
quarantine today view follows through the data bus), the fever list of the today view, the volunteer
picker of the service-team form, and 转我来办工单 in the visit record dialog."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QInputDialog

from community_desk.core.models import GateEntry, QuarantineCase, ServiceRequest, Visit
from community_desk.core.queries import cleaning, cleaning_visits, duty, gate, links, volunteers
from community_desk.gui.dialogs import links as links_ui
from community_desk.gui.dialogs.links import FeverEntriesDialog
from community_desk.gui.page import bus
from community_desk.gui.windows.cleaning import visit_forms
from community_desk.gui.windows.cleaning.round_form import TeamForm, TeamsDialog
from community_desk.gui.windows.cleaning.visit_forms import VisitRecordDialog
from community_desk.gui.windows.quarantine.today_view import TodayView
from community_desk.gui.windows.volunteers.gate_tab import GateTab
from tests.unit.cleaning_data import small_round


@pytest.fixture
def asked(monkeypatch):
    """QInputDialog.getItem answered with the measure offered first (居家健康监测); the questions kept."""
    questions = []

    def get_item(_parent, title, label, items, current, _editable):
        questions.append((title, label))
        return items[current], True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(get_item))
    return questions


def _entries(community):
    post = duty.save_post({"name": "东门"})
    now = dt.datetime.now().replace(microsecond=0)
    normal = gate.save_entry({"post_id": post, "name": "快递员", "temperature": "36.5", "checked_by": "张敏",
                              "time_in": now - dt.timedelta(minutes=5)})
    hot = gate.save_entry({"post_id": post, "name": "返京人员", "phone": "13800002222", "temperature": "37.9",
                           "checked_by": "张敏", "time_in": now})
    return normal, hot


def _select(table, row):
    table.selectionModel().select(table.model().index(row, 0),
                                  QItemSelectionModel.SelectionFlag.ClearAndSelect
                                  | QItemSelectionModel.SelectionFlag.Rows)


def test_gate_fever_row_becomes_a_self_screened_case(qtbot, qt_settings, community, asked):
    normal, hot = _entries(community)
    tab = GateTab()
    qtbot.addWidget(tab)
    today = TodayView()
    qtbot.addWidget(today)
    qtbot.waitUntil(today.loaded)
    assert today.fever_button.text() == "门岗发热待转 1 人…" and not today.fever_button.isHidden()
    assert [tab.model.id_at(r) for r in range(tab.model.rowCount())] == [hot, normal]
    _select(tab.table, 1)
    assert not tab.fever_button.isEnabled()  # a normal temperature offers nothing
    _select(tab.table, 0)
    assert tab.fever_button.isEnabled()
    seen = []
    bus.data_changed.connect(seen.append)
    try:
        case_id = tab.take_up_fever()
    finally:
        bus.data_changed.disconnect(seen.append)
    assert case_id and "返京人员（体温 37.9℃，东门）" in asked[0][1] and "发现人：张敏" in asked[0][1]
    case = QuarantineCase.get_by_id(case_id)
    assert (case.source, case.status, case.measure, case.found_by) == ("自排", "待核实", "居家健康监测", "张敏")
    assert case.found_how == "门岗测温 37.9℃（东门）"
    assert {"quarantine_case", "gate_entry"} <= set(seen)
    assert GateEntry.get_by_id(hot).case_ref == f"自排隔离#{case_id}"
    assert tab.model.row_values(tab.model.row_of(hot))[-1] == f"发热（已转自排隔离#{case_id}）"
    assert "已转为自排隔离" in tab.message.text()
    _select(tab.table, tab.model.row_of(hot))
    assert not tab.fever_button.isEnabled()  # taken up: offered only once
    qtbot.waitUntil(today.loaded)
    assert today.fever_button.isHidden()  # the today view followed through the bus
    tab.grab().save("/tmp/links_gate_tab.png")


def test_today_view_lists_untaken_fever_entries(qtbot, qt_settings, community, asked, monkeypatch):
    _normal, hot = _entries(community)
    cancelled = []
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *_a: cancelled.append(1) or ("", False)))
    dialog = FeverEntriesDialog()
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    errors = []
    monkeypatch.setattr(links_ui, "show_error", lambda _p, _t, message: errors.append(message))
    assert dialog.take_up() is None and errors == ["请先选中一行"]
    _select(dialog.table, 0)
    assert dialog.take_up() is None and cancelled == [1]  # cancelled: nothing written
    assert QuarantineCase.select().count() == 0
    monkeypatch.undo()
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda _p, _t, _l, items, _c, _e: (items[0], True)))
    case_id = dialog.take_up()
    assert QuarantineCase.get_by_id(case_id).measure == "居家隔离" and dialog.made == [case_id]
    assert dialog.model.rowCount() == 0 and not dialog.take_button.isEnabled()
    assert links.untaken_fever_count() == 0 and GateEntry.get_by_id(hot).case_ref


def test_team_form_picks_volunteers_whose_hours_follow_the_visits(qtbot, qt_settings, community):
    d = small_round(community)
    vt = volunteers.ensure_team("大爱原香", community)
    li = volunteers.save({"name": "李娜", "team_id": vt, "availability": "1" * 21})
    wang = volunteers.save({"name": "王强", "team_id": vt, "availability": "1" * 21})
    team_id = d["teams"][0]
    form = TeamForm(None, team_id)
    qtbot.addWidget(form)
    picker = form.volunteer_picker
    assert picker.list.count() == 2 and picker.checked_ids() == []
    picker.filter_edit.setText("李")
    assert [picker.list.item(r).isHidden() for r in range(2)] == [False, True]
    picker.check(li)
    form.members_edit.setText("刘强")
    form.save()
    assert form.result() and links.team_volunteers(team_id) == [(li, "李娜")]
    assert cleaning.get_team(team_id)["members"] == "刘强"
    again = TeamForm(None, team_id)
    qtbot.addWidget(again)
    assert again.volunteer_picker.checked_ids() == [li]
    teams = TeamsDialog()
    qtbot.addWidget(teams)
    assert "志愿者：李娜" in teams.list.item(0).text() and "其他成员：刘强" in teams.list.item(0).text()
    # a done visit of the team (no times written) counts 2 hours for 李娜, none for 王强
    cleaning.add_eligible(d["round"])
    cleaning.save_survey(d["round"], d["zhao"], {"contact_method": "上门", "result": "需要", "windows": "3"})
    cleaning_visits.run_auto_schedule(d["round"])
    cleaning_visits.record_visit(Visit.get().id, {"done": True})
    assert volunteers.hours_for([li, wang]) == {li: Decimal("2.0"), wang: Decimal("0")}
    assert volunteers.load_rows([li])[li][-1] == "2.0"
    again.grab().save("/tmp/links_team_form.png")


def test_visit_record_sends_the_problem_to_the_service_desk(qtbot, qt_settings, community, monkeypatch):
    d = small_round(community)
    cleaning.add_eligible(d["round"])
    cleaning.save_survey(d["round"], d["zhao"], {"contact_method": "上门", "result": "需要", "windows": "3"})
    cleaning_visits.run_auto_schedule(d["round"])
    visit_id = Visit.get().id
    answers = [False, True]
    monkeypatch.setattr(visit_forms, "confirm", lambda *_a: answers.pop(0))
    record = VisitRecordDialog(visit_id)
    qtbot.addWidget(record)
    assert record.request_button.isEnabled() and record.request_label.text() == ""
    assert record.to_request() is None and "写明问题" in record.summary.text()
    record.problems_edit.setPlainText("北卧窗户玻璃有裂纹")
    assert record.to_request() is None and ServiceRequest.select().count() == 0  # said no
    seen = []
    bus.data_changed.connect(seen.append)
    try:
        number = record.to_request()
    finally:
        bus.data_changed.disconnect(seen.append)
    request = ServiceRequest.get(ServiceRequest.number == number)
    assert (request.category.name, request.type, request.channel) == ("维修", "诉求", "来访")
    assert request.resident_id == d["zhao"] and "北卧窗户玻璃有裂纹" in request.description
    assert "service_request" in seen and Visit.get_by_id(visit_id).request_number == number
    assert record.request_label.text() == f"已转我来办工单 {number}" and not record.request_button.isEnabled()
    record.done_check.setChecked(True)
    record.save()
    assert record.result() and Visit.get_by_id(visit_id).problems == "北卧窗户玻璃有裂纹"
    reopened = VisitRecordDialog(visit_id)
    qtbot.addWidget(reopened)
    assert not reopened.request_button.isEnabled() and number in reopened.request_label.text()
    reopened.grab().save("/tmp/links_visit_record.png")
