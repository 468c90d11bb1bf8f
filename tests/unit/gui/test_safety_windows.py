"""Login, idle lock, accounts, backups and the audit log, driven through their windows."""
import pytest

from community_desk.core import session
from community_desk.core.queries import accounts, residents
from community_desk.gui.dialogs.accounts import AccountsDialog
from community_desk.gui.dialogs.backups import BackupsDialog
from community_desk.gui.dialogs.login import LoginDialog
from community_desk.gui.main_window import MainWindow
from community_desk.gui.windows.audit.window import AuditPage


@pytest.fixture
def admin(community):
    accounts.create_account("admin", "张敏", "s3cret-pw")
    accounts.login("admin", "s3cret-pw")
    return "admin"


def test_login_dialog_says_why_and_keeps_the_user_name(admin, qtbot, qt_settings):
    dialog = LoginDialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username_edit, "admin")
    qtbot.keyClicks(dialog.password_edit, "nope")
    dialog.try_login()
    assert "还可以再试 4 次" in dialog.error_label.text()
    assert dialog.username_edit.text() == "admin" and dialog.password_edit.text() == ""
    qtbot.keyClicks(dialog.password_edit, "s3cret-pw")
    dialog.try_login()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_keys_and_clicks_keep_the_idle_lock_away(admin, qtbot, qt_settings):
    from PySide6.QtCore import Qt

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.watching_activity)  # from just after the first frame
    window.idle_timer.start(1500)
    qtbot.wait(1000)
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    qtbot.wait(1000)  # 2 s since the timer started: without the key press it would have locked
    assert not window.locked
    qtbot.waitUntil(lambda: window.locked, timeout=3000)  # left alone, it locks


def test_idle_lock_hides_the_data_until_the_password_is_given(admin, qtbot, qt_settings):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.idle_timer.isActive()
    window.idle_timer.timeout.emit()  # the idle time has run out
    assert window.locked and not window.centralWidget().isVisible()
    dialog = window.lock_dialog
    assert dialog.username_edit.text() == "admin"
    dialog.password_edit.setText("wrong-pw")
    dialog.try_login()
    assert window.locked
    dialog.password_edit.setText("s3cret-pw")
    dialog.try_login()
    qtbot.waitUntil(lambda: not window.locked)
    assert window.centralWidget().isVisible()


def test_read_only_window_says_so_and_disables_writing(admin, qtbot, qt_settings):
    accounts.create_account("gate", "门岗志愿者", "gate-pass", role="只读")
    accounts.login("gate", "gate-pass")
    window = MainWindow()
    qtbot.addWidget(window)
    assert "只读" in window.windowTitle()
    assert not window.new_action.isEnabled() and not window.accounts_action.isEnabled()


def test_accounts_dialog_adds_a_read_only_account(admin, qtbot, qt_settings):
    dialog = AccountsDialog()
    qtbot.addWidget(dialog)
    dialog.username_edit.setText("gate")
    dialog.name_edit.setText("门岗志愿者")
    dialog.password_edit.setText("123")
    dialog.role_combo.setCurrentText("只读")
    dialog.add_account()
    assert "至少 6 位" in dialog.message.text() and dialog.username_edit.text() == "gate"
    dialog.password_edit.setText("gate-pass")
    dialog.add_account()
    assert dialog.model.rowCount() == 2
    assert dialog.model.data(dialog.model.index(1, 2)) == "只读"


def test_backup_dialog_backs_up_and_restores(admin, qtbot, qt_settings, community):
    residents.save({"name": "王洋", "community_id": community})
    dialog = BackupsDialog()
    qtbot.addWidget(dialog)
    dialog.backup_now()
    assert dialog.model.rowCount() == 1 and "已备份" in dialog.message.text()
    residents.save({"name": "李娜", "community_id": community})
    dialog.table.selectRow(0)
    safety = dialog.restore_selected(ask=False)
    assert safety is not None and residents.count_all() == 1
    assert dialog.model.rowCount() == 2  # the safety copy of the database as it was


def test_audit_page_lists_who_changed_what(admin, qtbot, qt_settings, community):
    rid = residents.save({"name": "王洋", "community_id": community, "phone": "13812345678"})
    form = residents.get_form(rid)
    form["phone"] = "13900001111"
    residents.save(form, rid)
    page = AuditPage()
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() >= 4)
    page.search_edit.setText("13900001111")
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() == 1)
    row = [page.model.data(page.model.index(0, c)) for c in range(6)]
    assert row[1] == "张敏" and row[2] == "修改" and row[3] == "居民"
    assert "13812345678 → 13900001111" in row[5]
    assert session.current.username == "admin"


def test_retention_dialog_reviews_then_anonymises(admin, qtbot, qt_settings, community):
    import datetime as dt

    from community_desk.core.models import QuarantineCase
    from community_desk.core.queries import quarantine as q
    from community_desk.core.rules.idcard import make_id
    from community_desk.gui.dialogs.retention import RetentionDialog

    start = dt.date(2021, 8, 5)
    cid = q.create_case({"name": "王小洋", "id_number": make_id("110111", dt.date(1980, 1, 1), 1),
                         "source": "自排", "classification": "密切接触者", "measure": "居家隔离",
                         "start_date": start.isoformat()}, today=start)
    q.release(cid, "提前解除", dt.date(2021, 8, 10), approved_by="王主任")
    dialog = RetentionDialog()
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 1 and dialog.model.data(dialog.model.index(0, 0)) == "王小洋"
    assert dialog.run(ask=False) == 1
    assert QuarantineCase.get_by_id(cid).name == "王某"
    assert "已匿名化 1 条" in dialog.summary.text() and dialog.model.rowCount() == 0
