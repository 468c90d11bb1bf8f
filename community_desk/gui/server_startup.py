"""Starting the window in server mode (issue 17): the data on a PostgreSQL server, `--db postgresql://…`.

The same start as a file's (gui/startup.py: prepare_application, then run_window's first start or login and the
main window), without what belongs to a file: no lock file (the server keeps several PCs' writes apart), no
quick_check (the server checks its own storage), no daily file backup (the server's backups are taken with
`main.py --db URL backup`, pg_dump). The crash log goes to the user's data folder on this PC.

The server is connected to before anything else (whether the office is configured is a question to it). When it
cannot be reached, a window says which server, why, and what to check, with 重试 (try again, after the person
has switched the server on or plugged the cable in) and 退出 (exit code 1).
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMessageBox

from ..core import session
from ..core.errors import DatabaseError
from ..core.server_info import connection_reason, describe_server, is_unreachable, use_connect_timeout
from . import live_updates
from .startup import prepare_application, run_window

TITLE = "无法连接数据库服务器"
RETRY = "重试"
QUIT = "退出"
WHAT_TO_CHECK = ("服务器电脑是否开着", "这台电脑是否连在办公室网络上（网线、无线网络）",
                 "地址、数据库名、用户名是否正确", "服务器上的 PostgreSQL 服务是否在运行")


def connection_failed_box(url: str, exc: DatabaseError) -> QMessageBox:
    """The window shown when the server cannot be reached (or refuses the database), with 重试 and 退出."""
    reason, detail = connection_reason(exc)
    unreachable = is_unreachable(exc)
    rows = "".join(f"<tr><td><b>{label}</b></td><td>{html.escape(value)}</td></tr>"
                   for label, value in describe_server(url))
    text = (f"<p>{'无法连接数据库服务器' if unreachable else '无法打开服务器上的数据库'}。</p>"
            f"<table cellspacing='3'>{rows}<tr><td><b>原因</b></td><td>{html.escape(reason)}</td></tr></table>")
    box = QMessageBox(QMessageBox.Icon.Critical, TITLE if unreachable else "无法打开服务器上的数据库", text)
    box.setTextFormat(Qt.TextFormat.RichText)
    if unreachable:
        checks = "；".join(f"<br>{n}. {item}" for n, item in enumerate(WHAT_TO_CHECK, 1)) + "。"
        box.setInformativeText(f"<p>请检查：{checks}</p><p>检查后按“重试”；按“退出”关闭程序。"
                               "如果仍然连不上，请联系技术人员。</p>")
    else:
        box.setInformativeText("<p>请联系技术人员处理后按“重试”；按“退出”关闭程序。</p>")
    label = box.findChild(QLabel, "qt_msgbox_label")
    if label is not None:  # the address and the reason on a line each, not wrapped at Qt's narrow default
        label.setMinimumWidth(460)
    if detail:
        box.setDetailedText(f"连接地址：{describe_server(url)[-1][1]}\n数据库程序的原话：{detail}")
    retry = box.addButton(RETRY, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QUIT, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(retry)
    box.retry_button = retry
    return box


def ask_retry(url: str, exc: DatabaseError) -> bool:
    """True: try again (重试); False: quit (退出, or the window closed)."""
    box = connection_failed_box(url, exc)
    box.exec()
    return box.clickedButton() is box.retry_button


class ServerDatabase:
    """The server for start-up, with the face run_window expects of startup._Database: ensure_open reaches the
    server (asking 重试/退出 for as long as it cannot be reached), there is no file to check.

    Start-up order (issue 18): the server is reached as `desk_gate`, which reads nothing of the office's data and
    says only the schema's version and whether there are accounts. With accounts, the login dialog comes next, and
    the login connects as the person's own login role (core/server_login.py): nothing of the data is read before
    the password is right, so the main window is not built while the person types (builds_while_typing). A server
    without the gate (a new database, or one made before version 19) is opened once with the URL's own user, the
    owner, which brings the schema to this version; without accounts yet, the first start's questions follow on
    that connection and create the first administrator and its login role."""

    builds_while_typing = False

    def __init__(self, url: str):
        self.url = url
        self.opened = False
        self.failed = False
        self.has_accounts = False

    def start_check(self) -> None:
        """No quick_check: the server looks after its own storage."""

    def ensure_open(self) -> bool:
        while not self.opened:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self._reach()
                self.opened = True
            except DatabaseError as exc:
                QGuiApplication.restoreOverrideCursor()
                if not ask_retry(self.url, exc):
                    self.failed = True
                    return False
            else:
                QGuiApplication.restoreOverrideCursor()
        return True

    def _reach(self) -> None:
        from ..core import server_login
        from ..core.db import close_database, open_database
        from ..core.migrations import LATEST_VERSION

        try:
            version, self.has_accounts = server_login.server_state(self.url)
        except DatabaseError:
            version = 0  # no gate yet (or no server: then the owner's connection says why)
        if version > LATEST_VERSION:
            from ..core.db import NewerSchemaError

            raise NewerSchemaError(f"服务器上的数据库由更新版本的社区工作台创建（结构版本 {version}，本程序支持到 "
                                   f"{LATEST_VERSION}），请升级这台电脑上的程序")
        if version < LATEST_VERSION:
            open_database(self.url)  # as the owner: the schema and the roles brought to this version
            version, self.has_accounts = server_login.server_state(self.url)
        elif not self.has_accounts:
            open_database(self.url)  # the first start's questions, on the owner's connection
        if self.has_accounts:
            from ..core.models.base import db_proxy

            if db_proxy.obj is not None:
                close_database()  # the owner's connection is not the person's: the login opens theirs
            server_login.use_server(self.url)

    def close(self) -> None:
        from ..core import server_login

        server_login.use_server("")  # the program's end: later logins in this process are no longer this server's
        if self.opened:
            from ..core.db import close_database

            close_database()
            self.opened = False


def _office_questions() -> bool:
    """After a login on a server whose office questions were not answered (server-init without --office): an
    administrator answers them now; anyone else is told. False: the program stops."""
    from ..core import vocabulary
    from ..core.queries import settings as office_settings

    if office_settings.is_configured():
        return True
    if session.current.role == vocabulary.ROLE_ADMIN:
        from .dialogs.first_run import FirstRunDialog

        return bool(FirstRunDialog().exec())
    QMessageBox.information(None, "社区工作台", "服务器上的数据库尚未完成首次设置（社区和填报单位），请管理员先登录填写。")
    return False


def start_server_gui(url: str) -> int:
    app = prepare_application(url)  # a URL: the crash log in the user's data folder
    use_connect_timeout()  # a server switched off is said in seconds, not after two minutes
    database = ServerDatabase(url)
    try:
        if not database.ensure_open():
            return 1
        from ..core.queries import settings as office_settings

        configured = database.has_accounts or office_settings.is_configured()  # accounts: the login comes first

        def after_login() -> None:
            if database.has_accounts and not _office_questions():
                raise SystemExit(0)
            live_updates.logged_in(session.current.user)

        return run_window(app, database, configured, after_login=after_login,
                          after_shown=lambda window: live_updates.start(window, url))  # other PCs' changes
    finally:
        live_updates.stop()
        database.close()
