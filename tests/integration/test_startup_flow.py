"""Starting the program as the office does: first start, a second copy on the same database, a damaged file.

The real start-up (gui/startup.start_gui) runs with its dialogs answered by the test: a dialog's exec()
is replaced by filling it in and pressing its button, and the event loop returns at once.
"""
import datetime as dt
import json
import os
import socket

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from community_desk.core import session
from community_desk.core.atomic import write_text
from community_desk.core.db import close_database
from community_desk.core.lock import read_lock
from community_desk.gui import startup
from community_desk.gui.dialogs.first_run import FirstRunDialog
from community_desk.gui.dialogs.login import LoginDialog
from community_desk.gui.main_window import MainWindow


@pytest.fixture
def started(monkeypatch, qapp, qt_settings):
    """Run start_gui with the event loop returning at once; collect the main windows it shows."""
    windows = []
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    original_show = MainWindow.show

    def show(window):
        windows.append(window)
        original_show(window)

    monkeypatch.setattr(MainWindow, "show", show)
    yield windows
    for window in windows:
        window.close()
        window.deleteLater()
    close_database()


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
    assert "【只读】" in started[-1].windowTitle() and session.current.role == "只读"
    assert read_lock(db_path).user == "李娜"  # the other copy keeps its lock


def test_a_damaged_database_is_not_written_and_the_good_backup_is_restored(tmp_path, started, monkeypatch):
    db_path = tmp_path / "desk.db"
    answer_first_run(monkeypatch)
    assert startup.start_gui(db_path) == 0
    data = bytearray(db_path.read_bytes())
    data[4096:4096 * 3] = b"\xa5" * (4096 * 2)
    db_path.write_bytes(bytes(data))
    seen = []
    click_message_button(monkeypatch, "从该备份恢复", seen)
    answer_login(monkeypatch)
    assert startup.start_gui(db_path) == 0
    assert "已损坏" in seen[0]
    assert (tmp_path / "desk.db.damaged").exists()  # the damaged file is kept for a technician
    assert "长阳镇原乡小镇社区居委会" in started[-1].windowTitle()
