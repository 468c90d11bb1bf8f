"""The main window shell: navigation, menus and shortcuts, status bar, geometry, first start, demo data."""
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from community_desk.core import session
from community_desk.core.queries import communities
from community_desk.core.queries import settings as office_settings
from community_desk.core.queries.residents import count_all
from community_desk.gui.dialogs.first_run import FirstRunDialog
from community_desk.gui.main_window import MainWindow
from community_desk.gui.windows.residents.window import ResidentsPage


def test_first_start_asks_for_communities_and_office(db, qtbot, qt_settings):
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.save()
    assert "社区" in dialog.error_label.text()
    dialog.communities_edit.setPlainText("原乡小镇\n天瑞嘉园")
    dialog.save()
    assert "填报单位" in dialog.error_label.text()
    assert dialog.communities_edit.toPlainText() == "原乡小镇\n天瑞嘉园"  # kept after the refusal
    dialog.office_edit.setText("长阳镇原乡小镇社区居委会")
    dialog.save()
    assert "管理员" in dialog.error_label.text()
    dialog.admin_edit.setText("admin")
    dialog.password_edit.setText("secret-1")
    dialog.password_again.setText("secret-2")
    dialog.save()
    assert "不一致" in dialog.error_label.text()
    assert communities.list_communities() == []  # nothing written by the refused saves
    dialog.password_again.setText("secret-1")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert [name for _id, name in communities.list_communities()] == ["原乡小镇", "天瑞嘉园"]
    assert office_settings.is_configured()
    assert session.current.username == "admin" and session.current.role == "管理员"


def test_menus_shortcuts_and_status_bar(community, qtbot, qt_settings, monkeypatch):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    page = window.page(ResidentsPage)
    window.nav.setCurrentRow(window.pages.index(page))  # the home page comes first
    shortcuts = {a.text(): a.shortcut().toString() for a in (
        window.new_action, window.find_action, window.export_action, window.print_action, window.refresh_action)}
    assert shortcuts == {"新增": "Ctrl+N", "查找": "Ctrl+F", "导出Excel…": "Ctrl+E", "打印预览…": "Ctrl+P",
                         "刷新": "F5"}
    assert [a.text() for a in window.menuBar().actions()] == ["文件(&F)", "编辑(&E)", "查看(&V)", "管理(&M)", "帮助(&H)"]
    monkeypatch.setattr(QMessageBox, "information", lambda *a: QMessageBox.StandardButton.Ok)
    window.demo_action.trigger()
    assert count_all() == 400
    qtbot.waitUntil(lambda: page.search_done() and page.model.rowCount() == 400, timeout=10000)
    qtbot.waitUntil(lambda: window.count_label.text() == "共 400 人")
    window.find_action.trigger()
    assert page.search_edit.hasFocus() or window.focusWidget() is page.search_edit


def test_geometry_is_remembered(community, qtbot, qt_settings):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.resize(1000, 650)
    window.move(37, 41)
    window.close()
    assert QSettings().value("geometry/main") is not None
    again = MainWindow()
    qtbot.addWidget(again)
    again.show()
    assert (again.width(), again.height(), again.x(), again.y()) == (1000, 650, 37, 41)


def test_pages_are_listed_with_their_own_titles_and_built_after_the_first(community, qtbot, qt_settings):
    from community_desk.gui.main_window import PAGES

    for spec in PAGES:
        assert spec.load().title == spec.title  # one name for one thing
    window = MainWindow()
    qtbot.addWidget(window)
    assert window._pages[0] is not None and any(p is None for p in window._pages[1:])
    window.show()
    qtbot.waitUntil(lambda: all(p is not None for p in window._pages))
    window.nav.setCurrentRow(3)
    assert window.current_page().title == PAGES[3].title
    assert window.stack.currentWidget() is window.current_page()
