"""Starting the program as the office does: first start, a second copy on the same database, a damaged file.

The real start-up (gui/startup.start_gui) runs with its dialogs answered by the test: a dialog's exec()
is replaced by filling it in and pressing its button, and the event loop returns at once.
"""
import datetime as dt
import json
import os
import socket
import time

from PySide6.QtWidgets import QApplication, QMessageBox

from community_desk.core import session
from community_desk.core.atomic import write_text
from community_desk.core.db import close_database, open_database
from community_desk.core.lock import read_lock
from community_desk.core.queries import accounts
from community_desk.gui import startup
from community_desk.gui.dialogs.first_run import FirstRunDialog
from community_desk.gui.dialogs.login import LoginDialog
from community_desk.gui.main_window import MainWindow
from tests.databases import configured_database, damage


def answer_first_run(monkeypatch, password="secret-1"):
    def run(dialog):
        dialog.communities_edit.setPlainText("原乡小镇")
        dialog.office_edit.setText("长阳镇原乡小镇社区居委会")
        dialog.reporter_edit.setText("张敏")
        dialog.admin_edit.setText("admin")
        dialog.password_edit.setText(password)
        dialog.password_again.setText(password)
        dialog.save()
        return dialog.result()
    monkeypatch.setattr(FirstRunDialog, "exec", run)


def answer_login(monkeypatch, password="secret-1"):
    def run(dialog):
        dialog.username_edit.setText("admin")
        dialog.password_edit.setText(password)
        dialog.try_login()
        return dialog.result()
    monkeypatch.setattr(LoginDialog, "exec", run)


def click_message_button(monkeypatch, text: str, seen: list):
    """QMessageBox.exec clicks the button with this text (and remembers what the box said)."""
    def run(box):
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == text).click()
        return 0
    monkeypatch.setattr(QMessageBox, "exec", run)


def test_first_start_creates_the_database_asks_and_opens_the_window(tmp_path, started, monkeypatch):
    db_path = tmp_path / "desk.db"
    answer_first_run(monkeypatch)
    assert startup.start_gui(db_path) == 0
    assert db_path.exists() and len(started) == 1
    assert "长阳镇原乡小镇社区居委会" in started[0].windowTitle() and "只读" not in started[0].windowTitle()
    assert read_lock(db_path) is None  # released at exit
    backups = list((tmp_path / "backups").glob("community_desk-*-daily.db"))
    assert len(backups) == 1  # the first start of the day took its backup


def test_a_second_copy_is_told_who_and_opens_read_only(tmp_path, started, monkeypatch):
    db_path = tmp_path / "desk.db"
    answer_first_run(monkeypatch)
    assert startup.start_gui(db_path) == 0
    now = dt.datetime.now().replace(microsecond=0).isoformat()
    write_text(str(db_path) + ".lock", json.dumps({"user": "李娜", "host": socket.gethostname(),
                                                   "pid": os.getppid(), "since": now, "heartbeat": now}))
    seen = []
    click_message_button(monkeypatch, "以只读方式打开", seen)
    answer_login(monkeypatch)
    assert startup.start_gui(db_path) == 0
    assert "李娜" in seen[-1] and "正在使用" in seen[-1]
    assert started[-1].windowTitle().endswith("（只读）") and session.current.role == "只读"  # said once
    assert read_lock(db_path).user == "李娜"  # the other copy keeps its lock


def test_the_lock_names_the_person_once_the_window_is_painted(tmp_path, started, monkeypatch):
    """The lock first names this PC's user; the person who logged in is written once the window is on screen (the
    write and its sync are not waited on before the first paint)."""
    db_path = tmp_path / "desk.db"
    answer_first_run(monkeypatch)
    assert startup.start_gui(db_path) == 0
    named = []

    def event_loop(app):
        named.append(read_lock(db_path).user)  # shown, not yet painted
        started[-1].repaint()
        deadline = time.monotonic() + 10
        while read_lock(db_path).user == named[0] and time.monotonic() < deadline:
            QApplication.processEvents()  # the zero timer AfterFirstPaint set
        named.append(read_lock(db_path).user)
        return 0

    monkeypatch.setattr(QApplication, "exec", event_loop)
    monkeypatch.setattr(startup.session, "default_user", lambda: "办公室电脑")
    answer_login(monkeypatch)
    assert startup.start_gui(db_path) == 0
    assert named == ["办公室电脑", "张敏"]


