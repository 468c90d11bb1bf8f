"""The ListPage base, driven as a person would, through a small page declared here over the volunteer table:
type in the search box, pick a filter, select a row and refresh (the selection stays), press 删除 and answer
the question, 导出Excel into a chosen file, 另存为PDF, Enter and Delete on the table."""
from __future__ import annotations

import os

import openpyxl
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from community_desk.core.excel.volunteers_export import export_volunteers
from community_desk.core.models.volunteers import VOLUNTEER_KINDS
from community_desk.core.queries import volunteers
from community_desk.gui import printing, tasks
from community_desk.gui.list_page import Action, Check, Combo, ListPage
from community_desk.gui.page import bus
from tests.pdf_text import find_button, pdf_text, save_pdf_by_button

PEOPLE = [("李娜", "老党员", True), ("王强", "在职党员", True), ("王小明", "普通居民", True), ("赵敏", "老党员", False)]


class RosterPage(ListPage):
    """What a module page declares: columns, filters, buttons, words; nothing of the mechanism."""
    title = "志愿者名单"
    columns = volunteers.COLUMNS
    widths = (80, 70)
    filter_type = volunteers.VolunteerFilter
    sort_key = "name"
    search_hint = "搜索：姓名 / 拼音首字母"
    filters = (Combo("kind_filter", "kind", "类别", [(k, k) for k in VOLUNTEER_KINDS], all_text="全部类别"),
               Check("active_check", "active_only", "只看在队"))
    record_table = "volunteer"
    tables = ("volunteer",)
    count_text = "列出 {shown} 人（共 {total} 人）"
    new_text = "新增"
    delete_text = "删除"
    delete_title = "删除志愿者"
    setup_actions = (Action("数一数", "count_them"),)
    export_text = "导出Excel"
    export_done = "已导出 {count} 人到 {path}"
    print_text = "打印预览"
    file_name = "志愿者名单"

    def __init__(self, parent=None):
        self.opened: list[int | None] = []
        self.counted: list = []
        super().__init__(parent)

    def load_rows(self, ids):
        return volunteers.load_rows(ids)

    def find(self, flt, limit=None):
        ids = volunteers.search_ids(flt)
        return ids[:limit] if limit else ids

    def find_more(self, flt, stale):
        return volunteers.count_all()

    def show_more(self, more):
        self.total = more

    def open_record(self, record_id):
        self.opened.append(record_id)
        return False

    def count_them(self, how_many=None):
        self.counted.append(how_many)  # a slot with an optional parameter: Qt's `checked` must not arrive in it

    def delete_records(self, ids):
        volunteers.delete(ids)

    def export_work(self, path, flt):
        return lambda progress: export_volunteers(path, flt, progress)

    def print_document(self):
        ids = list(self.model.ids())
        return lambda: printing.TableSheet(title="志愿者名单", headers=["姓名"],
                                           rows=[(row[0],) for row in volunteers.iter_rows(ids)])


@pytest.fixture
def page(community, qtbot, qt_settings):
    team = volunteers.ensure_team("大爱原香", community)
    for name, kind, active in PEOPLE:
        volunteers.save({"name": name, "kind": kind, "team_id": team, "active": active})
    widget = RosterPage()
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    qtbot.waitUntil(lambda: widget.search_done() and widget.model.rowCount() == 4)
    yield widget
    tasks.wait_all()


def names(page) -> list[str]:
    return [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())]


def selected_names(page) -> list[str]:
    rows = volunteers.load_rows(page.selected_ids())
    return [rows[i][0] for i in page.selected_ids()]


def settle(page, qtbot, count: int) -> None:
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() == count)


def answer_next_question(qtbot, answer=QMessageBox.StandardButton.Yes) -> list[str]:
    """Click `answer` in the next message box, as a person reading it would; returns what it said."""
    said: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        said.append(box.text())
        qtbot.mouseClick(box.button(answer), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, click)
    return said


def test_the_model_passes_the_model_tester(page, qtmodeltester):
    qtmodeltester.check(page.model, force_py=True)


def test_typing_narrows_the_list_and_the_status_says_so(page, qtbot):
    assert page.count_label.text() == "列出 4 人（共 4 人）"
    qtbot.keyClicks(page.search_edit, "w")
    settle(page, qtbot, 2)
    assert sorted(names(page)) == ["王小明", "王强"]
    qtbot.keyClicks(page.search_edit, "q")
    settle(page, qtbot, 1)
    assert names(page) == ["王强"] and page.count_label.text() == "列出 1 人（共 4 人）"


