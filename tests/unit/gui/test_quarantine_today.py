"""The today view driven as a person would: select a line, press 阴性 / 期满解除 / 标记已办 / 正常; 阳性 and its
confirmation, the red line of positives awaiting transfer with 登记转运… and 同户密接…, answered in the real dialogs."""
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from community_desk.core.models import FollowUp, NucleicTest, QuarantineCase, SpecialNeed
from community_desk.core.queries import quarantine as q
from community_desk.core.queries import quarantine_items as items
from community_desk.core.rules.idcard import make_id
from community_desk.gui import tasks
from community_desk.gui.windows.quarantine import today_view
from community_desk.gui.windows.quarantine.today_view import TodayView
from tests.windows import answer_dialog

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




def press(qtbot, dialog, which):
    qtbot.mouseClick(dialog.buttons.button(which), Qt.MouseButton.LeftButton)


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
    seen = []
    answer_dialog(lambda d: press(qtbot, d, QDialogButtonBox.StandardButton.Ok), seen)
    _select_and_click(qtbot, view, "results_pending", "阳性")
    assert seen and seen[0].windowTitle() == "确认登记阳性"
    assert seen[0].day.date().toPython() == START  # the sampling date already recorded, not asked again
    assert view.sections["results_pending"].model.rowCount() == 0
    assert q.load_rows([cid], START)[cid][-1] == "positive"
    assert view.positives.isVisibleTo(view) and "王伟" in view.positives.label.text()


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


def test_positive_asks_first_then_stands_in_red_until_transferred(qtbot, qt_settings, db, community, errors):
    cid = _case()
    other = _case("李娜", 2)
    view = _view(qtbot, START)
    view.resize(1280, 700)
    view.show()
    assert not view.positives.isVisibleTo(view)
    shown = []
    answer_dialog(lambda d: press(qtbot, d, QDialogButtonBox.StandardButton.Cancel), shown)
    _select_and_click(qtbot, view, "tests_due", "阳性")  # cancelled: nothing written
    assert shown and any("阳性待转运" in label.text() for label in shown[0].findChildren(QLabel))
    assert QuarantineCase.get_by_id(cid).status == "管控中" and view.message.text() == "未登记阳性"

    def confirm(dialog):
        dialog.day.setDate(dialog.day.date().addDays(-1))  # sampled the day before
        press(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    answer_dialog(confirm)
    _select_and_click(qtbot, view, "tests_due", "阳性")
    case = QuarantineCase.get_by_id(cid)
    assert case.status == "阳性待转运" and case.positive_date == D(2021, 8, 4)
    assert view.positives.isVisibleTo(view) and view.positives.label.text() == "阳性待转运 1 人：王伟"
    assert "已登记阳性：王伟" in view.message.text()
    # the lists keep their place: the red line sits in the top row, beside the date
    assert view.positives.geometry().bottom() < view.scroll.geometry().top()
    later = _view(qtbot, D(2021, 8, 18))
    assert later.sections["releases"].model.ids() == [other]  # out of the release list

    seen = []

    def transfer(dialog):
        seen.append(dialog.person.currentText())
        dialog.site.setText("长阳镇集中隔离点")
        press(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    answer_dialog(transfer)
    qtbot.mouseClick(view.positives.button["登记转运…"], Qt.MouseButton.LeftButton)
    tasks.wait_all()
    qtbot.waitUntil(view.loaded)
    assert seen == ["王伟（08-04采样阳性）"]
    case = QuarantineCase.get_by_id(cid)
    assert case.status == "已转运" and case.transfer_site == "长阳镇集中隔离点" and case.transfer_date == START
    assert not view.positives.isVisibleTo(view) and not errors
    assert view.message.text() == "已登记转运：王伟（2021-08-05，长阳镇集中隔离点）"


def test_with_two_positives_the_transfer_asks_whom(qtbot, qt_settings, db, community, errors):
    from community_desk.core.queries import quarantine_positive as pos

    first, second = _case(), _case("李娜", 2)
    pos.record_positive(items.tests_of(first)[0]["id"], START)
    pos.record_positive(items.tests_of(second)[0]["id"], START)
    view = _view(qtbot, D(2021, 8, 6))
    view.show()
    assert view.positives.label.text() == "阳性待转运 2 人：王伟、李娜"

    def transfer(dialog):
        assert dialog.person.isEnabled() and dialog.person.count() == 2
        dialog.person.setCurrentIndex(1)
        press(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)  # no site: refused, said in the dialog
        assert "集中隔离地点" in dialog.error.text() and dialog.isVisible()
        dialog.site.setText("房山区集中隔离点")
        press(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    answer_dialog(transfer)
    qtbot.mouseClick(view.positives.button["登记转运…"], Qt.MouseButton.LeftButton)
    tasks.wait_all()
    qtbot.waitUntil(view.loaded)
    assert QuarantineCase.get_by_id(second).status == "已转运"
    assert QuarantineCase.get_by_id(first).status == "阳性待转运"
    assert view.positives.label.text() == "阳性待转运 1 人：王伟"


def test_household_member_added_as_close_contact_with_one_click(qtbot, qt_settings, db, community, errors):
    from community_desk.core.queries import quarantine_positive as pos
    from community_desk.core.queries import residents

    for seq, name in ((10, "王伟"), (11, "王芳")):
        residents.save({"name": name, "id_number": make_id("110111", D(1980, 1, 1), seq), "community_id": community,
                        "household_number": "0301", "address": "3号楼2单元501"})
    cid = q.create_case({"name": "王伟", "id_number": make_id("110111", D(1980, 1, 1), 10),
                         "start_date": START.isoformat()}, today=START)
    pos.record_positive(items.tests_of(cid)[0]["id"], START)
    view = _view(qtbot, START)
    view.resize(1280, 700)
    view.show()
    assert view.positives.isVisibleTo(view)

    def add(dialog):
        assert dialog.model.rowCount() == 1 and dialog.model.data(dialog.model.index(0, 0)) == "王芳"
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)  # nobody chosen yet
        assert dialog.error.text() == "请先选中一人"
        dialog.table.selectRow(0)
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        assert dialog.model.data(dialog.model.index(0, 4)) == "管控中" and not dialog.error.text()
        press(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    answer_dialog(add)
    qtbot.mouseClick(view.positives.button["同户密接…"], Qt.MouseButton.LeftButton)
    contact = QuarantineCase.get(QuarantineCase.name == "王芳")
    assert contact.classification == "密切接触者" and contact.contact_of == cid
    assert view.message.text() == "已登记密接 1 人"
