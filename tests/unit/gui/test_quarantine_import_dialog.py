"""The import preview dialog: read off the GUI thread, show new / updated / rejected with reasons;
确认导入 writes, 取消 writes nothing, an unreadable file says why."""
import datetime as dt

from openpyxl import Workbook
from PySide6.QtCore import Qt

from community_desk.core.models import PushBatch, QuarantineCase
from community_desk.core.rules.idcard import make_id
from community_desk.gui import tasks
from community_desk.gui.windows.quarantine.import_dialog import ImportPreviewDialog

D = dt.date


def _ledger(path, n=3, bad_rows=1):
    wb = Workbook()
    ws = wb.active
    ws.append(["长阳镇返京人员信息推送表"])
    ws.append(["推送日期：2021年8月5日"])
    ws.append(["序号", "姓名", "身份证号", "联系电话", "现居住地址", "返京日期", "管控措施"])
    for i in range(n):
        ws.append([i + 1, f"王{i}", make_id("110111", D(1980, 1, 1), i), "13800138000", "3号楼501", "2021.8.1",
                   "居家隔离"])
    for i in range(bad_rows):
        ws.append([n + i + 1, "", make_id("110111", D(1981, 1, 1), i), "", "", "", ""])
    wb.save(path)
    return path


def _dialog(qtbot, path):
    dialog = ImportPreviewDialog(None, path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview is not None or bool(dialog.error), timeout=10000)
    return dialog


def test_preview_then_confirm_writes_everything(qtbot, qt_settings, db, community, tmp_path, qtmodeltester):
    dialog = _dialog(qtbot, _ledger(tmp_path / "a.xlsx"))
    assert QuarantineCase.select().count() == 0  # nothing before the confirmation
    assert dialog.models["new"].rowCount() == 3 and dialog.models["rejected"].rowCount() == 1
    qtmodeltester.check(dialog.models["new"])
    rejected = dialog.models["rejected"]
    assert rejected.data(rejected.index(0, 0)) == "7" and rejected.data(rejected.index(0, 2)) == "缺少姓名"
    assert dialog.tabs.tabText(0) == "新增（3）" and "未导入 1 行" in dialog.info.text()
    assert dialog.confirm_button.isEnabled()
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.committed is not None, timeout=10000)
    assert dialog.committed["new"] == 3
    assert QuarantineCase.select().count() == 3 and PushBatch.select().count() == 1


def test_cancel_writes_nothing(qtbot, qt_settings, db, community, tmp_path):
    dialog = _dialog(qtbot, _ledger(tmp_path / "a.xlsx"))
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    tasks.wait_all()
    assert dialog.result() == 0 and dialog.committed is None
    assert QuarantineCase.select().count() == 0 and PushBatch.select().count() == 0


def test_unreadable_file_says_why(qtbot, qt_settings, db, community, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("not excel", encoding="utf-8")
    dialog = _dialog(qtbot, path)
    assert "不是 Excel" in dialog.info.text() and "未写入任何数据" in dialog.info.text()
    assert not dialog.confirm_button.isEnabled()
    assert QuarantineCase.select().count() == 0

