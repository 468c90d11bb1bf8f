"""导入记录 and the pushes in the import preview (issue 15): the 隔离管控 page's 导入记录… button opens the list of
pushes, whose 导出未导入行… writes the rejected rows with their Excel row and reason; the preview lists only real
changes, lets each conflict be kept or taken, lists the sheets of a day-per-sheet file and asks before importing a
file a second time."""
import datetime as dt

import openpyxl
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from community_desk.core.excel import ledger_import as li
from community_desk.core.excel import ledger_preview as lp
from community_desk.core.models import PushBatch, QuarantineCase
from community_desk.core.rules.idcard import make_id
from community_desk.gui.windows.quarantine.import_dialog import ImportPreviewDialog
from community_desk.gui.windows.quarantine.page import QuarantinePage

D = dt.date
HEADER = ["序号", "姓名", "身份证号码", "手机号", "现居住地址", "来京日期", "管控措施"]


def pid(seq):
    return make_id("110111", D(1980, 1, 1), seq)


def push(path, day, sheets):
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        ws.append([f"推送日期：{day:%Y年%m月%d日}"])
        ws.append(HEADER)
        for seq, name_, phone in rows:
            ws.append([seq, name_, pid(seq) if seq < 90 else "110111", phone, "3号楼501", "2021.8.1", "居家隔离"])
    wb.save(path)
    return path


def _button(widget, text) -> QPushButton:
    return next(b for b in widget.findChildren(QPushButton) if b.text() == text)


def _dialog(qtbot, path):
    dialog = ImportPreviewDialog(None, path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview is not None or bool(dialog.error), timeout=10000)
    return dialog


def test_push_history_button_opens_the_list_and_exports_rejected_rows(qtbot, qt_settings, db, community, tmp_path,
                                                                        monkeypatch):
    path = push(tmp_path / "0805.xlsx", D(2021, 8, 5), {"返京人员": [(1, "肖勇", "13800138000"), (91, "李娜", "")]})
    li.commit(lp.preview(path))
    page = QuarantinePage(today=D(2021, 8, 6))
    qtbot.addWidget(page)
    qtbot.mouseClick(_button(page, "导入记录…"), Qt.MouseButton.LeftButton)
    window = page.push_history
    qtbot.waitUntil(lambda: window.page.search_done() and window.page.model.rowCount() == 1, timeout=10000)
    model = window.page.model
    assert model.data(model.index(0, 0)) == "0805.xlsx" and model.data(model.index(0, 1)) == "2021-08-05"
    assert model.data(model.index(0, 7)) == "1"  # 未导入
    window.page.table.selectRow(0)
    out = tmp_path / "退回"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    qtbot.mouseClick(_button(window, "导出未导入行…"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.page.last_export is not None, timeout=20000)
    rows = [list(r) for r in openpyxl.load_workbook(f"{out}.xlsx").active.iter_rows(values_only=True)]
    data = [r for r in rows if r[2] == "李娜"]
    assert len(data) == 1 and str(data[0][1]) == "4" and "身份证" in data[0][5]
    window.close()


def test_preview_updates_conflicts_and_sheets(qtbot, qt_settings, db, community, tmp_path):
    li.commit(lp.preview(push(tmp_path / "0808.xlsx", D(2021, 8, 8),
                              {"返京人员": [(1, "肖勇", "13911112222"), (2, "王伟", "13800138000")]})))
    older = push(tmp_path / "0805.xlsx", D(2021, 8, 5), {
        "8月4日": [(1, "肖勇", "13800138000"), (2, "王伟", "13800138000")],
        "8月5日": [(3, "李娜", "13700001111")]})
    dialog = _dialog(qtbot, older)
    assert dialog.sheet_list.count() == 2 and dialog.models["new"].rowCount() == 1  # both sheets read
    assert dialog.models["updated"].rowCount() == 0 and "无变化 1 人" in dialog.info.text()
    conflicts = dialog.models["conflicts"]
    assert conflicts.rowCount() == 1 and conflicts.data(conflicts.index(0, 3)) == "13911112222"
    assert conflicts.data(conflicts.index(0, 6)) == "保留现值"
    dialog.tables["conflicts"].selectRow(0)
    qtbot.mouseClick(dialog.take_button, Qt.MouseButton.LeftButton)
    assert conflicts.data(conflicts.index(0, 6)) == "采用名单值"
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.committed is not None, timeout=10000)
    assert QuarantineCase.get(QuarantineCase.id_number == pid(1)).phone == "13800138000"


def test_second_import_of_the_same_file_is_asked(qtbot, qt_settings, db, community, tmp_path, monkeypatch):
    path = push(tmp_path / "a.xlsx", D(2021, 8, 5), {"返京人员": [(1, "肖勇", "13800138000")]})
    li.commit(lp.preview(path))
    dialog = _dialog(qtbot, path)
    assert "导入过" in dialog.info.text()
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No))
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert asked and "仍要再次导入" in asked[0] and dialog.committed is None
    assert PushBatch.select().count() == 1
