"""Starting the window in server mode (issue 17) as an office PC does: the first start on an empty server
database, a login on a configured one, a server that cannot be reached, and 关于 / 备份与恢复 naming the server.

The real start-up (gui/server_startup.start_server_gui) runs with the real dialogs, answered by pressing their
buttons (tests/windows.answer_dialog); the main window's event loop returns at once. Each test runs in a child
process (a crash of Qt fails the test, not the run). The server is the PostgreSQL test database
(COMMUNITY_DESK_TEST_PG), its schema dropped first; without it the tests skip with the reason.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from community_desk.core import session
from community_desk.core.db import close_database, open_database
from community_desk.core.queries import accounts
from community_desk.core.queries import settings as office_settings
from community_desk.gui import server_startup
from community_desk.gui.dialogs.first_run import FirstRunDialog
from community_desk.gui.dialogs.login import LoginDialog
from tests.server_scratch import scratch_server_url
from tests.windows import answer_dialog

pytestmark = pytest.mark.child_process
UNREACHABLE = "postgresql://desk@/nosuchdb?host=/tmp/nonexistent-dir"
ROOT = Path(__file__).resolve().parents[2]


def button(dialog, text: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == text and b.isVisible())


def press(qtbot, dialog, text: str) -> None:
    qtbot.mouseClick(button(dialog, text), Qt.MouseButton.LeftButton)


@pytest.fixture
def server(tmp_path, monkeypatch):
    """The PostgreSQL test database, emptied (schema dropped); the user's data folder under tmp_path."""
    url = scratch_server_url()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    monkeypatch.chdir(tmp_path)  # a path made from the URL would appear here (a `postgresql:` folder)
    return url


def configure(url: str, password: str = "secret-1") -> None:
    """The office as a first start leaves it (the questions answered, the administrator made)."""
    from community_desk.core.queries import office_setup

    open_database(url)
    session.current = session.Session(user="测试员", role="管理员")
    office_setup.set_up_office("原乡小镇", "长阳镇原乡小镇社区居委会", "张敏", "admin", password, password)
    close_database()


def nothing_beside_a_file(tmp_path: Path) -> None:
    """Server mode writes no lock file, backup or photo folder anywhere a path made from the URL would put them."""
    made = sorted(p.name for p in tmp_path.iterdir())
    assert "postgresql:" not in made and not list(tmp_path.rglob("*.lock")) and not list(tmp_path.rglob("backups"))


def test_the_first_start_on_an_empty_server_asks_and_creates_the_administrator(server, started, qtbot, tmp_path):
    seen = []

    def fill(dialog):
        dialog.communities_edit.setPlainText("原乡小镇")
        dialog.office_edit.setText("长阳镇原乡小镇社区居委会")
        dialog.reporter_edit.setText("张敏")
        qtbot.keyClicks(dialog.admin_edit, "admin")
        qtbot.keyClicks(dialog.password_edit, "secret-1")
        qtbot.keyClicks(dialog.password_again, "secret-1")
        press(qtbot, dialog, "开始使用")

    answer_dialog(fill, seen)
    assert server_startup.start_server_gui(server) == 0
    assert isinstance(seen[0], FirstRunDialog)
    assert len(started) == 1 and "长阳镇原乡小镇社区居委会" in started[0].windowTitle()
    assert office_settings.is_configured() and accounts.has_accounts()
    close_database()
    open_database(server)  # the administrator is on the server, for every PC
    accounts.login("admin", "secret-1")
    nothing_beside_a_file(tmp_path)


def test_a_configured_server_asks_for_the_password_and_opens_the_main_window(server, started, qtbot, tmp_path):
    configure(server)
    seen = []

    def log_in(dialog):
        qtbot.keyClicks(dialog.username_edit, "admin")
        qtbot.keyClicks(dialog.password_edit, "wrong-pass")
        press(qtbot, dialog, "登录")
        assert dialog.isVisible() and dialog.error_label.text()  # refused, said in the window
        qtbot.keyClicks(dialog.password_edit, "secret-1")
        press(qtbot, dialog, "登录")

    answer_dialog(log_in, seen)
    assert server_startup.start_server_gui(server) == 0
    assert isinstance(seen[0], LoginDialog)
    [window] = started
    assert "长阳镇原乡小镇社区居委会" in window.windowTitle() and session.current.username == "admin"
    qtbot.waitUntil(lambda: window.current_page().loaded(), timeout=20_000)
    nothing_beside_a_file(tmp_path)


def test_with_accounts_nothing_is_read_before_the_login_and_the_window_works_as_the_person(server, started, qtbot):
    """Issue 18: the login comes before any connection to the data (the gate only), and the window's connection
    is the person's login role: a read-only seat gets the masked views, whatever the program would ask."""
    configure(server)
    open_database(server)
    session.current = session.Session(user="测试员", role="管理员")
    accounts.create_account("rt18door", "门岗王师傅", "Door-pw-18", "只读")
    close_database()
    from community_desk.core.models.base import db_proxy

    owners = db_proxy.obj  # the URL's own user (here the superuser): not the window's
    before = []

    def log_in(dialog):
        before.append(db_proxy.obj is None or db_proxy.obj.is_closed())
        qtbot.keyClicks(dialog.username_edit, "rt18door")
        qtbot.keyClicks(dialog.password_edit, "Door-pw-18")
        press(qtbot, dialog, "登录")

    answer_dialog(log_in)
    assert server_startup.start_server_gui(server) == 0
    [window] = started
    assert before == [True] and session.current.role == "只读"
    assert db_proxy.obj is not owners and owners.is_closed()
    assert db_proxy.execute_sql("SELECT session_user, current_setting('search_path')").fetchone() == (
        "desk_u_rt18door", "desk_ro, public")
    qtbot.waitUntil(lambda: window.current_page().loaded(), timeout=20_000)


