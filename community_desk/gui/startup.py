"""Starting the window: check the database, take the lock, first start, open the main window.

Each step that cannot go on by itself asks the user in plain Chinese: a damaged database offers the
newest good backup; a database another copy of the program has open is offered read-only.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from ..core import backup, session
from ..core.db import DatabaseError, close_database
from ..core.lock import DatabaseLock
from ..core.startup import DamagedDatabase, open_checked

HEARTBEAT_MS = 60_000


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
    damaged_copy = exc.path.with_name(exc.path.name + ".damaged")
    exc.path.replace(damaged_copy)
    backup.restore_file(exc.good_backup.path, exc.path)
    return True


def _ask_locked(holder_text: str) -> bool:
    """Another copy has the database open. True: open read-only; False: quit."""
    box = QMessageBox(QMessageBox.Icon.Warning, "数据库正在使用",
                      f"{holder_text}。\n\n同时修改同一份数据会互相覆盖。")
    read_only = box.addButton("以只读方式打开", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is read_only


def start_gui(path: Path, check: backup.QuickCheck | None = None) -> int:
    from ..core.queries import settings as office_settings
    from .bootstrap import make_application, warn_if_no_chinese_font
    from .dialogs.first_run import FirstRunDialog
    from .dialogs.login import LoginDialog
    from .main_window import MainWindow
    from .tasks import wait_all

    app = make_application()
    warn_if_no_chinese_font()
    session.current = session.Session(user=session.default_user())  # until someone logs in
    path = Path(path)
    try:
        open_checked(path, check=check)
    except DamagedDatabase as exc:
        if not _ask_damaged(exc):
            return 1
        open_checked(path)
    except DatabaseError as exc:
        QMessageBox.critical(None, "无法打开数据库", str(exc))
        return 1

    lock = DatabaseLock(path, session.current.user)
    holder = lock.try_acquire()
    if holder is not None:
        if not _ask_locked(holder.describe()):
            close_database()
            return 0
        session.current = session.Session(user=session.current.user, role="只读")
    heartbeat = QTimer()
    heartbeat.timeout.connect(lock.heartbeat)
    heartbeat.start(HEARTBEAT_MS)
    try:
        if not office_settings.is_configured():
            if not session.current.can_write:
                QMessageBox.information(None, "社区工作台", "数据库尚未完成首次设置，且当前为只读方式，无法继续。")
                return 0
            if not FirstRunDialog().exec():
                return 0
        else:
            read_only = not session.current.can_write
            if not LoginDialog().exec():
                return 0
            if read_only:  # another copy has the database: stay read-only whatever the account's role
                session.current = session.Session(session.current.user, "只读", session.current.username)
        if lock.held:
            lock.user = session.current.user
            lock.try_acquire()  # the lock now names the person who logged in
        window = MainWindow()
        window.show()
        code = app.exec()
        wait_all()
        return code
    finally:
        heartbeat.stop()
        lock.release()
        close_database()
