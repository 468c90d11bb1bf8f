"""The case list (filters, colours, bulk actions), the case form (save, refusal, tabs, history),
notices as PDF, and the page inside the main window."""
import datetime as dt

import pytest
from PySide6.QtCore import Qt

from community_desk.core.models import NucleicTest, QuarantineCase
from community_desk.core.queries import quarantine as q
from community_desk.core.queries import quarantine_items as items
from community_desk.core.rules.idcard import make_id
from community_desk.gui import tasks
from community_desk.gui.windows.quarantine import case_list
from community_desk.gui.windows.quarantine.case_form import CaseForm
from community_desk.gui.windows.quarantine.page import QuarantinePage
from tests.pdf_text import find_button, pdf_text, preview_by_button, save_pdf_by_button

D = dt.date
START = D(2021, 8, 5)


def _case(name, seq, **kw):
    return q.create_case({"name": name, "id_number": make_id("110111", D(1980, 1, 1), seq), "phone": "13800138000",
                          "address": f"{seq}号楼501", "start_date": START.isoformat(), **kw}, today=START)


def _page(qtbot, day):
    page = QuarantinePage(today=day)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.cases.search_done() and page.today_view.loaded())
    return page


def test_list_filters_and_colours(qtbot, qt_settings, db, community, qtmodeltester):
    a = _case("王伟", 1, source="市派")
    b = _case("李娜", 2, source="自排", measure="居家健康监测")
    items.record_result(items.tests_of(b)[0]["id"], "阳性", sampling_date=START)
    items.record_result(items.tests_of(a)[0]["id"], "阴性", sampling_date=START)
    page = _page(qtbot, D(2021, 8, 8))
    model = page.cases.model
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    colours = {model.id_at(r): model.data(model.index(r, 0), Qt.ItemDataRole.BackgroundRole).color().name()
               for r in range(2)}
    assert colours[b] == "#f8c9c9" and colours[a] == "#fff6bf"  # positive / a test due today (day 4)
    page.cases.source.setCurrentIndex(page.cases.source.findData("自排"))
    qtbot.waitUntil(page.cases.search_done)
    assert model.ids() == [b]
    page.cases.source.setCurrentIndex(0)
    page.cases.positive.setChecked(True)
    qtbot.waitUntil(page.cases.search_done)
    assert model.ids() == [b]
    page.cases.positive.setChecked(False)
    page.cases.search_edit.setText("wangw")
    qtbot.waitUntil(page.cases.search_done)
    assert model.ids() == [a]


def test_bulk_assign_worker_appends_to_notes(qtbot, qt_settings, db, community, monkeypatch):
    a = _case("王伟", 1, notes="孕妇")
    b = _case("李娜", 2)
    page = _page(qtbot, START)
    page.cases.table.selectAll()
    monkeypatch.setattr(case_list.QInputDialog, "getText", lambda *a, **k: ("张敏", True))
    page.cases.bulk_worker()
    assert QuarantineCase.get_by_id(a).notes == "孕妇\n[2021-08-05] 指定健康监测责任人：张敏"
    assert QuarantineCase.get_by_id(b).follow_up_worker == "张敏"
    tasks.wait_all()


def test_case_form_new_and_refused(qtbot, qt_settings, db, community):
    form = CaseForm(None, None, START)
    qtbot.addWidget(form)
    form.inputs["name"].setText("赵敏")
    form.inputs["id_number"].setText(make_id("110111", D(1980, 1, 1), 7)[:-1] + "0")
    form.save()
    assert form.result() == 0 and "校验位" in form.errors["id_number"].text()
    assert form.inputs["name"].text() == "赵敏"  # what was typed stays
    form.inputs["id_number"].setText(make_id("110111", D(1980, 1, 1), 7).lower())
    form.inputs["found_by"].setText("李书记")
    form.save()
    case = QuarantineCase.get_by_id(form.saved_id)
    assert case.source == "自排" and case.found_by == "李书记" and case.planned_end == D(2021, 8, 18)


def test_case_form_tabs_and_history(qtbot, qt_settings, db, community):
    cid = _case("王伟", 1)
    form = CaseForm(None, cid, START)
    qtbot.addWidget(form)
    assert form.tests_tab.model.rowCount() == 4 and form.follow_ups_tab.model.rowCount() == 14
    form.tests_tab.table.selectRow(0)
    qtbot.mouseClick(form.tests_tab.buttons.itemAt(1).widget(), Qt.MouseButton.LeftButton)  # 阴性
    assert NucleicTest.select().where((NucleicTest.case == cid) & (NucleicTest.result == "阴性")).count() == 1
    form.inputs["planned_end"].setText("2021-08-21")
    form.save()
    assert form.result() == 0 and "原因" in form.errors["planned_end"].text()
    form.inputs["end_change_reason"].setText("同住人密接")
    form.save()
    assert QuarantineCase.get_by_id(cid).previous_end == D(2021, 8, 18)
    form2 = CaseForm(None, cid, START)
    qtbot.addWidget(form2)
    actions = [form2.history_tab.model.data(form2.history_tab.model.index(r, 2))
               for r in range(form2.history_tab.model.rowCount())]
    assert actions[:2] == ["延长", "核酸结果"] and actions[-1] == "新增"


def test_notices_pdf_one_page_each(qtbot, qt_settings, db, community, tmp_path, monkeypatch):
    _case("王伟", 1), _case("李娜", 2)
    page = _page(qtbot, START)
    page.show()
    page.tabs.setCurrentWidget(page.cases)
    assert save_pdf_by_button(qtbot, monkeypatch, find_button(page, "通知另存为PDF…"), tmp_path / "n.pdf") == 2
    text = pdf_text(tmp_path / "n.pdf")
    assert "王伟" in text and "李娜" in text and "居家隔离通知" in text


