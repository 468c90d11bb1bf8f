"""The positive flow outside 今日's lists, driven by the real buttons and dialogs: 阳性 and 登记转运… in the case
form, 更正阳性… (管理员 only, with a reason), the home page's red line of positives, and the special-need lead time
(特殊需求提前提醒（天）) in 管控期限设置."""
import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from community_desk.core import session
from community_desk.core.models import NucleicTest, QuarantineCase
from community_desk.core.queries import quarantine as q
from community_desk.core.queries import quarantine_items as items
from community_desk.core.queries import quarantine_positive as pos
from community_desk.core.rules.idcard import make_id
from community_desk.gui.windows.quarantine.case_form import CaseForm
from tests.windows import answer_dialog

D = dt.date
START = D(2021, 8, 5)
OK, CANCEL = QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel


def _case(name="王伟", seq=1):
    return q.create_case({"name": name, "id_number": make_id("110111", D(1980, 1, 1), seq), "phone": "13800138000",
                          "address": "3号楼2单元501", "measure": "居家隔离", "start_date": START.isoformat()},
                         today=START)




def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _find(widget, text):
    from PySide6.QtWidgets import QAbstractButton

    found = [b for b in widget.findChildren(QAbstractButton) if b.text() == text]
    assert found, text
    return found[0]


def _form(qtbot, cid, day=START):
    form = CaseForm(None, cid, day)
    qtbot.addWidget(form)
    form.show()
    return form


def test_positive_then_transfer_in_the_case_form(qtbot, qt_settings, db, community):
    cid = _case()
    form = _form(qtbot, cid, D(2021, 8, 6))
    assert not form.transfer_button.isVisible()
    tests = form.tests_tab
    form.tabs.setCurrentWidget(tests)
    tests.table.selectRow(0)
    seen = []
    answer_dialog(lambda d: click(qtbot, d.buttons.button(OK)), seen)
    click(qtbot, _find(tests, "阳性"))
    assert [d.windowTitle() for d in seen] == ["确认登记阳性"]
    case = QuarantineCase.get_by_id(cid)
    assert case.status == "阳性待转运" and case.positive_date == START  # the 第1天 test's planned day, offered in the dialog
    assert form.inputs["status"].currentText() == "阳性待转运" and not form.has_changes()
    assert form.transfer_button.isVisible() and "请登记转运" in form.summary.text()

    def transfer(dialog):
        assert not dialog.person.isEnabled() and dialog.person.currentText().startswith("王伟")
        dialog.site.setText("长阳镇集中隔离点")
        click(qtbot, dialog.buttons.button(OK))
    answer_dialog(transfer)
    click(qtbot, form.transfer_button)
    case = QuarantineCase.get_by_id(cid)
    assert case.status == "已转运" and case.transfer_site == "长阳镇集中隔离点" and case.transfer_date == D(2021, 8, 6)
    assert form.inputs["status"].currentText() == "已转运" and not form.transfer_button.isVisible()
    assert form.summary.text() == "已登记转运：王伟（2021-08-06，长阳镇集中隔离点）"


def test_correct_a_positive_is_for_an_administrator_with_a_reason(qtbot, qt_settings, db, community):
    cid = _case()
    first = items.tests_of(cid)[0]["id"]
    pos.record_positive(first, START)
    form = _form(qtbot, cid)
    tests = form.tests_tab
    assert form.transfer_button.isVisible()
    tests.table.selectRow(1)  # not the positive one
    click(qtbot, _find(tests, "更正阳性…"))
    assert tests.message.text() == "该次检测不是阳性，无需更正"

    session.current = session.Session(user="张晓", role="工作人员")
    tests.table.selectRow(0)
    errors = []

    def refused(dialog):
        dialog.reason.setText("疾控复核为阴性")
        click(qtbot, dialog.buttons.button(OK))
        errors.append(dialog.error.text())
        click(qtbot, dialog.buttons.button(CANCEL))
    answer_dialog(refused)
    click(qtbot, _find(tests, "更正阳性…"))
    assert errors == ["只有管理员可以更正阳性结果"] and NucleicTest.get_by_id(first).result == "阳性"

    session.current = session.Session(user="管理员", role="管理员")

    def correct(dialog):
        click(qtbot, dialog.buttons.button(OK))  # no reason: refused, said in the dialog
        errors.append(dialog.error.text())
        dialog.reason.setText("疾控复核为阴性（通知编号 2021-08-06-3）")
        click(qtbot, dialog.buttons.button(OK))
    answer_dialog(correct)
    click(qtbot, _find(tests, "更正阳性…"))
    assert "原因" in errors[-1]
    assert NucleicTest.get_by_id(first).result == "阴性"
    assert QuarantineCase.get_by_id(cid).status == "管控中"
    assert form.inputs["status"].currentText() == "管控中" and not form.transfer_button.isVisible()
    assert form.summary.text() == ""
    assert any(h["action"] == "更正阳性" and "疾控复核为阴性" in h["summary"] for h in q.history(cid))


def test_need_lead_days_in_the_policy_dialog(qtbot, qt_settings, db, community):
    from community_desk.gui.windows.quarantine.settings_dialog import NEED_LEAD_LABEL, PolicyDialog

    cid = _case()
    items.add_need(cid, "就医", "肿瘤医院复查", D(2021, 8, 10))
    assert items.today_ids("needs", START) == []  # five days ahead, the default lead time is three
    dialog = PolicyDialog()
    qtbot.addWidget(dialog)
    assert dialog.form.labelForField(dialog.need_lead_days).text() == NEED_LEAD_LABEL
    assert dialog.need_lead_days.value() == 3
    dialog.need_lead_days.clear()
    qtbot.keyClicks(dialog.need_lead_days, "5")
    click(qtbot, dialog.buttons.button(OK))
    assert dialog.result() == 1 and items.need_lead_days() == 5
    assert len(items.today_ids("needs", START)) == 1
    again = PolicyDialog()
    qtbot.addWidget(again)
    assert again.need_lead_days.value() == 5


def test_home_page_names_the_positives_in_red_and_opens_today(qtbot, qt_settings, db, community):
    from community_desk.gui.main_window import MainWindow
    from community_desk.gui.windows.home.page import HomePage
    from community_desk.gui.windows.quarantine.page import QuarantinePage

    cid = _case()
    _case("李娜", 2)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    home = window.page(HomePage)
    qtbot.waitUntil(home.loaded)
    assert not home.positives.isVisible()
    pos.record_positive(items.tests_of(cid)[0]["id"], dt.date.today())
    home.refresh()
    qtbot.waitUntil(home.loaded)
    assert home.positives.isVisible() and home.positives.text().startswith("阳性待转运 1 人：王伟")
    assert "阳性待转运 1 人" in window.count_label.text()
    rows = {tile.y() for tile in home.tiles.values()}
    assert len(rows) == 2  # eight tiles, four to a row: the coverage box keeps its width
    click(qtbot, home.positives)
    page = window.current_page()
    assert isinstance(page, QuarantinePage) and page.tabs.currentWidget() is page.today_view
    qtbot.waitUntil(page.today_view.loaded)
    assert page.today_view.positives.isVisible()
