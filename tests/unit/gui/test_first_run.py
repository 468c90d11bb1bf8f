"""The first-start dialog (欢迎使用社区工作台) as a person fills it: Tab moves between the fields, 开始使用 stores it."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton

from community_desk.core import session
from community_desk.core.queries import communities
from community_desk.core.queries import settings as office_settings
from community_desk.gui.dialogs.first_run import FirstRunDialog


def type_chinese(widget, text: str) -> None:
    """As an input method types (qtbot.keyClicks with Chinese aborts the process)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def shown_dialog(qtbot) -> FirstRunDialog:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.communities_edit.setFocus()
    qtbot.waitUntil(lambda: dialog.communities_edit.hasFocus(), timeout=5000)
    return dialog


def test_tab_in_the_community_names_moves_to_the_next_field(db, qtbot, qt_settings):
    dialog = shown_dialog(qtbot)
    type_chinese(dialog.communities_edit, "原乡小镇")
    qtbot.keyClick(dialog.communities_edit, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: dialog.office_edit.hasFocus(), timeout=5000)
    assert dialog.communities_edit.toPlainText() == "原乡小镇"  # no tab character typed
    qtbot.keyClick(dialog.office_edit, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: dialog.communities_edit.hasFocus(), timeout=5000)
    qtbot.keyClick(dialog.communities_edit, Qt.Key.Key_Return)  # a new line is the next community
    type_chinese(dialog.communities_edit, "天瑞嘉园")
    assert dialog.communities_edit.toPlainText() == "原乡小镇\n天瑞嘉园"


def test_a_person_fills_the_form_and_presses_start(db, qtbot, qt_settings):
    dialog = shown_dialog(qtbot)
    type_chinese(dialog.communities_edit, "原乡小镇、天瑞嘉园")
    qtbot.keyClick(dialog.communities_edit, Qt.Key.Key_Tab)
    type_chinese(dialog.office_edit, "长阳镇原乡小镇社区居委会")
    qtbot.keyClick(dialog.office_edit, Qt.Key.Key_Tab)
    type_chinese(dialog.reporter_edit, "张敏")
    qtbot.keyClick(dialog.reporter_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.admin_edit, "admin")
    qtbot.keyClick(dialog.admin_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.password_edit, "secret-1")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.password_again, "secret-2")
    start = next(b for b in dialog.findChildren(QPushButton) if b.text() == "开始使用")
    assert dialog.findChild(QDialogButtonBox).buttonRole(start) == QDialogButtonBox.ButtonRole.AcceptRole
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    assert "不一致" in dialog.error_label.text() and dialog.isVisible()
    assert communities.list_communities() == []
    dialog.password_again.clear()
    qtbot.keyClicks(dialog.password_again, "secret-1")
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert [name for _id, name in communities.list_communities()] == ["原乡小镇", "天瑞嘉园"]
    assert office_settings.get("office_name") == "长阳镇原乡小镇社区居委会"
    assert office_settings.get("reporter_name") == "张敏"
    assert session.current.username == "admin" and session.current.role == "管理员"
