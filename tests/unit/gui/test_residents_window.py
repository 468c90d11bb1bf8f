"""The resident registry window, driven as a person would."""
import datetime as dt

import openpyxl
import pytest
from PySide6.QtCore import Qt

from community_desk.core.models import Resident
from community_desk.core.queries import residents
from community_desk.core.rules.idcard import make_id
from community_desk.gui.windows.residents.form import ResidentForm
from community_desk.gui.windows.residents.window import ResidentsPage

ID_A = make_id("110111", dt.date(1956, 3, 12), 21)
ID_B = make_id("110111", dt.date(1990, 7, 1), 42)


@pytest.fixture
def page(community, qtbot, qt_settings):
    residents.save({"name": "王洋", "community_id": community, "id_number": ID_A, "phone": "13812345678",
                    "building": "3", "unit": "2", "room": "501", "tags": ["老年人"]})
    residents.save({"name": "李娜", "community_id": community, "phone": "13900001111", "building": "7"})
    residents.save({"name": "王小明", "community_id": community, "building": "3"})
    widget = ResidentsPage()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.search_done() and widget.model.rowCount() == 3)
    return widget


def shown_names(page):
    return [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())]


def test_typing_in_the_search_box_narrows_the_rows(page, qtbot):
    qtbot.keyClicks(page.search_edit, "w")
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() == 2)
    assert sorted(shown_names(page)) == ["王小明", "王洋"]
    assert page._within(residents.ResidentFilter(text="wy"), page._changes_shown) is not None  # 'y' looks at these two
    qtbot.keyClicks(page.search_edit, "y")
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() == 1)
    assert shown_names(page) == ["王洋"]
    assert "找到 1 人" in page.count_label.text()
    page.search_edit.clear()
    qtbot.keyClicks(page.search_edit, "1390000")
    qtbot.waitUntil(lambda: page.search_done() and shown_names(page) == ["李娜"])


def test_tag_filter_and_sort_by_clicking_the_header(page, qtbot):
    page.tag_filter.setCurrentIndex(page.tag_filter.findText("老年人"))
    qtbot.waitUntil(lambda: page.search_done() and shown_names(page) == ["王洋"])
    page.tag_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() == 3)
    assert shown_names(page) == ["李娜", "王小明", "王洋"]  # pinyin order: li, wangxiaoming, wangyang
    page.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: page.search_done() and shown_names(page) == ["王洋", "王小明", "李娜"])


