"""Help: the user manual (使用说明, F1) in a text browser, and 关于 (version, database, backups folder; in server
mode the server, that it is 服务器模式, and who else is working on it).

The manual is HTML in resources/manual/index.html with pictures in resources/manual/images/, made from the
real program by tools/screenshots.py (`make screenshots`). It opens beside the main window (not modal), so
the user can read and work at the same time; pressing F1 again brings the same window to the front.
"""
from __future__ import annotations

import html
import platform
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication, QImage, QTextDocument
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ... import __version__
from ...core import backup
from ...core.db import database_path, server_url
from ...core.server_info import describe_server
from ...core.startup import configured_backup_dir
from .. import live_updates
from ..bootstrap import resource_path
from .base import RememberingDialog

MANUAL = resource_path("manual", "index.html")


class ManualBrowser(QTextBrowser):
    """A text browser that shows the manual's wide pictures smoothly scaled to the page (Qt's own scaling of an
    <img width=...> is coarse), so the files stay sharp at about 1000 px and the dialog fits a 1366 x 768 screen."""

    MAX_WIDTH = 760

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 - Qt name
        data = super().loadResource(kind, url)
        if kind != QTextDocument.ResourceType.ImageResource.value or data is None:
            return data
        image = data if isinstance(data, QImage) else QImage.fromData(data)
        if image.isNull() or image.width() <= self.MAX_WIDTH:
            return data
        return image.scaledToWidth(self.MAX_WIDTH, Qt.TransformationMode.SmoothTransformation)


class HelpDialog(RememberingDialog):
    settings_key = "help"

    def __init__(self, parent: QWidget | None = None, anchor: str = ""):
        super().__init__(parent)
        self.setWindowTitle("社区工作台 使用说明")
        self.browser = ManualBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(MANUAL.parent)])
        if MANUAL.exists():
            self.browser.setSource(QUrl.fromLocalFile(str(MANUAL)))
        else:
            self.browser.setHtml(f"<p>找不到使用说明文件：{MANUAL}</p><p>请重新安装程序。</p>")
        self.back_button = QPushButton("后退")
        self.back_button.setEnabled(False)
        self.back_button.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        home_button = QPushButton("目录")
        home_button.clicked.connect(lambda: self.show_section("top"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.close)
        row = QHBoxLayout()
        row.addWidget(self.back_button)
        row.addWidget(home_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addLayout(row)
        self.resize(900, 660)  # fits a 1366 x 768 screen with the taskbar
        if anchor:
            self.show_section(anchor)

    def show_section(self, anchor: str) -> None:
        if anchor == "top":
            self.browser.verticalScrollBar().setValue(0)
        else:
            self.browser.scrollToAnchor(anchor)

    def manual_text(self) -> str:
        return self.browser.toPlainText()


def show_help(parent: QWidget | None, anchor: str = "") -> HelpDialog:
    """Open the manual (one window per parent), or bring the open one to the front."""
    dialog = getattr(parent, "_help_dialog", None) if parent is not None else None
    if dialog is None:
        dialog = HelpDialog(parent, anchor)
        if parent is not None:
            parent._help_dialog = dialog
    elif anchor:
        dialog.show_section(anchor)
    dialog.show()
    if QGuiApplication.platformName() != "offscreen":  # offscreen has no stacking order (and warns)
        dialog.raise_()
        dialog.activateWindow()
    return dialog


def _size_text(path: Path | None) -> str:
    if path is None or not path.exists():
        return "—"
    total = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    return f"{total / 1024 / 1024:.1f} MB" if total >= 100 * 1024 else f"{total / 1024:.0f} KB"


def _server_html(url: str) -> str:
    """服务器模式: which server (host, database, user; never the password), who else is working on it (as the status
    bar last heard, gui/live_updates.py) and how its backups are taken."""
    others = live_updates.others_working()
    rows = "".join(f"<tr><td><b>{label}</b></td><td>{html.escape(value)}</td></tr>" for label, value in
                   [*describe_server(url), ("同时在用", "、".join(others) if others else "只有本机")])
    return ("<p><b>服务器模式</b>：数据保存在办公室的数据库服务器（PostgreSQL）上，几台电脑同时使用同一份数据。</p>"
            f"<table cellspacing='4'>{rows}"
            "<tr><td><b>备份</b></td><td>服务器的备份用 pg_dump 做：main.py --db 地址 backup"
            "（或“文件 → 备份与恢复”）</td></tr></table>")


def about_html(path: Path | None = None) -> str:
    """The text of 关于: version, the database file and its size, the backups folder and its newest backup; in
    server mode, the server instead of a file."""
    url = server_url() if path is None else None
    path = path if path is not None else database_path()
    lines = [f"<h3>社区工作台 {__version__}</h3>"]
    if url is not None:
        lines.append(_server_html(url))
    else:
        lines.append("<p>离线的社区居委会工作程序，数据只保存在本机。</p>")
    if path is not None:
        folder = configured_backup_dir(Path(path))
        backups = backup.list_backups(folder) if folder.exists() else []
        newest = (f"{len(backups)} 份，最近一份 {backups[0].taken_at:%Y-%m-%d %H:%M}"
                  if backups else "还没有备份")
        lines.append("<table cellspacing='4'>"
                     f"<tr><td><b>数据库文件</b></td><td>{html.escape(str(path))}</td></tr>"
                     f"<tr><td><b>数据库大小</b></td><td>{_size_text(Path(path))}</td></tr>"
                     f"<tr><td><b>备份文件夹</b></td><td>{html.escape(str(folder))}</td></tr>"
                     f"<tr><td><b>备份</b></td><td>{newest}</td></tr></table>")
    lines.append(f"<p style='color:#5f6b7a'>Python {platform.python_version()} · PySide6 {pyside_version} · "
                 f"{platform.system()} {platform.release()}</p>")
    lines.append("<p>使用说明：按 F1。</p>")
    return "".join(lines)


def show_about(parent: QWidget | None) -> None:
    QMessageBox.about(parent, "关于社区工作台", about_html())