def test_an_administrator_answers_the_office_questions_after_the_login(server, started, qtbot):
    """server-init without --office: the accounts exist, so the login comes first; an administrator then answers
    the office's questions on the person's own connection."""
    open_database(server)
    session.current = session.Session(user="测试员", role="管理员")
    accounts.create_account("rt18head", "张敏", "Head-pw-18", "管理员")
    close_database()
    seen = []

    def log_in(dialog):
        qtbot.keyClicks(dialog.username_edit, "rt18head")
        qtbot.keyClicks(dialog.password_edit, "Head-pw-18")
        press(qtbot, dialog, "登录")
        answer_dialog(fill, seen)  # the next window, once this one has closed

    def fill(dialog):
        assert not dialog.admin_edit.isEnabled()  # the administrator is there already
        dialog.communities_edit.setPlainText("原乡小镇")
        dialog.office_edit.setText("长阳镇原乡小镇社区居委会")
        dialog.reporter_edit.setText("张敏")
        press(qtbot, dialog, "开始使用")

    answer_dialog(log_in, seen)
    assert server_startup.start_server_gui(server) == 0
    assert [type(d) for d in seen] == [LoginDialog, FirstRunDialog]
    [window] = started
    assert "长阳镇原乡小镇社区居委会" in window.windowTitle() and office_settings.is_configured()


def test_about_and_backups_name_the_server_not_a_file(server, started, qtbot, tmp_path):
    url = server.replace("postgres@", "postgres:not-shown-pw@")  # trust authentication: the password is ignored
    configure(url)

    def log_in(dialog):
        qtbot.keyClicks(dialog.username_edit, "admin")
        qtbot.keyClicks(dialog.password_edit, "secret-1")
        press(qtbot, dialog, "登录")

    answer_dialog(log_in)
    assert server_startup.start_server_gui(url) == 0
    [window] = started
    about = []
    def read_and_close(box):
        about.append(box.text())
        qtbot.mouseClick(box.findChildren(QPushButton)[0], Qt.MouseButton.LeftButton)

    answer_dialog(read_and_close)
    window.about_action.trigger()
    [text] = about
    assert "服务器模式" in text
    database = server.split("/")[3].split("?")[0]
    assert f"<td>{database}</td>" in text and "<td>desk_u_admin</td>" in text  # the person's login role (issue 18)
    assert "not-shown-pw" not in text and "secret-1" not in text and "数据库文件" not in text

    from community_desk.gui.dialogs.backups import BackupsDialog

    dialog = BackupsDialog(window)
    qtbot.addWidget(dialog)
    assert "服务器模式" in dialog.about_label.text() and "pg_dump" in dialog.about_label.text()
    assert "not-shown-pw" not in dialog.about_label.text()
    assert dialog.backup_button.isEnabled() and not dialog.restore_button.isEnabled()
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)  # pg_dump, checked, into the user data folder
    assert dialog.message.text().startswith("已备份") and dialog.model.rowCount() == 1, dialog.message.text()
    assert dialog.folder.is_relative_to(tmp_path / "data-home")


def test_an_unreachable_server_is_said_with_retry_and_quit(started, qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    seen = []

    def retry_then_quit(box):
        press(qtbot, box, "重试" if len(seen) == 1 else "退出")
        if len(seen) == 1:
            answer_dialog(retry_then_quit, seen)  # 重试 tries again: the window comes back

    answer_dialog(retry_then_quit, seen)
    assert server_startup.start_server_gui(UNREACHABLE) == 1
    assert len(seen) == 2 and started == []
    first = seen[0]
    assert first.windowTitle() == "无法连接数据库服务器"
    assert "nonexistent-dir" in first.text() and "nosuchdb" in first.text() and "desk" in first.text()
    for check in ("服务器电脑是否开着", "办公室网络", "用户名是否正确", "PostgreSQL 服务是否在运行"):
        assert check in first.informativeText()
    assert "PostgreSQL 服务可能没有运行" in first.text()  # the reason, in Chinese


def test_the_program_started_on_an_unreachable_server_ends_with_1_and_no_traceback(tmp_path):
    png = tmp_path / "unreachable.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp_path / "data-home"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env.pop("COMMUNITY_DESK_DB", None)
    result = subprocess.run([sys.executable, "-m", "tests.server_unreachable_child", UNREACHABLE, str(png)],
                            cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=120)
    windows = [line for line in result.stdout.splitlines() if line.startswith("WINDOW ")]
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert len(windows) == 2, windows
    for window in windows:
        title, text, informative, buttons, _press = window.split(" | ")
        assert title == "WINDOW 无法连接数据库服务器" and "nosuchdb" in text and "服务器电脑是否开着" in informative
        assert {"重试", "退出"} <= set(buttons.split(","))
    assert windows[0].endswith("press 重试") and windows[1].endswith("press 退出")
    assert png.stat().st_size > 10_000  # the window was drawn (looked at by hand when this test was written)
    assert not (tmp_path / "data-home" / "CommunityDesk" / "logs").exists()  # nothing unexpected was logged
