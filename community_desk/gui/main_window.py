"""The main window: navigation between modules, menus with standard shortcuts, status bar.

Modules are pages registered in PAGES; the main window is the only place that knows them all.
The pages sit in a stack that asks only for the current page's size, inside a scroll area: no page, and no long
message, can make the window wider than the screen (a page too wide for a narrow window scrolls instead).
Only the first page is built (and its module imported) before the window is shown; the others are
built one per event-loop turn right after, so that start-up stays close to a bare window's.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QSettings, QSize, QTimer
from PySide6.QtGui import QAction, QActionGroup, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from ..core import session, vocabulary
from ..core.queries import accounts
from ..core.queries import settings as office_settings
from ..core.rules.text import ValidationError
from . import font_size
from .dialogs.base import fit_to_screen, show_error
from .icons import install_toolbar
from .messages import MessageLabel, clear_messages
from .page import Page, bus


@dataclass(frozen=True)
class PageSpec:
    """A module page, named so that it can be listed before its module is imported."""

    title: str
    module: str
    class_name: str

    def load(self) -> type[Page]:
        return getattr(importlib.import_module(f"community_desk.gui.windows.{self.module}"), self.class_name)


PAGES: list[PageSpec] = [
    PageSpec("工作台首页", "home.page", "HomePage"),
    PageSpec("居民台账", "residents.window", "ResidentsPage"),
    PageSpec("隔离管控", "quarantine.page", "QuarantinePage"),
    PageSpec("设施台账", "facilities.window", "FacilitiesPage"),
    PageSpec("我来办", "service_desk.window", "ServiceDeskPage"),
    PageSpec("擦玻璃服务", "cleaning.window", "CleaningPage"),
    PageSpec("志愿者与门岗", "volunteers.window", "VolunteersPage"),
    PageSpec("操作日志", "audit.window", "AuditPage"),
]


FIRST_BUILD_DELAY_MS = 400
NAV_WIDTH = 150  # px, at least: wider when a larger 字号 needs it
NAV_POINT_SIZE = 11  # style.qss, at 字号 标准
LOCKED_BY_USER = "窗口已由您锁定（Ctrl+L），请重新输入密码继续。"
LOCKED_WHEN_IDLE = "长时间没有操作，程序已自动锁定以保护居民信息。"


def page_classes() -> list[type[Page]]:
    return [spec.load() for spec in PAGES]


class PageStack(QStackedWidget):
    """The pages, one shown at a time; its size is the shown page's (a QStackedWidget asks for its widest)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.currentChanged.connect(lambda _row: self.updateGeometry())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt name
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt name
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()


