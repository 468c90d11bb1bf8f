"""Application set-up: the QApplication, a Simplified Chinese font, Qt's own zh_CN texts, the stylesheet."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

RESOURCES = Path(__file__).resolve().parent.parent.parent / "resources"
# Simplified Chinese families in order of preference (Windows, Linux, macOS).
FONT_PREFERENCE = ("Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
                   "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "PingFang SC", "SimHei", "SimSun")

_translators: list[QTranslator] = []


def resource_path(*parts: str) -> Path:
    return RESOURCES.joinpath(*parts)


def choose_font_family(available: list[str]) -> str | None:
    for family in FONT_PREFERENCE:
        if family in available:
            return family
    return None


def install_translations(app: QCoreApplication) -> bool:
    """Load Qt's own zh_CN translations (buttons of QMessageBox, the print dialogs ...)."""
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded = False
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)
        if translator.load(name, path):
            app.installTranslator(translator)
            _translators.append(translator)
            loaded = True
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    return loaded


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("CommunityDesk")
    app.setOrganizationName("CommunityDesk")
    app.setApplicationDisplayName("社区工作台")
    install_translations(app)
    family = choose_font_family(QFontDatabase.families())
    if family:
        font = QFont(family)
        font.setPointSize(10)
        app.setFont(font)
    icon = resource_path("icons", "app.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    style = resource_path("style.qss")
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app