def test_a_damaged_database_is_not_written_and_the_good_backup_is_restored(tmp_path, started, monkeypatch):
    db_path = tmp_path / "desk.db"
    answer_first_run(monkeypatch)
    assert startup.start_gui(db_path) == 0
    damage(db_path)
    seen = []
    click_message_button(monkeypatch, "从该备份恢复", seen)
    answer_login(monkeypatch)
    assert startup.start_gui(db_path) == 0
    assert "已损坏" in seen[0]
    assert (tmp_path / "desk.db.damaged").exists()  # the damaged file is kept for a technician
    assert "长阳镇原乡小镇社区居委会" in started[-1].windowTitle()


def test_the_window_is_built_while_the_password_is_typed_and_given_the_session_after(tmp_path, started, monkeypatch):
    db_path = tmp_path / "desk.db"
    answer_first_run(monkeypatch)
    assert startup.start_gui(db_path) == 0
    open_database(db_path)
    session.current = session.Session("测试", "管理员")
    accounts.create_account("gate", "门岗志愿者", "gate-pass-1", role="只读")
    close_database()
    built = []
    original_init = MainWindow.__init__

    def init(window):
        original_init(window)
        built.append(window)

    monkeypatch.setattr(MainWindow, "__init__", init)

    def type_slowly(dialog):
        dialog.show()  # as exec() does; the person takes a while to type
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not (built and built[0].current_page().charts_loaded()):
            QApplication.processEvents()
        assert built and not built[0].isVisible()  # built, counted, drawn off screen; not shown before the password
        dialog.username_edit.setText("gate")
        dialog.password_edit.setText("gate-pass-1")
        dialog.try_login()
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", type_slowly)
    assert startup.start_gui(db_path) == 0
    window = started[-1]
    assert window is built[0] and window.current_page().loaded()
    assert "门岗志愿者（只读）" in window.windowTitle()
    assert not window.new_action.isEnabled() and not window.accounts_action.isEnabled()


def test_the_login_window_comes_before_the_model_layer_is_loaded(tmp_path):
    """The first window a person waits for needs Qt and the file's check, not peewee and the models."""
    import subprocess
    import sys

    db_path = tmp_path / "desk.db"
    configured_database(db_path)
    script = (
        "import sys\n"
        "from community_desk.gui.dialogs.login import LoginDialog\n"
        "seen = {}\n"
        "def exec_(dialog):\n"
        "    seen['peewee loaded'] = 'peewee' in sys.modules\n"
        "    seen['title'] = dialog.windowTitle()\n"
        "    return 0\n"
        "LoginDialog.exec = exec_\n"
        "from community_desk.app import main\n"
        "print(main(['--db', sys.argv[1]]), seen)\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", script, str(db_path)], capture_output=True, text=True, env=env,
                         check=True, timeout=60).stdout
    assert out.strip() == "0 {'peewee loaded': False, 'title': '登录社区工作台'}"


def test_a_database_that_cannot_be_opened_stops_the_login_with_a_message(tmp_path, started, monkeypatch):
    import sqlite3

    db_path = tmp_path / "desk.db"
    configured_database(db_path)
    with sqlite3.connect(db_path) as conn:  # as if a newer version of the program had written it
        conn.execute('INSERT INTO "schema_version" VALUES (999)')
    said = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: said.append(text))
    answer_login(monkeypatch)
    assert startup.start_gui(db_path) == 1
    assert started == [] and "更新版本" in said[0]
    assert read_lock(db_path) is None


def test_a_daily_backup_that_fails_is_reported_and_the_window_still_opens(tmp_path, started, monkeypatch):
    from community_desk.core.queries import settings

    db_path = tmp_path / "desk.db"
    answer_first_run(monkeypatch)
    assert startup.start_gui(db_path) == 0
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backup folder should be")
    open_database(db_path)
    settings.put("backup_dir", str(blocker / "backups"))
    close_database()
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: said.append(title))
    answer_login(monkeypatch)
    assert startup.start_gui(db_path) == 0
    deadline = time.monotonic() + 10
    while not said and time.monotonic() < deadline:
        QApplication.processEvents()
    assert len(started) == 2 and said == ["今天的自动备份没有成功"]


def test_what_the_login_window_waits_on_stays_small():
    """Before the login window, start-up imports neither the model layer nor backup and the start-up checks (they
    load while the password is typed): each costs the slow office PC tens of milliseconds before anything shows."""
    import subprocess
    import sys

    code = ("import sys; from community_desk.gui import startup, bootstrap; from community_desk.gui.dialogs import login; "
            "print(sorted(m for m in sys.modules if m in ('peewee', 'openpyxl', 'secrets', 'community_desk.core.backup', "
            "'community_desk.core.startup', 'community_desk.core.db') or m.startswith('community_desk.core.models')))")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert out.strip() == "[]"
