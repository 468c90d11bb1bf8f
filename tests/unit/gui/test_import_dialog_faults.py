"""The import dialog when nothing can be imported or the database is busy (issue 14 items 8, 9): the reason is
shown in the dialog, 确认导入 stays disabled or the write fails whole, nothing is written."""
import datetime as dt
import sqlite3

from PySide6.QtCore import Qt

from community_desk.core.models import AuditLog, PushBatch, QuarantineCase
from community_desk.core.rules.idcard import make_id
from community_desk.gui.windows.quarantine.import_dialog import ImportPreviewDialog
from tests.hostile_xlsx import people_rows, write_xlsx


def _dialog(qtbot, path):
    dialog = ImportPreviewDialog(None, path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview is not None or bool(dialog.error), timeout=10000)
    return dialog


def test_a_header_only_file_cannot_be_confirmed(qtbot, qt_settings, db, community, tmp_path):
    dialog = _dialog(qtbot, write_xlsx(tmp_path / "empty.xlsx", people_rows([])))
    assert not dialog.confirm_button.isEnabled()
    assert "没有可导入的人员" in dialog.info.text()


def test_a_busy_database_is_named_in_the_dialog_and_nothing_is_written(qtbot, qt_settings, db, community, tmp_path,
                                                                        db_path):
    path = write_xlsx(tmp_path / "a.xlsx", people_rows([[1, "王伟", make_id("110111", dt.date(1980, 1, 1), 1),
                                                          "13800138000", "3号楼", "原乡小镇", "2021-08-01", "居家隔离"]]))
    dialog = _dialog(qtbot, path)
    assert dialog.confirm_button.isEnabled()
    audit = AuditLog.select().count()
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(dialog.error), timeout=30000)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "数据库正被另一台电脑" in dialog.info.text() and dialog.committed is None
    assert QuarantineCase.select().count() == 0 and PushBatch.select().count() == 0
    assert AuditLog.select().count() == audit


def test_the_conflict_buttons_show_only_when_the_file_has_conflicts(qtbot, qt_settings, db, community, tmp_path):
    dialog = _dialog(qtbot, write_xlsx(tmp_path / "a.xlsx", people_rows([[1, "王伟", make_id("110111", dt.date(1980, 1, 1), 1),
                                                                         "13800138000", "3号楼", "原乡小镇", "2021-08-01",
                                                                         "居家隔离"]])))
    dialog.show()
    qtbot.waitUntil(lambda: dialog.confirm_button.isEnabled(), timeout=10000)
    assert not dialog.take_button.isVisible() and not dialog.keep_button.isVisible()
