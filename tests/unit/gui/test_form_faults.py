"""A form's 保存 while another PC holds a write transaction on the database (issue 14 item 8): the form says in its
summary that the database is being written elsewhere, saves nothing, keeps what was typed, and saves once the
other writer is done."""
from __future__ import annotations

import sqlite3
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from community_desk.core.faults import DATABASE_BUSY
from community_desk.core.models import Resident
from community_desk.gui.windows.residents.form import ResidentForm
from tests.pdf_text import find_button

# The program waits 5 s (core.db PRAGMAS busy_timeout) for another writer before giving up; the test waits less.
TEST_BUSY_TIMEOUT_MS = 300


def type_chinese(widget, text: str) -> None:
    """As an input method commits 孙丽 (qtbot.keyClicks with Chinese aborts Qt)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def other_pc(db_path, community):
    """A second connection, as another PC on the shared folder would have; holds BEGIN IMMEDIATE when asked."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    yield conn
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    conn.close()


def test_save_while_another_pc_writes_says_so_and_keeps_the_typing(qtbot, qt_settings, db, other_pc):
    db.execute_sql(f"PRAGMA busy_timeout = {TEST_BUSY_TIMEOUT_MS}")  # this (the GUI) thread's connection
    form = ResidentForm(None)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    type_chinese(form.name_edit, "孙丽")
    qtbot.keyClicks(form.phone_edit, "13812345678")
    type_chinese(form.notes_edit, "行动不便，需上门")

    other_pc.execute("BEGIN IMMEDIATE")
    other_pc.execute("UPDATE community SET name = name")
    started = time.monotonic()
    qtbot.mouseClick(find_button(form, "保存"), Qt.MouseButton.LeftButton)
    assert time.monotonic() - started < 3  # the test's timeout, not the program's 5 s
    assert form.isVisible()
    assert form.summary.isVisible() and form.summary.text() == DATABASE_BUSY
    assert "数据库正被另一台电脑" in form.summary.text()
    assert (form.name_edit.text(), form.phone_edit.text(), form.notes_edit.toPlainText()) == \
        ("孙丽", "13812345678", "行动不便，需上门")

    other_pc.execute("ROLLBACK")  # the other PC is done
    assert Resident.select().count() == 0
    qtbot.mouseClick(find_button(form, "保存"), Qt.MouseButton.LeftButton)
    assert not form.isVisible() and form.result() == ResidentForm.DialogCode.Accepted
    assert [(r.name, r.phone, r.notes) for r in Resident.select()] == [("孙丽", "13812345678", "行动不便，需上门")]
