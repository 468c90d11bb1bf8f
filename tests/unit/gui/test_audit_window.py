"""The audit log (操作日志) and a case's change history (变更记录) read in Chinese, as a person sees them."""
import datetime as dt

from PySide6.QtCore import Qt

from community_desk.core.models import AuditLog
from community_desk.core.queries import quarantine as q
from community_desk.core.queries import quarantine_items as items
from community_desk.core.rules.idcard import make_id
from community_desk.gui.windows.audit.window import AuditPage
from community_desk.gui.windows.quarantine.case_form import CaseForm

D = dt.date
START = D(2021, 8, 5)


def _case():
    return q.create_case({"name": "王伟", "id_number": make_id("110111", D(1980, 1, 1), 1), "phone": "13800138000",
                          "address": "3号楼501", "start_date": START.isoformat()}, today=START)


def _rows(page):
    model = page.model
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_audit_page_shows_a_result_change_in_chinese(qtbot, qt_settings, db, community):
    AuditLog.delete().execute()  # the set-up's lines (new community, office settings) are not what this reads
    cid = _case()
    test_id = items.tests_of(cid)[0]["id"]
    items.record_result(test_id, "待出", sampling_date=START)
    items.record_result(test_id, "阴性", sampling_date=START)
    items.record_result(test_id, "阴性", sampling_date=START)  # no change: no line
    page = AuditPage()
    qtbot.addWidget(page)
    page.from_edit.setDate(page.from_edit.date().addYears(-10))
    page.show()
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() == 3, timeout=10000)
    labels = [page.table_filter.itemText(i) for i in range(page.table_filter.count())]
    assert labels == ["全部", "隔离人员"]
    page.search_edit.setText("核酸结果")  # the Chinese name of the field finds the change
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() == 1, timeout=10000)
    newest = _rows(page)[0]
    assert newest[2:4] == ["核酸结果", "隔离人员"] and newest[5] == "核酸结果：待出 → 阴性"
    assert all("result" not in (row[5] or "") for row in _rows(page))
    assert page.status_text() == "共 1 条操作记录"


def test_case_history_tab_reads_in_chinese(qtbot, qt_settings, db, community):
    cid = _case()
    form = CaseForm(None, cid, START)
    qtbot.addWidget(form)
    form.tests_tab.table.selectRow(0)
    qtbot.mouseClick(form.tests_tab.buttons.itemAt(1).widget(), Qt.MouseButton.LeftButton)  # 阴性
    again = CaseForm(None, cid, START)
    qtbot.addWidget(again)
    model = again.history_tab.model
    first = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert first[2] == "核酸结果" and first[4].startswith("核酸结果：待出 → 阴性；采样日期：（空） → 2021-08-05")
