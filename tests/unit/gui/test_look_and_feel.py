"""Look and feel: shortcuts on the frequent actions, the resident form's tab order, sizes on a 1366 x 768 screen."""
from __future__ import annotations

import warnings

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox

from community_desk.core import demo
from community_desk.gui import icons
from community_desk.gui.dialogs.accounts import AccountsDialog
from community_desk.gui.dialogs.backups import BackupsDialog
from community_desk.gui.dialogs.help import HelpDialog
from community_desk.gui.main_window import MainWindow
from community_desk.gui.windows.facilities.form import FacilityForm
from community_desk.gui.windows.quarantine.case_form import CaseForm
from community_desk.gui.windows.residents.form import ResidentForm
from community_desk.gui.windows.service_desk.request_form import RequestForm


def _activate(widget) -> None:
    with warnings.catch_warnings():  # offscreen windows become active only when told so
        warnings.simplefilter("ignore", DeprecationWarning)
        QApplication.setActiveWindow(widget)


def _menu_actions(window):
    for top in window.menuBar().actions():
        for action in top.menu().actions():
            if not action.isSeparator():
                yield top.text(), action


def test_frequent_actions_have_shortcuts_and_none_is_used_twice(community, qtbot, qt_settings):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: any(a.text() == "导入市派名单…" for _m, a in _menu_actions(window)))
    shortcuts = {a.text(): a.shortcut().toString() for _menu, a in _menu_actions(window)}
    for text, key in {"新增": "Ctrl+N", "查找": "Ctrl+F", "导出Excel…": "Ctrl+E", "打印预览…": "Ctrl+P",
                      "另存为PDF…": "Ctrl+Shift+S", "备份与恢复…": "Ctrl+Shift+B", "导入市派名单…": "Ctrl+I",
                      "刷新": "F5", "锁定": "Ctrl+L", "使用说明": "F1", "工作台首页": "Ctrl+1", "居民台账": "Ctrl+2",
                      "设置…": "Ctrl+,"}.items():
        assert shortcuts[text] == key, text
    used = [a.shortcut().toString() for _m, a in _menu_actions(window) if not a.shortcut().isEmpty()]
    assert len(used) == len(set(used)), sorted(used)


def test_resident_form_tab_order_follows_the_form(community, qtbot, qt_settings):
    form = ResidentForm(None)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    _activate(form)
    form.name_edit.setFocus()
    visited = [form.name_edit]
    for _ in range(17):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        if widget is not None and isinstance(widget.parent(), QComboBox):
            widget = widget.parent()  # an editable combo box's line edit stands for the combo box
        visited.append(widget)
    expected = [form.name_edit, form.id_edit, form.gender_combo, form.birth_edit, form.phone_edit,
                form.household_edit, form.relation_combo, form.registered_edit, form.same_check,
                form.community_combo, form.building_combo, form.unit_edit, form.room_edit, form.address_edit,
                form.status_combo, form.contact_combo, form.disability_combo]
    assert visited[:len(expected)] == expected
    assert visited[len(expected)] is next(iter(form.tag_checks.values()))
    form.notes_edit.setFocus()
    qtbot.keyClick(form.notes_edit, Qt.Key.Key_Tab)  # Tab leaves the notes instead of typing a tab
    assert form.notes_edit.toPlainText() == ""
    assert isinstance(QApplication.focusWidget(), QAbstractButton)


def test_windows_fit_a_1366_by_768_screen(community, qtbot, qt_settings):
    from community_desk.gui.bootstrap import make_application

    make_application([])  # the program's own font and stylesheet: sizes as the office sees them
    demo.load_demo_data(residents=60)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    area = QApplication.primaryScreen().availableGeometry()
    assert (area.width(), area.height()) == (1366, 768)
    assert window.height() <= area.height() - 40 and window.width() <= area.width()
    assert window.minimumSizeHint().height() <= area.height() - 40
    for make in (lambda: ResidentForm(window), lambda: CaseForm(window), lambda: HelpDialog(window),
                 lambda: BackupsDialog(window), lambda: AccountsDialog(window), lambda: FacilityForm(window),
                 lambda: RequestForm(window)):
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.height() <= area.height() - 40, type(dialog).__name__
        assert dialog.width() <= area.width() - 16, type(dialog).__name__
        assert area.contains(dialog.frameGeometry()), type(dialog).__name__
        dialog.close()


def test_toolbar_and_menus_carry_the_action_icons(community, qtbot, qt_settings):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    for name in set(icons.ACTION_ICONS.values()) | set(icons.TEXT_ICONS.values()):
        icon = icons.action_icon(name)
        assert not icon.isNull() and not icon.pixmap(20, 20).isNull(), name
    on_toolbar = [a.text() for a in window.toolbar.actions() if not a.isSeparator()]
    assert on_toolbar == ["新增", "查找", "导出Excel…", "打印预览…", "刷新", "备份与恢复…", "使用说明"]
    assert all(not a.icon().isNull() for a in window.toolbar.actions() if not a.isSeparator())
    qtbot.waitUntil(lambda: all(not a.icon().isNull() for m, a in _menu_actions(window)
                                if a.text() in ("导入市派名单…", "另存为PDF…", "关于社区工作台…", "锁定")))
