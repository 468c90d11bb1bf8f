"""Starting the window: check the database, take the lock, first start or login, open the main window.

Each step that cannot go on by itself asks the user in plain Chinese: a damaged database offers the
newest good backup (core.startup.recover_damaged: the damaged file is copied aside with its WAL, never moved, and
what can be read from it is salvaged); a full disk or a read-only folder is said as such, with no restore offered;
a database another copy of the program has open is offered read-only. While the window runs, the heartbeat also
checks that the database file is still there: a deleted or replaced file is said once (writes are refused by
core.db anyway).

What a person waits for comes first: the login window is shown before the model layer is loaded; while the
password is typed, the file is checked (quick_check, on its own thread while the program's modules load), the
database opened (with its migrations) and the main window built with its first numbers. The first start of a
day takes its backup on a worker once the main window is shown.

The parts that are not about a file (prepare_application: Qt, 字号, crash log, font check; run_window: the first
start's questions or the login, then the main window) serve the server's start too (gui/server_startup.py).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from ..core import session, vocabulary
from ..core.file_peek import looks_configured
from ..core.lock import DatabaseLock
from . import crash_handler, font_size

if TYPE_CHECKING:
    from ..core import backup
    from ..core.startup import DamagedDatabase

# Before the login window only what it needs is imported (file_peek, not backup, core.startup or the model layer:
# 10-20 ms on a slow PC); the rest loads while the password is typed (_log_in's prepare).

HEARTBEAT_MS = 10_000  # core.lock.HEARTBEAT_SECONDS: a second PC watching the lock waits at most this


def _ask_damaged(exc: DamagedDatabase) -> bool:
    """Offer the newest good backup. Returns True when it was restored."""
    box = QMessageBox(QMessageBox.Icon.Critical, "数据库损坏",
                      f"{exc}\n\n为保护数据，程序不会在损坏的文件上继续写入。")
    restore_button = None
    if exc.good_backup is not None:
        box.setInformativeText(f"最近一份完好的备份：{exc.good_backup.taken_at:%Y年%m月%d日 %H:%M}"
                               f"（{exc.good_backup.reason_label}）。恢复后，此后录入的数据需要重新录入。")
        restore_button = box.addButton("从该备份恢复", QMessageBox.ButtonRole.AcceptRole)
    else:
        box.setInformativeText("没有找到完好的备份。请联系技术人员，并保留该数据库文件。")
    box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if restore_button is None or box.clickedButton() is not restore_button:
        return False
    from ..core import backup
    from ..core.startup import recover_damaged

    try:
        report = recover_damaged(exc.path)  # copies the damaged file aside (with its WAL), never moves it
    except backup.BackupError as failed:
        QMessageBox.critical(None, "恢复没有成功", f"{failed}\n\n数据库文件没有被移动或改动。")
        return False
    from ..core.db import close_database

    close_database()  # opened again, checked, by the caller; the audit log says what was salvaged (report)
    return report is not None


def _ask_locked(holder_text: str) -> bool:
    """Another copy has the database open. True: open read-only; False: quit."""
    box = QMessageBox(QMessageBox.Icon.Warning, "数据库正在使用",
                      f"{holder_text}。\n\n同时修改同一份数据会互相覆盖。")
    read_only = box.addButton("以只读方式打开", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is read_only


class _FileWatch:
    """Says once, on the heartbeat, that the database file was deleted or replaced while the program ran."""

    def __init__(self):
        self.told = False

    def check(self) -> None:
        from ..core.db import vanished

        message = vanished()
        if message and not self.told:
            self.told = True
            QMessageBox.critical(None, "数据库文件不见了", message)


class AfterFirstPaint(QObject):
    """Runs `work` once `widget` has been painted: what the person sees first is never held up by it."""

    def __init__(self, widget: QWidget, work):
        super().__init__(widget)
        self.work = work
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt name
        if self.work is not None and event.type() == QEvent.Type.Paint:
            work, self.work = self.work, None
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, work)
        return False


class _Database:
    """Opens the database once (quick_check, migrations), whenever start-up first needs it."""

    builds_while_typing = True  # the main window is built behind the login dialog (server_startup: not on a server)

    def __init__(self, path: Path):
        self.path = path
        self.check: backup.QuickCheck | None = None
        self.opened = False
        self.failed = False

    def start_check(self) -> None:
        """quick_check on its own thread (SQLite runs without the GIL): Python work can go on meanwhile."""
        if self.check is None:
            from ..core import backup

            self.check = backup.QuickCheck(self.path)

    def ensure_open(self) -> bool:
        """True when open; else the user has been told why (or chose to quit) and start-up must stop.

        A damaged file (the quick_check says so) is not opened: the newest good backup is
        offered instead."""
        if self.opened:
            return True
        from ..core.errors import DatabaseError
        from ..core.startup import DamagedDatabase, open_checked

        self.start_check()
        try:
            try:
                open_checked(self.path, check=self.check, daily_backup=False)  # the day's backup: once shown
            except DamagedDatabase as exc:
                if not _ask_damaged(exc):
                    self.failed = True
                    return False
                open_checked(self.path, daily_backup=False)  # the restored file, checked again
        except DatabaseError as exc:
            QMessageBox.critical(None, "无法打开数据库", str(exc))
            self.failed = True
            return False
        self.opened = True
        return True

    def close(self) -> None:
        if self.opened:
            from ..core.db import close_database

            close_database()
            self.opened = False


def _log_in(database: _Database, prebuilt: list) -> bool:
    """The login dialog. While the person types, the database is opened and the main window built with its first
    numbers (the window is given the session and shown only after the password is right)."""
    from .dialogs.login import LoginDialog

    dialog = LoginDialog(before_login=database.ensure_open)

    def prepare() -> None:
        if not dialog.isVisible() or not database.builds_while_typing:  # answered already (the password typed
            return  # before the window was painted); or a server, which shows nothing before the login
        database.start_check()
        from .main_window import PAGES, MainWindow

        PAGES[0].load()  # the first page's modules load while SQLite checks the file
        if not database.ensure_open():
            dialog.reject()
            return
        window = MainWindow()
        prebuilt.append(window)
        window.render_hidden()

    AfterFirstPaint(dialog, prepare)
    return bool(dialog.exec()) and not database.failed


def _back_up_the_day(path: Path, window: QWidget) -> None:
    """The first start of a day takes a backup: on a worker once the window is shown (on 100,000 residents the
    copy and its check take over a second). If it fails, the user is told; the data is not affected."""
    from ..core.startup import take_daily_backup
    from .tasks import run_query

    def failed(exc: BaseException) -> None:
        QMessageBox.warning(window, "今天的自动备份没有成功",
                            f"{exc}\n\n数据没有受影响。请在“文件 → 备份与恢复”中检查备份文件夹，并立即备份一次。")

    run_query(lambda: take_daily_backup(path), None, failed)


def _shown(window: QWidget, path: Path, follow: bool) -> None:
    """The window is up: the day's backup; a read-only second copy follows the other copy's changes from the audit
    log (gui/live_updates.py)."""
    _back_up_the_day(path, window)
    if follow:
        from . import live_updates

        live_updates.start(window, None, follow_file=True)


def prepare_application(log_place):
    """The application as every start makes it (a file or a server): Qt, the 字号 last used here for the login
    window (the person's own at login), the crash log (beside the file; in server mode, `log_place` a URL, in the
    user's data folder) and the font check. Until someone logs in, the session is this PC's user."""
    from .bootstrap import make_application, warn_if_no_chinese_font

    app = make_application()
    font_size.apply(font_size.last_used())
    crash_handler.install(log_place)  # no console in a windowed build: errors go to a log and a box
    warn_if_no_chinese_font()
    session.current = session.Session(user=session.default_user())
    return app


def run_window(app, database, configured: bool, after_login=None, after_shown=None) -> int:
    """From the first question to the program's end, for a file or a server: the first start's questions
    (FirstRunDialog) when the office is not configured, else the login (the main window built meanwhile); then the
    main window until it is closed. `database` opens the database when first needed (ensure_open, start_check,
    failed: _Database here, server_startup.ServerDatabase); `after_login()` runs once the session is known,
    `after_shown(window)` once the window is shown. Returns the exit code."""
    prebuilt: list = []
    try:
        if not configured:
            if not session.current.can_write:
                QMessageBox.information(None, "社区工作台", "数据库尚未完成首次设置，且当前为只读方式，无法继续。")
                return 0
            from .dialogs.first_run import FirstRunDialog

            if not FirstRunDialog().exec():
                return 0
        else:
            read_only = not session.current.can_write
            if not _log_in(database, prebuilt):
                return 1 if database.failed else 0
            if read_only:  # another copy has the database: stay read-only whatever the account's role
                session.current = session.Session(session.current.user, vocabulary.ROLE_READ_ONLY, session.current.username)
        if after_login is not None:
            after_login()
        if prebuilt:
            window = prebuilt[0]
            window.apply_session()
        else:
            from .main_window import MainWindow

            window = MainWindow()
        window.show()
        if after_shown is not None:
            after_shown(window)
        code = app.exec()
        from .tasks import wait_all

        wait_all()
        return code
    finally:
        for unused in prebuilt:  # the window, or one built for a login that was then cancelled
            unused.deleteLater()


def start_gui(path: Path) -> int:
    app = prepare_application(path)
    path = Path(path)
    database = _Database(path)

    lock = DatabaseLock(path, session.current.user)
    try:
        holder = lock.try_acquire()
    except OSError as exc:  # a read-only folder, a drive gone: the lock file cannot be written
        from ..core.faults import describe_fault

        QMessageBox.critical(None, "无法打开数据库", f"无法使用数据库文件 {path}：{describe_fault(exc) or exc}")
        return 1
    if holder is not None:
        if not _ask_locked(holder.describe()):
            return 0
        session.current = session.Session(user=session.current.user, role=vocabulary.ROLE_READ_ONLY)
    heartbeat = QTimer()
    heartbeat.timeout.connect(lock.heartbeat)
    watch = _FileWatch()
    heartbeat.timeout.connect(watch.check)
    heartbeat.start(HEARTBEAT_MS)

    def name_the_lock() -> None:
        if lock.held:
            lock.user = session.current.user
            lock.try_acquire()  # the lock now names the person who logged in

    def shown(window: QWidget) -> None:
        AfterFirstPaint(window, name_the_lock)  # a file written and synced: not before the window is on screen
        _shown(window, path, follow=holder is not None)

    try:
        configured = looks_configured(path)  # read from the file: the login window need not wait for the models
        if not configured:
            if not database.ensure_open():
                return 1
            from ..core.queries import settings as office_settings

            configured = office_settings.is_configured()  # a damaged file may have been restored from its backup
        return run_window(app, database, configured, after_shown=shown)
    finally:
        live_updates = sys.modules.get(f"{__package__}.live_updates")  # started by _shown, or by a page
        if live_updates is not None:
            live_updates.stop()
        heartbeat.stop()
        lock.release()
        database.close()