def test_add_a_resident_through_the_form(page, qtbot, community):
    form = ResidentForm(page)
    qtbot.addWidget(form)
    form.name_edit.setText("赵敏")
    qtbot.keyClicks(form.id_edit, ID_B)
    assert "有效" in form.id_hint.text() and form.birth_edit.text() == "1990-07-01"
    qtbot.keyClicks(form.phone_edit, "139 1234 5678")
    form.building_combo.setEditText("5号楼")
    qtbot.keyClicks(form.room_edit, "302")
    form.tag_checks["党员"].setChecked(True)
    qtbot.mouseClick(form.buttons.button(form.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert form.result() == form.DialogCode.Accepted
    saved = Resident.get(Resident.name == "赵敏")
    assert saved.phone == "13912345678" and saved.address == "5号楼302" and saved.floor == 3
    page.refresh()
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() == 4)


def test_a_bad_id_is_refused_and_the_form_keeps_what_was_typed(page, qtbot):
    form = ResidentForm(page)
    qtbot.addWidget(form)
    form.name_edit.setText("钱多多")
    wrong = ID_B[:-1] + ("1" if ID_B[-1] != "1" else "2")
    qtbot.keyClicks(form.id_edit, wrong)
    assert f"应为 {ID_B[-1]}" in form.errors["id_number"].text()  # said while typing
    qtbot.keyClicks(form.phone_edit, "13700000000")
    qtbot.mouseClick(form.buttons.button(form.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert form.result() != form.DialogCode.Accepted
    assert "身份证号" in form.summary.text()
    assert form.name_edit.text() == "钱多多" and form.id_edit.text() == wrong
    assert form.phone_edit.text() == "13700000000"
    assert Resident.select().where(Resident.name == "钱多多").count() == 0


def test_duplicate_id_in_form_names_who_has_it(page, qtbot):
    form = ResidentForm(page)
    qtbot.addWidget(form)
    form.name_edit.setText("孙丽")
    form.id_edit.setText(ID_A)
    form.save()
    assert "王洋" in form.errors["id_number"].text()


def test_edit_an_existing_resident(page, qtbot):
    rid = Resident.get(Resident.name == "李娜").id
    form = ResidentForm(page, rid)
    qtbot.addWidget(form)
    assert form.phone_edit.text() == "13900001111"
    form.phone_edit.setText("13900002222")
    form.save()
    assert Resident.get_by_id(rid).phone == "13900002222"


def test_export_from_the_window(page, qtbot, tmp_path):
    out = tmp_path / "居民.xlsx"
    page.export_excel(str(out), mask=False)
    qtbot.waitUntil(lambda: out.exists() and "已导出" in page.count_label.text(), timeout=10000)
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[2]][:3] == ["序号", "姓名", "性别"]
    ids = [ws.cell(r, 5) for r in range(3, 6)]
    assert any(c.value == ID_A and c.data_type == "s" for c in ids)
    assert "填报单位" in ws.cell(ws.max_row, 1).value


def test_print_the_list_as_pdf(page, qtbot, tmp_path, monkeypatch):
    from tests.pdf_text import find_button, save_pdf_by_button

    out = tmp_path / "居民.pdf"
    assert save_pdf_by_button(qtbot, monkeypatch, find_button(page, "另存为PDF"), out) == 1
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000


def test_delete_selected_asks_and_removes(page, qtbot, monkeypatch):
    from community_desk.gui import list_page

    monkeypatch.setattr(list_page, "confirm", lambda *a: True)
    page.table.selectRow(0)
    page.delete_selected()
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() == 2)
    assert Resident.select().count() == 2


def test_a_long_result_shows_its_first_page_then_the_rest(page, qtbot, monkeypatch):
    monkeypatch.setattr(page, "first_page", 2)
    page.search_edit.setText("")
    page.run_search()
    qtbot.waitUntil(page.search_complete)
    assert page.model.rowCount() == 3
    assert page.status_text() == "共 3 人"


@pytest.mark.child_process
def test_print_preview_button_shows_and_paints(page, qtbot, monkeypatch):
    from tests.pdf_text import find_button, preview_by_button

    page.show()
    title, pages = preview_by_button(qtbot, monkeypatch, find_button(page, "打印预览"))
    assert title == "打印预览 - " + page.print_document()().title and pages >= 1


def test_an_office_adds_its_own_tag_and_uses_it(page, qtbot, monkeypatch):
    from community_desk.gui.windows.residents import window

    errors = []
    monkeypatch.setattr(window, "show_error", lambda _p, _t, message: errors.append(message))
    assert page.add_tag(name="失独家庭") is not None
    assert page.tag_filter.findText("失独家庭") >= 0
    assert page.add_tag(name="失独家庭") is None and "已经有了" in errors[-1]
    form = ResidentForm(page)
    qtbot.addWidget(form)
    assert "失独家庭" in form.tag_checks


def test_the_form_names_the_other_members_of_the_household(page, qtbot, community):
    residents.save({"name": "张建国", "community_id": community, "household_number": "3-2-501",
                    "relation_to_head": "户主"})
    form = ResidentForm(page)
    qtbot.addWidget(form)
    form.household_edit.setText("3-2-501")
    form.household_edit.editingFinished.emit()
    assert "张建国（户主）" in form.household_hint.text()
    form.household_edit.setText("9-9-999")
    form.household_edit.editingFinished.emit()
    assert "新建一户" in form.household_hint.text()


def test_deleting_the_last_member_removes_the_household(community):
    from community_desk.core.models import Household

    rid = residents.save({"name": "张建国", "community_id": community, "household_number": "3-2-501"})
    assert Household.select().count() == 1
    residents.delete([rid])
    assert Household.select().count() == 0


def test_qt_dialogs_speak_chinese(qapp):
    from PySide6.QtWidgets import QDialogButtonBox

    from community_desk.gui.bootstrap import install_translations

    assert install_translations(qapp)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert sorted(b.text() for b in box.buttons()) == sorted(["确定", "取消"])


def test_the_printed_list_names_each_persons_community(page, qtbot, community):
    """An office serving several communities has a 3号楼 in each: the printed list says whose."""
    from community_desk.core.queries import communities
    from community_desk.gui.windows.residents.list_print import all_residents_sheet

    [other] = communities.ensure_communities(["天瑞嘉园"])
    residents.save({"name": "赵敏", "community_id": other, "building": "3"})
    sheet = all_residents_sheet()
    column = sheet.headers.index("所属社区")
    shown = {row[sheet.headers.index("姓名")]: row[column] for row in sheet.rows}
    assert shown["赵敏"] == "天瑞嘉园" and shown["王洋"] == "原乡小镇"
