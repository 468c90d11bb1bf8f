"""The service desk (我来办) driven as the office would: take in a request for a resident picked from
the registry, assign it, resolve it, call back, and watch the counts and the navigation entry change;
overdue requests are highlighted; a request about a facility shows in that facility's history."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from community_desk.core.queries import facilities, residents, service_desk
from community_desk.gui import tasks
from community_desk.gui.main_window import MainWindow
from community_desk.gui.windows.service_desk import window as desk_window
from community_desk.gui.windows.service_desk.request_form import RequestForm
from tests.pdf_text import find_button, save_pdf_by_button


@pytest.fixture
def main(qtbot, community, qt_settings):
    residents.save({"name": "王秀英", "gender": "女", "community_id": community, "building": "3号楼", "unit": "2",
                    "room": "501", "phone": "13800138000"})
    w = MainWindow()
    qtbot.addWidget(w)
    page = w.page(desk_window.ServiceDeskPage)
    qtbot.waitUntil(page.search_done)
    yield w, page
    tasks.wait_all()


def nav_text(w: MainWindow, page) -> str:
    return w.nav.item(w.pages.index(page)).text()


def auto(dialog_fn, fill, errors: list | None = None):
    """The real dialog, filled by the 'person'; exec() saves instead of waiting for a click."""
    def make(parent, request_id):
        dialog = dialog_fn(parent, request_id)
        fill(dialog)

        def run():
            dialog.save()
            if errors is not None:
                errors.append(dialog.summary.text())
            return dialog.result()

        dialog.exec = run
        return dialog
    return make


def category(name: str) -> int:
    return next(cid for cid, cname in service_desk.list_categories() if cname == name)


def test_take_in_assign_resolve_follow_up_counts_change(main, qtbot, monkeypatch, qtmodeltester):
    w, page = main
    assert nav_text(w, page) == "我来办"

    def person_takes_in(form: RequestForm) -> int:
        form.resident_search.setText("wxy")  # pinyin initials of 王秀英
        assert form.resident_combo.count() == 2 and form.name_edit.text() == "王秀英"
        assert form.phone_edit.text() == "13800138000" and form.address_edit.text() == "3号楼2单元501"
        form.category_combo.setCurrentIndex(form.category_combo.findText("漏雨"))
        form.description_edit.setPlainText("顶楼卧室天花板漏雨")
        form.save()
        return form.result()

    monkeypatch.setattr(RequestForm, "exec", person_takes_in)
    page.new_record()
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() == 1)
    qtmodeltester.check(page.model)
    row = page.model.row_values(0)
    assert row[0] == f"WLB-{dt.date.today().year}-0001" and row[3] == "王秀英" and row[11] == "待受理"
    assert nav_text(w, page) == "我来办（1）"
    assert "待受理 1" in page.summary_label.text()

    page.table.selectRow(0)
    monkeypatch.setattr(desk_window, "assign_dialog", auto(
        desk_window.assign_dialog, lambda d: d.inputs["assigned_to"].setText("赵国庆")))
    page.assign_selected()
    qtbot.waitUntil(lambda: page.search_done() and page.model.row_values(0)[11] == "处理中")
    assert "处理中 1" in page.summary_label.text() and nav_text(w, page) == "我来办（1）"

    def resolution(d):
        d.inputs["resolution"].setPlainText("联系物业修补屋面防水层")
        d.inputs["solved"].setCurrentText("解决")

    page.table.selectRow(0)
    monkeypatch.setattr(desk_window, "resolve_dialog", auto(desk_window.resolve_dialog, resolution))
    page.resolve_selected()
    qtbot.waitUntil(lambda: page.search_done() and page.model.row_values(0)[11] == "已办结")
    assert nav_text(w, page) == "我来办"  # nothing open any more
    assert "已办结 1" in page.summary_label.text()

    page.table.selectRow(0)
    monkeypatch.setattr(desk_window, "follow_up_dialog", auto(
        desk_window.follow_up_dialog, lambda d: d.inputs["satisfaction"].setCurrentText("满意")))
    page.follow_up_selected()
    qtbot.waitUntil(lambda: page.search_done() and page.model.row_values(0)[11] == "已回访")
    assert page.model.row_values(0)[15] == "满意"
    assert dict(service_desk.counts_by("satisfaction"))["满意"] == 1


def test_a_resolved_request_that_was_not_solved_is_reopened(main, qtbot, monkeypatch):
    w, page = main
    rid = service_desk.take_in({"contact_name": "王秀英", "category_id": category("漏雨"), "description": "顶楼漏雨"})
    service_desk.assign(rid, "赵国庆")
    service_desk.resolve(rid, {"resolution": "修补屋面防水层", "resolved_date": dt.date.today().isoformat(),
                               "solved": "解决"})
    page.refresh()
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() == 1)
    page.table.selectRow(0)
    errors = []
    monkeypatch.setattr(desk_window, "reopen_dialog", auto(desk_window.reopen_dialog, lambda d: None, errors))
    page.reopen_selected()  # no reason given: refused, nothing changes
    assert "请填写重新办理的原因" in errors[0] and service_desk.get(rid)["status"] == "已办结"
    monkeypatch.setattr(desk_window, "reopen_dialog", auto(
        desk_window.reopen_dialog, lambda d: d.inputs["reason"].setText("居民来电：下雨后仍然漏")))
    page.reopen_selected()
    qtbot.waitUntil(lambda: page.search_done() and page.model.row_values(0)[11] == "处理中")
    request = service_desk.get(rid)
    assert request["resolution"].startswith("修补屋面防水层\n") and "重新办理：居民来电：下雨后仍然漏" in request["resolution"]
    assert request["resolved_date"] is None and request["solved"] == "" and nav_text(w, page) == "我来办（1）"
    shown = []
    monkeypatch.setattr(desk_window, "show_error", lambda parent, title, text: shown.append(text))
    page.reopen_selected()  # 处理中 now: only 已办结 can be reopened
    assert "只有已办结的工单可以重新办理" in shown[0]


def test_steps_out_of_order_are_refused(main, qtbot, monkeypatch):
    _w, page = main
    service_desk.take_in({"contact_name": "刘伟", "category_id": category("停电"), "description": "单元停电"})
    page.refresh()
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() == 1)
    messages = []
    monkeypatch.setattr(desk_window, "show_error", lambda _p, _t, message: messages.append(message))
    page.table.selectRow(0)
    page.follow_up_selected()
    assert messages == ["这件工单“待受理”，不能回访"]

    errors: list[str] = []
    page.table.selectRow(0)
    monkeypatch.setattr(desk_window, "resolve_dialog", auto(desk_window.resolve_dialog, lambda d: None, errors))
    page.resolve_selected()  # no resolution typed: refused, the dialog says why
    assert "请填写办理结果" in errors[0]
    assert service_desk.get(page.model.id_at(0))["status"] == "待受理"


def test_overdue_highlighted_and_filtered(main, qtbot):
    _w, page = main
    now = dt.datetime.now().replace(microsecond=0)
    service_desk.take_in({"contact_name": "孙平", "category_id": category("停电"), "description": "楼道停电",
                          "received_at": now - dt.timedelta(days=20), "deadline": (now - dt.timedelta(days=13)).date()})
    service_desk.take_in({"contact_name": "周霞", "category_id": category("漏雨"), "description": "漏雨"})
    page.refresh()
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() == 2)
    assert "逾期 1" in page.summary_label.text()
    late_row = next(r for r in range(2) if page.model.row_values(r)[3] == "孙平")
    brush = page.model.data(page.model.index(late_row, 0), Qt.ItemDataRole.BackgroundRole)
    assert brush.color().name() == "#f8d0d0"
    assert page.model.row_values(late_row)[service_desk.OVERDUE_COLUMN] == "逾期"
    page.overdue_check.setChecked(True)
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() == 1)
    assert page.model.row_values(0)[3] == "孙平"


def test_request_about_a_facility_in_its_history_export_and_print(main, qtbot, monkeypatch, tmp_path):
    _w, page = main
    kind = next(kid for kid, name, _u in facilities.list_kinds() if name == "秋千")
    swing = facilities.save({"kind_id": kind, "name": "儿童乐园秋千", "quantity": "2", "unit": "套",
                             "status": "已完工", "installed_date": "2026-01-10"})

    def person_takes_in(form: RequestForm) -> int:
        form.name_edit.setText("刘伟")
        form.phone_edit.setText("010-6900 1234")
        form.category_combo.setCurrentIndex(form.category_combo.findText("维修"))
        form.description_edit.setPlainText("秋千链条松动")
        form.facility_combo.setCurrentIndex(form.facility_combo.findData(swing))
        form.save()
        return form.result()

    monkeypatch.setattr(RequestForm, "exec", person_takes_in)
    page.new_record()
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() == 1)
    assert page.model.row_values(0)[4] == "010-69001234"
    assert page.model.row_values(0)[16] == "儿童乐园秋千"
    assert any(item["kind"] == "我来办工单" and "秋千链条松动" in item["text"]
               for item in facilities.history(swing))

    out = tmp_path / "requests.xlsx"
    page.export_excel(str(out))
    qtbot.waitUntil(lambda: page.last_export == str(out), timeout=10000)
    stats = {(r[0], r[1]): r[2] for r in load_workbook(out)["统计汇总"].iter_rows(values_only=True) if r[0] and r[1]}
    assert stats[("问题类别", "维修")] == 1 and stats[("办理状态", "待受理")] == 1
    w = page.window()
    w.nav.setCurrentRow(w.pages.index(page))  # the person opens 我来办
    w.show()
    assert save_pdf_by_button(qtbot, monkeypatch, find_button(page, "另存为PDF"), tmp_path / "month.pdf") == 1


def test_a_step_dialog_grows_to_show_its_messages(main, qtbot):
    """The refused 重新办理 with its two-line note: the field keeps its height, the messages are not squeezed."""
    rid = service_desk.take_in({"contact_name": "王秀英", "category_id": category("漏雨"), "description": "顶楼漏雨"})
    service_desk.assign(rid, "赵国庆")
    service_desk.resolve(rid, {"resolution": "联系物业修补屋面防水层，并检查了相邻两户的天花板和外墙的裂缝",
                               "resolved_date": dt.date.today().isoformat(), "solved": "解决"})
    dialog = desk_window.reopen_dialog(None, rid)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.save()  # no reason
    qtbot.wait(50)
    field = dialog.inputs["reason"]
    assert dialog.errors["reason"].isVisible() and field.height() >= field.sizeHint().height()
    assert dialog.height() >= dialog.layout().totalHeightForWidth(dialog.width())
