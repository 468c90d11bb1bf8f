"""Issue 16, 字号 for older staff: 查看 ▸ 字号 标准 / 大 / 特大 scales the whole program at once (font, stylesheet sizes,
table rows), is remembered per staff account (not per PC user), is applied at login, and the print preview opens
zoomed to match."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QApplication, QMessageBox

from community_desk.core import demo, session
from community_desk.core.db import close_database, open_database
from community_desk.core.queries import accounts
from community_desk.gui import font_size, startup, tasks
from community_desk.gui.dialogs.login import LoginDialog
from community_desk.gui.main_window import MainWindow
from community_desk.gui.table_model import ROW_HEIGHT, make_table_view
from community_desk.gui.windows.quarantine.page import QuarantinePage
from community_desk.gui.windows.quarantine.today_view import ROW_HEIGHT as TODAY_ROW_HEIGHT
from community_desk.gui.windows.residents.window import ResidentsPage
from tests.databases import configured_database
from tests.windows import delete_windows


@pytest.fixture
def styled(qapp, qt_settings):
    """The program's own font and stylesheet; 标准 again afterwards (the application is shared by the tests)."""
    from community_desk.gui.bootstrap import make_application

    app = make_application([])
    yield app
    font_size.apply(font_size.STANDARD, app, force=True)


@pytest.fixture
def window(community, qtbot, styled, monkeypatch):
    monkeypatch.setattr(QMessageBox, "warning", lambda *_a: None)
    demo.load_demo_data(residents=30)
    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    yield main
    tasks.wait_all()


def menu_action(window: MainWindow, menu_title: str, *path: str):
    """The QAction a person reaches through the menu bar: 查看(&V) ▸ 字号 ▸ 大."""
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == menu_title)
    for text in path[:-1]:
        menu = next(a.menu() for a in menu.actions() if a.text() == text)
    return next(a for a in menu.actions() if a.text() == path[-1])


def go_to(window: MainWindow, page_class):
    page = window.page(page_class)
    window.nav.setCurrentRow(window.pages.index(page))
    return page


def test_the_stylesheet_grows_its_text_and_boxes_not_its_lines():
    qss = ("QListWidget#navigation { font-size: 11pt; padding-top: 8px; border: 1px solid #ccc; }\n"
           "QComboBox QAbstractItemView::item { min-height: 24px; padding: 0 6px; }\n"
           "QGroupBox { margin-top: 10px; border-radius: 4px; }")
    grown = font_size.scaled_stylesheet(qss, 1.4)
    assert "font-size: 15.4pt" in grown and "min-height: 34px" in grown and "margin-top: 14px" in grown
    assert "padding-top: 8px" in grown and "1px solid" in grown and "border-radius: 4px" in grown
    assert font_size.scaled_stylesheet(qss, 1.0) == qss


def test_the_menu_enlarges_the_font_the_rows_and_the_stylesheet_at_once(window, qtbot):
    app = QApplication.instance()
    residents = go_to(window, ResidentsPage)
    qtbot.waitUntil(lambda: residents.model.rowCount() > 0, timeout=10000)
    table = residents.table
    assert app.font().pointSizeF() == font_size.BASE_POINT_SIZE and table.rowHeight(0) == ROW_HEIGHT
    large = menu_action(window, "查看(&V)", "字号", "大")
    assert large.isCheckable() and not large.isChecked()
    large.trigger()
    assert large.isChecked() and not menu_action(window, "查看(&V)", "字号", "标准").isChecked()
    assert window.message_label.text().startswith("字号：大")  # said, as every action of the menu bar says something
    assert app.font().pointSizeF() == 12
    assert table.verticalHeader().defaultSectionSize() == round(ROW_HEIGHT * 1.2) == table.rowHeight(0)
    assert table.fontMetrics().height() < table.rowHeight(0)  # the new text fits its row
    assert "font-size: 13.2pt" in app.styleSheet()  # the navigation's 11 pt
    today = go_to(window, QuarantinePage).today_view  # a list with its own compact rows follows too
    qtbot.waitUntil(today.loaded, timeout=10000)
    section = next(iter(today.sections.values()))
    assert section.table.verticalHeader().defaultSectionSize() == round(TODAY_ROW_HEIGHT * 1.2)
    later = make_table_view(QStandardItemModel(3, 2), widths=(100,))  # a table made while 大 is on
    assert later.verticalHeader().defaultSectionSize() == round(ROW_HEIGHT * 1.2) and later.columnWidth(0) == 120
    menu_action(window, "查看(&V)", "字号", "特大").trigger()
    assert app.font().pointSizeF() == 14 and table.rowHeight(0) == round(ROW_HEIGHT * 1.4)
    assert window.nav.width() >= window.nav.fontMetrics().horizontalAdvance("志愿者与门岗") + 28
    menu_action(window, "查看(&V)", "字号", "标准").trigger()
    assert app.font().pointSizeF() == 10 and table.rowHeight(0) == ROW_HEIGHT
    assert section.table.verticalHeader().defaultSectionSize() == TODAY_ROW_HEIGHT
    assert later.columnWidth(0) == 100


