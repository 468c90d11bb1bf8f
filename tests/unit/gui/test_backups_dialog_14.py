"""Issue 14 item 1 in the window: 备份与恢复 offers backing up and restoring to an administrator only."""
from PySide6.QtCore import Qt

from community_desk.core import session, startup
from community_desk.core.queries import residents
from community_desk.gui.dialogs.backups import BackupsDialog


def test_a_staff_or_read_only_account_is_not_offered_backup_or_restore(db_path, qtbot, qt_settings, community):
    residents.save({"name": "王洋", "community_id": community})
    startup.backup_now(db_path, "manual")
    residents.save({"name": "李娜", "community_id": community})
    for role in ("只读", "工作人员"):
        session.current = session.Session("某人", role)
        dialog = BackupsDialog()
        qtbot.addWidget(dialog)
        assert dialog.model.rowCount() == 1  # the list is shown
        assert not dialog.backup_button.isEnabled() and not dialog.restore_button.isEnabled()
        assert "只有管理员" in dialog.message.text()
        qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)  # a disabled button does nothing
        dialog.table.selectRow(0)
        assert dialog.restore_selected(ask=False) is None  # and core refuses a call that gets past it
        assert "只有管理员" in dialog.message.text()
        assert dialog.model.rowCount() == 1 and residents.count_all() == 2
    session.current = session.Session("张敏", "管理员")
    dialog = BackupsDialog()
    qtbot.addWidget(dialog)
    assert dialog.backup_button.isEnabled() and dialog.restore_button.isEnabled()
