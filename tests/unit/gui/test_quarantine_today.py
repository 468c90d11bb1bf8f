"""The today view driven as a person would: select a line, press 阴性 / 期满解除 / 标记已办 / 正常."""
import datetime as dt

import pytest
from PySide6.QtCore import Qt

from community_desk.core.models import FollowUp, NucleicTest, QuarantineCase, SpecialNeed
from community_desk.core.queries import quarantine as q
from community_desk.core.queries import quarantine_items as items
from community_desk.core.rules.idcard import make_id
from community_desk.gui import tasks
from community_desk.gui.windows.quarantine import today_view
from community_desk.gui.windows.quarantine.today_view import TodayView

D = dt.date
START = D(2021, 8, 5)


def _case(name="王伟", seq=1):
    return q.create_case({"name": name, "id_number": make_id("110111", D(1980, 1, 1), seq), "phone": "13800138000",
                          "address": "3号楼2单元501", "measure": "居家隔离", "start_date": START.isoformat()},
                         today=START)


@pytest.fixture
def errors(monkeypatch):
    shown = []
    monkeypatch.setattr(today_view, "show_error", lambda _parent, title, message: shown.append((title, message)))
    return shown


def _view(qtbot, day):
    view = TodayView(today=day)
    qtbot.addWidget(view)
    qtbot.waitUntil(view.loaded)
    return view


def _select_and_click(qtbot, view, section, button, row=0):
    sec = view.sections[section]
    sec.table.selectRow(row)
    qtbot.mouseClick(sec.button[button], Qt.MouseButton.LeftButton)
    tasks.wait_all()
    qtbot.waitUntil(view.loaded)


def test_record_a_negative_result_in_two_clicks(qtbot, qt_settings, db, community, qtmodeltester, errors):
    cid = _case()
    view = _view(qtbot, START)
    tests_due = view.sections["tests_due"]
    assert tests_due.model.rowCount() == 1
    qtmodeltester.check(tests_due.model)
    assert tests_due.model.data(tests_due.model.index(0, 0)) == "王伟"
    _select_and_click(qtbot, view, "tests_due", "阴性")
    first = NucleicTest.select().where(NucleicTest.case == cid).order_by(NucleicTest.planned_date).first()
    assert first.result == "阴性" and first.sampling_date == START
    assert view.sections["tests_due"].model.rowCount() == 0
    assert "已登记阴性 1 条" in view.message.text() and not errors
    assert q.history(cid)[0]["action"] == "核酸结果"


def test_sampled_then_result_pending_then_positive(qtbot, qt_settings, db, community, errors):
    cid = _case()
    view = _view(qtbot, START)
    _select_and_click(qtbot, view, "tests_due", "已采样")
    assert view.sections["results_pending"].model.rowCount() == 1
    _select_and_click(qtbot, view, "results_pending", "阳性")
    assert view.sections["results_pending"].model.rowCount() == 0
    assert q.load_rows([cid], START)[cid][-1] == "positive"


def test_release_a_case_on_time(qtbot, qt_settings, db, community, errors):
    cid = _case()
    end = D(2021, 8, 18)
    view = _view(qtbot, end)
    releases = view.sections["releases"]
    assert releases.model.rowCount() == 1
    # the final test has no result yet: the release is refused and the reason shown
    _select_and_click(qtbot, view, "releases", "期满解除")
    assert errors and "尚无阴性结果" in errors[-1][1]
    assert QuarantineCase.get_by_id(cid).status == "管控中"
    for t in items.tests_of(cid):
        items.record_result(t["id"], "阴性", sampling_date=t["planned_date"], result_date=t["planned_date"])
    view.refresh()
    qtbot.waitUntil(view.loaded)
    _select_and_click(qtbot, view, "releases", "期满解除")
    case = QuarantineCase.get_by_id(cid)
    assert case.status == "已解除" and case.release_kind == "期满解除" and case.release_date == end
    assert view.sections["releases"].model.rowCount() == 0


def test_positive_case_cannot_be_released(qtbot, qt_settings, db, community, errors):
    cid = _case()
    for t in items.tests_of(cid):
        items.record_result(t["id"], "阴性", sampling_date=t["planned_date"], result_date=t["planned_date"])
    items.record_result(items.tests_of(cid)[1]["id"], "阳性")
    view = _view(qtbot, D(2021, 8, 18))
    assert view.sections["releases"].model.rowCount() == 0  # a positive leaves every release list
    assert QuarantineCase.get_by_id(cid).status == "阳性待转运"


def test_need_of_the_day_marked_handled(qtbot, qt_settings, db, community, errors):
    cid = _case()
    nid = items.add_need(cid, "就医", "肿瘤医院复查改约到隔离期满后", D(2021, 8, 9), "李书记")
    view = _view(qtbot, D(2021, 8, 5))
    assert view.sections["needs"].model.rowCount() == 0
    view.set_today(D(2021, 8, 6))  # three days ahead (the default lead time)
    qtbot.waitUntil(view.loaded)
    assert view.sections["needs"].model.rowCount() == 1
    _select_and_click(qtbot, view, "needs", "标记已办")
    assert SpecialNeed.get_by_id(nid).status == "已办结"


def test_follow_up_marked_normal(qtbot, qt_settings, db, community, errors):
    cid = _case()
    view = _view(qtbot, D(2021, 8, 6))
    _select_and_click(qtbot, view, "follow_ups", "正常")
    fu = FollowUp.get((FollowUp.case == cid) & (FollowUp.day_no == 2))
    assert fu.status == "正常" and fu.by_whom == "测试员"


def test_nothing_selected_says_so(qtbot, qt_settings, db, community, errors):
    _case()
    view = _view(qtbot, START)
    qtbot.mouseClick(view.sections["tests_due"].button["阴性"], Qt.MouseButton.LeftButton)
    assert view.message.text() == "请先选中一行"
    assert NucleicTest.select().where(NucleicTest.result == "阴性").count() == 0