@pytest.mark.child_process
def test_print_notices_button_previews_one_page_each(qtbot, qt_settings, db, community, monkeypatch):
    """打印通知 ended the program (a preview whose printer Python had freed)."""
    _case("王伟", 1), _case("李娜", 2)
    page = _page(qtbot, START)
    page.show()
    page.tabs.setCurrentWidget(page.cases)
    title, pages = preview_by_button(qtbot, monkeypatch, find_button(page, "打印通知"))
    assert title == "打印预览 - 居家隔离通知（2 份）" and pages == 2


def test_page_registered_in_main_window(qtbot, qt_settings, db, community):
    from community_desk.gui.main_window import MainWindow, page_classes
    classes = page_classes()
    assert classes.index(QuarantinePage) == classes.index(next(p for p in classes if p.title == "居民台账")) + 1
    window = MainWindow()
    qtbot.addWidget(window)
    assert any(isinstance(p, QuarantinePage) for p in window.pages)
    tasks.wait_all()


def test_policy_dialog_changes_new_cases_only(qtbot, qt_settings, db, community):
    from community_desk.gui.windows.quarantine.settings_dialog import PolicyDialog
    first = _case("王伟", 1)
    dialog = PolicyDialog()
    qtbot.addWidget(dialog)
    dialog.test_days["居家隔离"].setText("1,9")
    dialog.days["居家隔离"].setValue(7)
    dialog.save()
    assert dialog.result() == 0 and "第 7 天" in dialog.error.text()  # refused, typed text kept
    assert dialog.test_days["居家隔离"].text() == "1,9"
    dialog.test_days["居家隔离"].setText("1，7")
    dialog.classifications.setText("密切接触者、次密接、入境人员")
    dialog.save()
    assert dialog.result() == 1
    second = _case("李娜", 2)
    assert len(items.tests_of(first)) == 4 and [t["day_no"] for t in items.tests_of(second)] == [1, 7]
    assert q.classifications() == ["密切接触者", "次密接", "入境人员"]


def test_case_form_converts_to_resident(qtbot, qt_settings, db, community):
    from community_desk.core.models import Resident
    cid = _case("王伟", 1, community_id=community)
    form = CaseForm(None, cid, START)
    qtbot.addWidget(form)
    assert not form.convert_button.isHidden()
    qtbot.mouseClick(form.convert_button, Qt.MouseButton.LeftButton)
    assert form.convert_button.isHidden() and "已登记到居民台账" in form.summary.text()
    assert QuarantineCase.get_by_id(cid).resident_id == Resident.get(Resident.name == "王伟").id


def test_import_action_in_file_menu(qtbot, qt_settings, db, community):
    from community_desk.gui.main_window import MainWindow
    window = MainWindow()
    qtbot.addWidget(window)
    page = next(p for p in window.pages if isinstance(p, QuarantinePage))
    qtbot.waitUntil(lambda: page._menu_added)  # without ever showing the page
    file_menu = window.menuBar().actions()[0].menu()
    assert file_menu.actions()[0].text() == "导入市派名单…"
    tasks.wait_all()


def test_page_exports_daily_report(qtbot, qt_settings, db, community, tmp_path):
    from openpyxl import load_workbook
    _case("王伟", 1, classification="密切接触者")
    page = _page(qtbot, START)
    messages = []
    page.count_changed.connect(messages.append)
    page.export_excel(str(tmp_path / "daily"), detailed=True, mask=False)
    qtbot.waitUntil(lambda: any("已导出" in m for m in messages), timeout=10000)
    wb = load_workbook(tmp_path / "daily.xlsx")
    assert wb.sheetnames == ["隔离管控台账", "当日统计", "密切接触者"]
    headers = [c.value for c in wb["隔离管控台账"][2]]
    full_id = wb["隔离管控台账"].cell(3, headers.index("身份证号") + 1).value
    assert len(full_id) == 18 and "*" not in full_id
    messages.clear()
    page.export_excel(str(tmp_path / "masked.xlsx"), detailed=False, mask=True)  # the choice the dialog asks for
    qtbot.waitUntil(lambda: any("已导出" in m for m in messages), timeout=10000)
    ws = load_workbook(tmp_path / "masked.xlsx")["隔离管控台账"]
    masked_id = ws.cell(3, headers.index("身份证号") + 1).value
    assert masked_id == full_id[:6] + "********" + full_id[14:]
    assert "****" in ws.cell(3, headers.index("联系电话") + 1).value


def test_special_need_shown_in_list_and_outcome_recorded(qtbot, qt_settings, db, community, monkeypatch):
    from community_desk.core.models import SpecialNeed
    from community_desk.gui.windows.quarantine import case_tabs
    cid = _case("王伟", 1)
    nid = items.add_need(cid, "就医", "肿瘤医院复查改约", D(2021, 8, 9), "李书记")
    page = _page(qtbot, START)
    col = [h for _k, h in q.COLUMNS].index("特殊需求")
    assert "肿瘤医院复查改约" in page.cases.model.data(page.cases.model.index(0, col))
    form = CaseForm(None, cid, START)
    qtbot.addWidget(form)
    form.needs_tab.table.selectRow(0)
    monkeypatch.setattr(case_tabs.QInputDialog, "getText", lambda *a, **k: ("已改约到8月20日", True))
    form.needs_tab._outcome()
    assert SpecialNeed.get_by_id(nid).outcome == "已改约到8月20日"
    assert form.needs_tab.model.data(form.needs_tab.model.index(0, 5)) == "已改约到8月20日"