def test_filters_and_sorting_by_the_header(page, qtbot):
    page.kind_filter.setCurrentIndex(page.kind_filter.findText("老党员"))
    settle(page, qtbot, 2)
    assert sorted(names(page)) == ["李娜", "赵敏"]
    qtbot.mouseClick(page.active_check, Qt.MouseButton.LeftButton)
    settle(page, qtbot, 1)
    assert names(page) == ["李娜"]
    page.kind_filter.setCurrentIndex(0)
    settle(page, qtbot, 3)
    assert names(page) == ["李娜", "王强", "王小明"]  # pinyin order: li, wangqiang, wangxiaoming
    page.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: page.search_done() and names(page) == ["王小明", "王强", "李娜"])
    page.set_filters(kind="老党员")  # as a link from the home screen: every other filter back to its default
    qtbot.waitUntil(lambda: page.search_done() and sorted(names(page)) == ["李娜", "赵敏"])
    assert not page.active_check.isChecked()


def test_the_selection_is_kept_by_id_across_refreshes(page, qtbot, community):
    page.table.selectRow(names(page).index("王强"))
    page.refresh()
    settle(page, qtbot, 4)
    assert selected_names(page) == ["王强"]
    volunteers.save({"name": "阿明", "kind": "普通居民"})  # sorts first: every row moves down one
    bus.data_changed.emit("volunteer")
    settle(page, qtbot, 5)
    assert names(page)[0] == "阿明" and selected_names(page) == ["王强"]
    bus.data_changed.emit("gate_entry")  # not a table this page shows: nothing is searched again
    assert page.search_done() and page.searches.started == page.searches.shown


def test_a_long_result_first_then_the_rest_with_the_selection(page, qtbot, monkeypatch):
    page.table.selectRow(3)  # 赵敏, the last: not in the first page
    monkeypatch.setattr(page, "first_page", 2)
    page.refresh()
    qtbot.waitUntil(page.search_complete)
    assert page.model.rowCount() == 4 and selected_names(page) == ["赵敏"]


def test_delete_asks_and_removes(page, qtbot):
    page.table.selectRow(names(page).index("赵敏"))
    said = answer_next_question(qtbot, QMessageBox.StandardButton.No)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert said == ["确定删除选中的 1 条记录？此操作记入操作日志。"] and volunteers.count_all() == 4
    said = answer_next_question(qtbot)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    settle(page, qtbot, 3)
    assert "赵敏" not in names(page) and volunteers.count_all() == 3


def test_enter_opens_and_delete_key_deletes_on_the_table(page, qtbot):
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    page.table.selectRow(0)
    first = page.model.id_at(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.opened == [first]
    where = page.table.visualRect(page.model.index(1, 0)).center()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=where)  # a double click: press,
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=where)  # release, press again
    assert page.opened == [first, page.model.id_at(1)]
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert page.opened[-1] is None
    page.table.setFocus()  # back in the table (the button took the focus)
    qtbot.waitUntil(page.table.hasFocus)
    answer_next_question(qtbot)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    settle(page, qtbot, 3)
    assert volunteers.count_all() == 3


def test_buttons_never_pass_qts_checked_argument(page, qtbot):
    qtbot.mouseClick(find_button(page, "数一数"), Qt.MouseButton.LeftButton)
    assert page.counted == [None]


def test_export_writes_the_listed_rows_to_the_chosen_file(page, qtbot, tmp_path, monkeypatch):
    qtbot.keyClicks(page.search_edit, "w")
    settle(page, qtbot, 2)
    out = tmp_path / "名单"
    asked = []

    def choose(parent, title, start, kinds):
        asked.append((title, start))
        return str(out), kinds

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.count_label.text().startswith("已导出"), timeout=20000)
    assert asked[0][0] == "导出Excel" and os.path.basename(asked[0][1]).startswith("志愿者名单_")
    assert page.count_label.text() == f"已导出 2 人到 {out}.xlsx"
    sheet = openpyxl.load_workbook(f"{out}.xlsx", read_only=True).worksheets[0]
    cells = {cell for row in sheet.iter_rows(values_only=True) for cell in row}
    assert {"王强", "王小明"} <= cells and "李娜" not in cells


def test_save_pdf_of_the_list(page, qtbot, tmp_path, monkeypatch):
    out = tmp_path / "名单.pdf"
    assert save_pdf_by_button(qtbot, monkeypatch, find_button(page, "另存为PDF"), out) == 1
    assert "志愿者名单" in pdf_text(out)
