"""Help: F1 opens the user manual with its pictures; 关于 names the version, the database and the backups folder."""
from __future__ import annotations

import re
import warnings

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from community_desk import __version__
from community_desk.core import startup
from community_desk.core.db import database_path
from community_desk.gui.dialogs import help as help_dialogs
from community_desk.gui.dialogs.help import MANUAL, HelpDialog, about_html
from community_desk.gui.main_window import MainWindow

SECTIONS = ("导入市派名单", "登记核酸检测结果", "解除隔离", "擦玻璃服务花名册", "门岗排班表", "导出日报", "备份与恢复", "账号与权限")


def _open_help(window) -> HelpDialog | None:
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, HelpDialog) and w.isVisible()), None)


def test_f1_opens_the_manual_with_the_import_section_and_its_pictures(community, qtbot, qt_settings):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with warnings.catch_warnings():  # offscreen windows become active only when told so
        warnings.simplefilter("ignore", DeprecationWarning)
        QApplication.setActiveWindow(window)
    window.nav.setFocus()
    assert QApplication.focusWidget() is window.nav
    assert window.help_action.shortcut().toString() == "F1"
    qtbot.keyClick(window.nav, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: _open_help(window) is not None, timeout=5000)
    dialog = _open_help(window)
    qtbot.addWidget(dialog)
    text = dialog.manual_text()
    for section in SECTIONS:
        assert section in text, section
    assert "确认导入" in text and "未导入" in text  # the import section explains the preview
    # every picture the manual shows exists, is a small PNG, and the browser can load it
    html = MANUAL.read_text(encoding="utf-8")
    images = re.findall(r'<img src="([^"]+)"', html)
    assert "images/import_preview.png" in images and len(images) >= 8
    for src in images:
        path = MANUAL.parent / src
        assert path.exists(), src
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert path.stat().st_size < 400_000, src
        resource = dialog.browser.loadResource(2, dialog.browser.source().resolved(QUrl(src)))  # 2 = ImageResource
        image = resource if isinstance(resource, QImage) else QImage.fromData(resource)
        assert not image.isNull() and image.width() <= dialog.browser.MAX_WIDTH, src
    # F1 again brings the same window back instead of opening a second one
    window.help_action.trigger()
    assert [w for w in QApplication.topLevelWidgets() if isinstance(w, HelpDialog) and w.isVisible()] == [dialog]
    dialog.close()


def test_manual_jumps_to_a_section(qtbot, qt_settings):
    dialog = HelpDialog(None, anchor="backup")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.show_section("backup")
    assert dialog.browser.verticalScrollBar().value() > 0
    dialog.show_section("top")
    assert dialog.browser.verticalScrollBar().value() == 0


def test_about_names_version_database_size_and_backups_folder(community, qtbot, qt_settings, monkeypatch):
    path = database_path()
    startup.backup_now(path, "manual")
    text = about_html()
    assert __version__ in text
    assert str(path) in text
    assert str(startup.configured_backup_dir(path)) in text
    assert re.search(r"数据库大小</b></td><td>\d+(\.\d)? (KB|MB)", text)
    assert "1 份" in text
    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, body: shown.append((title, body)))
    window = MainWindow()
    qtbot.addWidget(window)
    window.about_action.trigger()
    assert shown and shown[0][0] == "关于社区工作台" and str(path) in shown[0][1]
    assert help_dialogs.show_about is not None
