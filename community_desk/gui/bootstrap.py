"""Application set-up: the QApplication, a Simplified Chinese font, Qt's own zh_CN texts, the stylesheet,
and the check that the machine has a font for Chinese at all (else: a plain message saying what to install)."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from . import font_size, gc_guard

RESOURCES = Path(__file__).resolve().parent.parent.parent / "resources"
# Simplified Chinese families in order of preference (Windows, Linux, macOS).
FONT_PREFERENCE = ("Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
                   "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "PingFang SC", "SimHei", "SimSun")

_translators: list[QTranslator] = []
_font_warned = False

# What to do when no font covers Chinese, per platform. Each says it in Chinese and in English too, because
# without such a font the Chinese half of the message is drawn as boxes.
NO_FONT_ADVICE = {
    "win32": ("微软雅黑（Microsoft YaHei）是 Windows 自带的字体。请在“设置 → 个性化 → 字体”中确认它没有被删除或隐藏；"
              "如已删除，请技术人员从另一台 Windows 电脑复制 msyh.ttc 安装。",
              "Microsoft YaHei comes with Windows: check Settings > Personalization > Fonts, or copy msyh.ttc "
              "from another Windows PC and install it."),
    "darwin": ("苹方（PingFang SC）是 macOS 自带的字体，请在“字体册”中确认它已启用。",
               "PingFang SC comes with macOS: enable it in Font Book."),
    "linux": ("请在终端中执行下面的命令安装中文字体，然后重新打开本程序：\n    sudo apt install fonts-noto-cjk",
              "Install a Chinese font in a terminal, then start the program again:\n    sudo apt install fonts-noto-cjk"),
}


def resource_path(*parts: str) -> Path:
    return RESOURCES.joinpath(*parts)


def choose_font_family(available: list[str]) -> str | None:
    for family in FONT_PREFERENCE:
        if family in available:
            return family
    return None


def chinese_families() -> list[str]:
    """Font families that cover Simplified Chinese (QFontDatabase's SimplifiedChinese writing system)."""
    return QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)


def missing_font_message(families: list[str] | None = None, platform: str | None = None) -> str | None:
    """None when some font covers Chinese; else a plain message saying what to install on this platform."""
    families = chinese_families() if families is None else families
    if families:
        return None
    platform = platform or sys.platform
    key = "win32" if platform.startswith("win") else "darwin" if platform == "darwin" else "linux"
    chinese, english = NO_FONT_ADVICE[key]
    return (f"这台电脑上没有能显示中文的字体，程序中的汉字会显示成方框。\n{chinese}\n\n"
            f"No font for Chinese was found on this computer: Chinese text shows as boxes.\n{english}")


def warn_if_no_chinese_font(parent: QWidget | None = None) -> str | None:
    """At start-up, once: tell the user in plain words which font to install when none covers Chinese."""
    global _font_warned
    message = missing_font_message()
    if message is None or _font_warned:
        return None
    _font_warned = True
    print(message, file=sys.stderr)
    QMessageBox.warning(parent, "缺少中文字体 / No Chinese font", message)
    return message


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
    # No application display name: Windows and Linux append it to every window title, and the main window's title
    # already begins with 社区工作台 (it said the name twice).
    gc_guard.install(app)
    install_translations(app)
    family = choose_font_family(QFontDatabase.families())
    if family:
        app.setFont(QFont(family))
    icon = resource_path("icons", "app.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    style = resource_path("style.qss")
    # the point size and the stylesheet at 字号 标准; the person's own size is applied at login (gui/font_size.py)
    font_size.install(app, style.read_text(encoding="utf-8") if style.exists() else "")
    return app