def test_the_size_is_remembered_for_the_account_and_not_for_another(window, qtbot):
    app = QApplication.instance()
    accounts.create_account("admin", "张敏", "secret-1")  # the first account: an administrator
    accounts.login("admin", "secret-1")
    accounts.create_account("lily", "李丽", "secret-2", role="工作人员")
    window.apply_session()
    menu_action(window, "查看(&V)", "字号", "特大").trigger()
    assert app.font().pointSizeF() == 14
    accounts.login("lily", "secret-2")  # another person at the same PC (and the same OS account)
    window.apply_session()  # as start-up does after the password
    assert app.font().pointSizeF() == 10 and window.font_size_actions["标准"].isChecked()
    accounts.login("admin", "secret-1")
    window.apply_session()
    assert app.font().pointSizeF() == 14 and window.font_size_actions["特大"].isChecked()
    assert font_size.saved(session.Session("李丽", "工作人员", "lily")) == "标准"


def test_start_up_logs_in_at_the_persons_size(tmp_path, qtbot, styled, monkeypatch):
    """The real start-up twice, as two accounts: each gets the size chosen before; the login window the last one."""
    db_path = tmp_path / "desk.db"
    configured_database(db_path)
    open_database(db_path)
    session.current = session.Session("测试员", "管理员")
    accounts.create_account("lily", "李丽", "secret-2", role="工作人员")
    close_database()
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    shown, login_sizes = [], []
    monkeypatch.setattr(MainWindow, "show", lambda w: shown.append(w))
    app = QApplication.instance()

    def log_in_as(username, password):
        def run(dialog):
            login_sizes.append(app.font().pointSizeF())
            dialog.username_edit.setText(username)
            dialog.password_edit.setText(password)
            dialog.try_login()
            return dialog.result()
        monkeypatch.setattr(LoginDialog, "exec", run)
        assert startup.start_gui(db_path) == 0
        return shown[-1]

    try:
        first = log_in_as("admin", "secret-1")
        menu_action(first, "查看(&V)", "字号", "大").trigger()
        assert log_in_as("lily", "secret-2") and app.font().pointSizeF() == 10
        assert log_in_as("admin", "secret-1") and app.font().pointSizeF() == 12
        assert shown[-1].font_size_actions["大"].isChecked()
        assert login_sizes == [10, 12, 10]  # the login window at the size last used on this PC
    finally:
        delete_windows()
        tasks.wait_all()
        close_database()


def test_the_preview_zoom_follows_the_size():
    assert font_size.preview_zoom(0.5, "标准") == 0.5
    assert font_size.preview_zoom(0.5, "大") == pytest.approx(0.6)
    assert font_size.preview_zoom(0.5, "特大") == pytest.approx(0.7)


@pytest.mark.child_process
def test_the_print_preview_opens_zoomed_to_the_size(window, qtbot, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget

    from tests.pdf_text import find_button

    residents = go_to(window, ResidentsPage)
    qtbot.waitUntil(lambda: residents.model.rowCount() > 0, timeout=10000)
    zooms = []

    def exec_(dialog):
        dialog.show()
        preview = dialog.findChild(QPrintPreviewWidget)
        qtbot.wait(300)  # shown, laid out, zoomed
        zooms.append((preview.zoomMode(), preview.zoomFactor()))
        dialog.close()
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", exec_)
    for count, name in enumerate(("标准", "大"), start=1):
        menu_action(window, "查看(&V)", "字号", name).trigger()
        qtbot.mouseClick(find_button(residents, "打印预览"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda count=count: len(zooms) == count, timeout=60000)
    (standard_mode, standard), (large_mode, large) = zooms
    assert standard_mode == QPrintPreviewWidget.ZoomMode.FitInView  # 标准: Qt's whole page, as before
    assert large_mode == QPrintPreviewWidget.ZoomMode.CustomZoom and large == pytest.approx(standard * 1.2, rel=0.03)