class MainWindow(QMainWindow):
    def __init__(self):
        super().__init__()
        self.locked = False
        self.lock_dialog = None
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(NAV_WIDTH)
        self.stack = PageStack()
        self._pages: list[Page | None] = [None] * len(PAGES)
        for spec in PAGES:
            self.nav.addItem(QListWidgetItem(spec.title))
            self.stack.addWidget(QWidget())  # a placeholder until the page is built
        self._ensure(0)
        self.nav.currentRowChanged.connect(self._switch)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.page_area = QScrollArea()
        self.page_area.setWidgetResizable(True)
        self.page_area.setFrameShape(QFrame.Shape.NoFrame)
        self.page_area.setWidget(self.stack)
        self.page_area.viewport().setAutoFillBackground(False)
        row.addWidget(self.nav)
        row.addWidget(self.page_area, 1)
        self.setCentralWidget(central)
        self.message_label = MessageLabel()  # what the person just did; cleared when the page changes
        self.count_label = MessageLabel()    # the current page's figures
        self.statusBar().addWidget(self.message_label, 1)
        self.statusBar().addPermanentWidget(self.count_label)
        self._build_menus()
        self.toolbar = install_toolbar(self)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(lambda: self.lock_screen(by_user=False))
        self.watching_activity = False
        self.nav.setCurrentRow(0)
        # the other pages are built once the first is on screen and has its data (a timer owned by the
        # window, so that it dies with it)
        self._page_builder = QTimer(self)
        self._page_builder.setSingleShot(True)
        self._page_builder.timeout.connect(self._build_next_page)
        self._shown_once = False
        self.resize(1280, 780)
        geometry = QSettings().value("geometry/main")
        if geometry is not None:
            self.restoreGeometry(geometry)
        fit_to_screen(self)
        self.apply_session()

    def apply_session(self) -> None:
        """Title, the actions this role may use, and the idle lock: for the session now logged in.

        The window may be built while the login dialog waits for the password (start-up does so); it is given
        its session here, before it is shown.
        """
        self.update_title()
        self.set_font_size(font_size.saved())  # this person's 字号 (and the login window's next time)
        for action in (self.accounts_action, self.retention_action):
            action.setEnabled(session.current.role == vocabulary.ROLE_ADMIN)
        for action in (self.demo_action, self.new_action):
            action.setEnabled(session.current.can_write)
        if self.isVisible():
            self.restart_idle_timer()

    def render_hidden(self) -> None:
        """Lay the window out and draw it once off screen, and again when the first page has settled (the home
        screen's charts are in). Start-up does this while the password is typed: the first real paint after the
        password is then about twice as quick."""
        self.grab()
        self.current_page().settled.connect(self._render_if_hidden)

    def _render_if_hidden(self) -> None:
        if not self.isVisible():
            self.grab()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        if self._shown_once:
            return
        self._shown_once = True
        self.restart_idle_timer()
        self._page_builder.start(FIRST_BUILD_DELAY_MS)
        # Watching every event of the application from Python costs a wrapper per event; on the first frame that
        # was an eighth of the start-up, so the idle lock starts watching once the window is up.
        QTimer.singleShot(FIRST_BUILD_DELAY_MS, self, self._watch_activity)

    def update_title(self) -> None:
        """社区工作台 - office - user（role）: each once (the role 只读 says read-only; no display name is appended)."""
        office = office_settings.get("office_name") or ""
        parts = ["社区工作台", office, f"{session.current.user}（{session.current.role}）"]
        self.setWindowTitle(" - ".join(part for part in parts if part))

    def _ensure(self, row: int) -> Page:
        """The page at row, built (and its module imported) on first use."""
        page = self._pages[row]
        if page is None:
            page = PAGES[row].load()()
            self._pages[row] = page
            placeholder = self.stack.widget(row)
            self.stack.insertWidget(row, page)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            item = self.nav.item(row)
            if hasattr(page, "nav_text_changed"):  # a page may show a count in its navigation entry
                page.nav_text_changed.connect(item.setText)
            page.count_changed.connect(lambda text, p=page: self._page_count(p, text))
        return page

    def _build_next_page(self) -> None:
        row = next((i for i, p in enumerate(self._pages) if p is None), None)
        if row is not None:
            self._ensure(row)
            self._page_builder.start(0)

    @property
    def pages(self) -> list[Page]:
        """Every page, built."""
        return [self._ensure(row) for row in range(len(PAGES))]

    def page(self, page_class: type[Page]) -> Page | None:
        for row, spec in enumerate(PAGES):
            if spec.load() is page_class:
                return self._ensure(row)
        return None

    def current_page(self) -> Page:
        return self._ensure(self.stack.currentIndex())

    def _switch(self, row: int) -> None:
        if 0 <= row < len(PAGES):
            left = self._pages[self.stack.currentIndex()]
            if left is not None:
                clear_messages(left)
            self.message_label.clear()
            page = self._ensure(row)
            self.stack.setCurrentIndex(row)
            self.count_label.setText(page.status_text())

    def show_message(self, text: str, kind: str = "info") -> None:
        """A line in the status bar about what was just done ("ok"), refused ("refused") or a note."""
        self.message_label.show_message(text, kind)

    def _page_count(self, page: Page, text: str) -> None:
        if page is self.current_page():
            self.count_label.setText(text)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        self.export_action = self._action(file_menu, "导出Excel…", lambda: self.current_page().export_excel(), "Ctrl+E")
        self.print_action = self._action(file_menu, "打印预览…", lambda: self.current_page().print_preview(),
                                         "Ctrl+P")
        self._action(file_menu, "另存为PDF…", lambda: self.current_page().save_pdf(), "Ctrl+Shift+S")
        file_menu.addSeparator()
        self.demo_action = self._action(file_menu, "载入示例数据", self.load_demo_data)
        self.backups_action = self._action(file_menu, "备份与恢复…", self.show_backups, "Ctrl+Shift+B")
        self.settings_action = self._action(file_menu, "设置…", self.show_settings, "Ctrl+,")
        file_menu.addSeparator()
        self._action(file_menu, "退出", self.close, QKeySequence.StandardKey.Quit)
        edit_menu = bar.addMenu("编辑(&E)")
        self.new_action = self._action(edit_menu, "新增", lambda: self.current_page().new_record(),
                                       "Ctrl+N")
        self.find_action = self._action(edit_menu, "查找", lambda: self.current_page().focus_search(),
                                        "Ctrl+F")
        view_menu = bar.addMenu("查看(&V)")
        self.refresh_action = self._action(view_menu, "刷新", lambda: self.current_page().refresh(),
                                           "F5")
        for i, spec in enumerate(PAGES):
            self._action(view_menu, spec.title, lambda _=False, row=i: self.nav.setCurrentRow(row), f"Ctrl+{i + 1}")
        view_menu.addSeparator()
        sizes = view_menu.addMenu("字号")
        group = QActionGroup(self)
        group.setExclusive(True)
        self.font_size_actions: dict[str, QAction] = {}
        for name in font_size.NAMES:
            action = self._action(sizes, name, lambda _=False, chosen=name: self.choose_font_size(chosen))
            action.setCheckable(True)
            group.addAction(action)
            self.font_size_actions[name] = action
        tools_menu = bar.addMenu("管理(&M)")
        self.accounts_action = self._action(tools_menu, "账号管理…", self.show_accounts)
        self.retention_action = self._action(tools_menu, "隔离记录匿名化…", self.show_retention)
        self.lock_action = self._action(tools_menu, "锁定", lambda: self.lock_screen(by_user=True), "Ctrl+L")
        help_menu = bar.addMenu("帮助(&H)")
        self.help_action = self._action(help_menu, "使用说明", self.show_help, "F1")
        help_menu.addSeparator()
        self.about_action = self._action(help_menu, "关于社区工作台…", self.show_about)

    def choose_font_size(self, name: str) -> None:
        """The menu: the size, and a line saying it is kept for this person (also when it was the size already)."""
        self.set_font_size(name)
        self.show_message(f"字号：{name}（{session.current.user} 下次登录时仍用此字号）", "ok")

    def set_font_size(self, name: str) -> None:
        """查看 ▸ 字号: the whole program at once (font, stylesheet sizes, table rows), remembered for this account;
        the navigation list widens when its longest title needs it."""
        font_size.remember(name)
        font_size.apply(name)
        self.font_size_actions[font_size.current()].setChecked(True)
        font = QFont(QApplication.font())
        font.setPointSizeF(NAV_POINT_SIZE * font_size.factor())  # style.qss: QListWidget#navigation (scaled)
        widest = max(QFontMetrics(font).horizontalAdvance(spec.title) for spec in PAGES)
        self.nav.setFixedWidth(max(NAV_WIDTH, widest + 2 * 14 + 12))  # its items' padding, and a margin

    # --- safety: backups, accounts, idle lock ---
    def show_settings(self) -> None:
        from .dialogs.settings import SettingsDialog

        if SettingsDialog(self).exec():
            self.update_title()
            self.restart_idle_timer()

    def show_backups(self) -> None:
        from .dialogs.backups import BackupsDialog

        BackupsDialog(self).exec()

    def show_accounts(self) -> None:
        from .dialogs.accounts import AccountsDialog

        AccountsDialog(self).exec()

    def show_retention(self) -> None:
        from .dialogs.retention import RetentionDialog

        RetentionDialog(self).exec()

    def restart_idle_timer(self) -> None:
        minutes = int(office_settings.get("idle_lock_minutes", 15) or 0)
        if minutes > 0 and accounts.has_accounts():
            self.idle_timer.start(minutes * 60_000)
        else:
            self.idle_timer.stop()  # set to 0 (不锁定) in 设置

    def _watch_activity(self) -> None:
        QApplication.instance().installEventFilter(self)
        self.watching_activity = True

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt name
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel):
            if self.idle_timer.isActive():
                self.idle_timer.start()
        return super().eventFilter(watched, event)

    def lock_screen(self, by_user: bool = False) -> None:
        """Hide the data and ask for the password again; cancelling closes the program. The dialog says why:
        locked with Ctrl+L (by_user) or after the idle time."""
        if not accounts.has_accounts() or self.locked:
            return
        from .dialogs.login import LoginDialog

        self.locked = True
        self.centralWidget().hide()
        dialog = LoginDialog(self, username=session.current.username, locked=True,
                             note=LOCKED_BY_USER if by_user else LOCKED_WHEN_IDLE)
        self.lock_dialog = dialog
        dialog.finished.connect(self._unlocked)
        dialog.open()

    def _unlocked(self, result: int) -> None:
        self.locked = False
        self.lock_dialog = None
        if result:
            self.centralWidget().show()
            self.restart_idle_timer()
        else:
            self.close()

    def load_demo_data(self) -> None:
        from ..core import demo

        try:
            counts = demo.load_demo_data()
        except ValidationError as exc:
            show_error(self, "载入示例数据", exc.message)
            return
        bus.data_changed.emit("*")
        QMessageBox.information(self, "载入示例数据",
                                f"已载入 {counts['communities']} 个社区、{counts['residents']} 名虚构居民。")

    def show_help(self) -> None:
        from .dialogs import help as help_dialogs

        help_dialogs.show_help(self)

    def show_about(self) -> None:
        from .dialogs import help as help_dialogs

        help_dialogs.show_about(self)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt name
        QSettings().setValue("geometry/main", self.saveGeometry())
        super().closeEvent(event)
