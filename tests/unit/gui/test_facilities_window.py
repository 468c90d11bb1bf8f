"""The facility log window driven as the office would: add a facility with a photo, record a
repair, see the totals and history change, a missing photo shown as a placeholder, export and print."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialog

from community_desk.core.queries import facilities
from community_desk.gui import tasks
from community_desk.gui.windows.facilities import window as facilities_window
from community_desk.gui.windows.facilities.form import FacilityForm
from community_desk.gui.windows.facilities.photos import MISSING_TEXT
from tests.pdf_text import find_button, save_pdf_by_button

INSTALLED = (dt.date.today() - dt.timedelta(days=30)).isoformat()


@pytest.fixture
def page(qtbot, community, qt_settings):
    p = facilities_window.FacilitiesPage()
    qtbot.addWidget(p)
    qtbot.waitUntil(p.search_done)
    yield p
    tasks.wait_all()


def small_png(path) -> str:
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7bd5"))
    assert image.save(str(path))
    return str(path)


def fill_form(form: FacilityForm, kind: str, name: str, quantity: str, cost: str = "") -> None:
    form.kind_combo.setCurrentIndex(form.kind_combo.findText(kind))
    form.name_edit.setText(name)
    form.quantity_edit.setText(quantity)
    form.installed_edit.setText(INSTALLED)
    form.location_edit.setText("儿童乐园")
    form.cost_edit.setText(cost)


def test_add_facility_with_photo_then_repair(page, qtbot, tmp_path, db_path, monkeypatch, qtmodeltester):
    png = small_png(tmp_path / "swing.png")

    def person_fills(form: FacilityForm) -> int:
        fill_form(form, "秋千", "儿童乐园秋千", "2", "7800.50")
        assert form.unit_combo.currentText() == "套"  # the kind's usual unit
        form.add_photo_files([png])
        assert form.photo_list.count() == 1  # shown before saving
        form.save()
        return form.result()

    monkeypatch.setattr(FacilityForm, "exec", person_fills)
    page.new_record()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert "秋千 2 套" in page.totals_label.text()
    fid = page.model.id_at(0)
    [photo] = facilities.list_photos(fid)
    assert photo["exists"] and photo["path"].parent == db_path.parent / "photos"
    qtmodeltester.check(page.model)

    form = FacilityForm(page, fid)
    qtbot.addWidget(form)
    assert form.photo_list.count() == 1 and form.photo_list.missing == 0
    assert not form.photo_list.item(0).icon().isNull()
    dialog = form.make_event_dialog("维修")
    dialog.inputs["who"].setText("李师傅")
    dialog.inputs["found"].setPlainText("链条断裂，更换链条")
    dialog.inputs["cost"].setText("350.5")
    assert dialog.inputs["new_status"].currentData() == "维修中"
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    form.after_event()
    lines = [form.history_list.item(i).text() for i in range(form.history_list.count())]
    assert any("【维修】" in line and "350.50" in line for line in lines)
    assert form.status_combo.currentText() == "维修中"
    assert "350.50" in form.repair_total.text()

    # the list learns of it: status column and colour
    page.refresh()
    qtbot.waitUntil(lambda: page.search_done() and page.model.row_values(0)[facilities.STATUS_COLUMN] == "维修中")
    colour = page.model.data(page.model.index(0, 0), Qt.ItemDataRole.BackgroundRole)
    assert colour.color().name() == "#fff4c2"


def test_refused_form_keeps_typing_and_names_the_field(page, qtbot):
    form = FacilityForm(page)
    qtbot.addWidget(form)
    fill_form(form, "休闲座椅", "中心花园座椅", "12", "1.234")
    form.save()
    assert form.result() != QDialog.DialogCode.Accepted
    assert "两位小数" in form.errors["cost"].text()
    assert form.name_edit.text() == "中心花园座椅" and form.cost_edit.text() == "1.234"
    assert facilities.count_all() == 0


def test_missing_photo_shows_placeholder(page, qtbot, tmp_path):
    fid = facilities.save({"kind_id": facilities.list_kinds()[0][0], "name": "座椅", "quantity": "28", "unit": "套",
                           "status": "已完工", "installed_date": INSTALLED})
    facilities.add_photo(fid, small_png(tmp_path / "bench.png"))
    facilities.list_photos(fid)[0]["path"].unlink()
    form = FacilityForm(page, fid)
    qtbot.addWidget(form)
    assert form.photo_list.missing == 1
    assert MISSING_TEXT in form.photo_list.item(0).text()
    assert not form.photo_list.item(0).icon().isNull()


def test_totals_planned_group_filters_export_and_print(page, qtbot, tmp_path, monkeypatch):
    kinds = {name: kid for kid, name, _u in facilities.list_kinds()}
    for name, qty in (("中心花园座椅", "12"), ("步道座椅", "10"), ("南侧座椅", "6")):
        facilities.save({"kind_id": kinds["休闲座椅"], "name": name, "quantity": qty, "unit": "套", "status": "已完工",
                         "installed_date": INSTALLED, "cost": "1800.10"})
    facilities.save({"kind_id": kinds["乒乓球桌"], "name": "乒乓球桌", "quantity": "2", "unit": "台",
                     "status": "已完工", "installed_date": "2025-01-01"})
    facilities.save({"kind_id": kinds["电动车充电桩"], "name": "充电桩", "quantity": "20", "unit": "台",
                     "status": "规划中", "next_step": "征求居民意见"})
    page.refresh()
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() == 4)
    assert page.totals_label.text() == "在用设施合计：休闲座椅 28 套　乒乓球桌 2 台"
    assert page.planned_model.rowCount() == 1
    assert page.planned_model.data(page.planned_model.index(0, 9)) == "征求居民意见"
    page.kind_filter.setCurrentIndex(page.kind_filter.findText("休闲座椅"))
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() == 3)
    page.kind_filter.setCurrentIndex(0)
    page.overdue_check.setChecked(True)  # the table installed long ago was never inspected
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() == 1)
    assert page.model.data(page.model.index(0, 1)) == "乒乓球桌"
    page.overdue_check.setChecked(False)
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() == 4)

    out = tmp_path / "log.xlsx"
    page.export_excel(str(out))
    qtbot.waitUntil(lambda: page.last_export == str(out), timeout=10000)
    totals = {row[0]: row for row in load_workbook(out)["分类汇总"].iter_rows(values_only=True)}
    assert totals["休闲座椅"][5] == 28 and str(totals["休闲座椅"][10]) == "5400.3"
    page.show()
    assert save_pdf_by_button(qtbot, monkeypatch, find_button(page, "另存为PDF"), tmp_path / "log.pdf") == 1
