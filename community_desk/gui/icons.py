"""The action icons (resources/icons/actions/*.svg: one line style, one colour) and the main toolbar.

`install_toolbar(window)` gives the main window's menu actions their icons and puts the frequent ones on a
toolbar with their names beside the icons (office users read the words; the icons help find them again).
Actions keep their own enabled state and shortcuts; the toolbar only shows them.
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMainWindow, QToolBar

from .bootstrap import resource_path

ACTION_ICONS = {  # main window attribute -> icon name
    "new_action": "new", "find_action": "find", "export_action": "export", "print_action": "print",
    "refresh_action": "refresh", "backups_action": "backup", "help_action": "help", "about_action": "about",
    "lock_action": "lock", "accounts_action": "accounts",
}
TEXT_ICONS = {"另存为PDF…": "pdf", "导入市派名单…": "import"}  # actions known by their text only
TOOLBAR = ("new_action", "find_action", None, "export_action", "print_action", "refresh_action", None,
           "backups_action", "help_action")


def action_icon(name: str) -> QIcon:
    path = resource_path("icons", "actions", f"{name}.svg")
    return QIcon(str(path)) if path.exists() else QIcon()


def decorate(window: QMainWindow) -> int:
    """Give the window's menu actions their icons; returns how many got one. Safe to call again."""
    count = 0
    for attr, name in ACTION_ICONS.items():
        action = getattr(window, attr, None)
        if isinstance(action, QAction):
            action.setIcon(action_icon(name))
            count += 1
    for top in window.menuBar().actions():
        for action in top.menu().actions() if top.menu() else []:
            name = TEXT_ICONS.get(action.text())
            if name and action.icon().isNull():
                action.setIcon(action_icon(name))
                count += 1
    return count


def install_toolbar(window: QMainWindow) -> QToolBar:
    decorate(window)
    QTimer.singleShot(0, window, lambda: decorate(window))  # again once pages have added their own menu actions
    toolbar = QToolBar("常用操作", window)
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setIconSize(QSize(20, 20))
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for attr in TOOLBAR:
        if attr is None:
            toolbar.addSeparator()
            continue
        action = getattr(window, attr, None)
        if isinstance(action, QAction):
            toolbar.addAction(action)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    return toolbar
