"""The one way to ask for a file or a folder: every open, save and folder dialog of the program goes through here.

A dialog opens in the folder remembered for its purpose (the last export, the last import ...) or, the first
time, in the user's Documents folder (QStandardPaths DocumentsLocation), never the program's own folder. Qt's
native dialog is used wherever the platform has one (no DontUseNativeDialog anywhere); where Qt falls back to
its own, its buttons read 打开 / 保存 / 取消 from Qt's zh_CN translations loaded at start-up (gui/bootstrap.py).
"""
from __future__ import annotations

import os

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from .long_work import EXPORT_DIR_KEY  # remembered there once an export is written

IMPORT_DIR_KEY = "paths/import"
PHOTO_DIR_KEY = "paths/photos"


def documents_folder() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or os.path.expanduser("~")


def start_folder(key: str) -> str:
    """The folder remembered under `key` when it still exists, else the Documents folder."""
    folder = QSettings().value(key, "") or ""
    return folder if folder and os.path.isdir(folder) else documents_folder()


def remember_folder(key: str, path: str) -> None:
    QSettings().setValue(key, os.path.dirname(path) if not os.path.isdir(path) else path)


def ask_save_path(parent: QWidget | None, title: str, default_name: str, file_filter: str,
                  key: str = EXPORT_DIR_KEY) -> str | None:
    """The save dialog for `default_name` in the start folder; None when cancelled. The folder is remembered by
    the caller once the file is written (run_export does so)."""
    path, _ = QFileDialog.getSaveFileName(parent, title, os.path.join(start_folder(key), default_name), file_filter)
    return path or None


def ask_open_path(parent: QWidget | None, title: str, file_filter: str, key: str = IMPORT_DIR_KEY) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, start_folder(key), file_filter)
    if path:
        remember_folder(key, path)
    return path or None


def ask_open_paths(parent: QWidget | None, title: str, file_filter: str, key: str = PHOTO_DIR_KEY) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, start_folder(key), file_filter)
    if paths:
        remember_folder(key, paths[0])
    return list(paths)


def ask_folder(parent: QWidget | None, title: str, current: str = "") -> str | None:
    """A folder, starting at `current` when it exists, else the Documents folder."""
    folder = QFileDialog.getExistingDirectory(parent, title, current if current and os.path.isdir(current)
                                              else documents_folder())
    return folder or None
