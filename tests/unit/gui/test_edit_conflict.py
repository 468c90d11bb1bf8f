"""Two windows in two real processes editing the same resident on the server (issue 18): this test's 居民信息 form
and a colleague's, open in another process (offscreen) on the same PostgreSQL test database, both loaded before
either saves. The colleague saves first (their 保存 button), then this form's 保存 is pressed. Different fields
merge; the same field shows the clash dialog, and each of 用我的 / 用他的 / 重新打开, pressed, does what it says.
Every step waits for the other process's answer line, never for time. Skipped without COMMUNITY_DESK_TEST_PG."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from community_desk.core import session
from community_desk.core.db import close_database, open_database
from community_desk.core.queries import communities, residents
from community_desk.gui import tasks
from community_desk.gui.dialogs.edit_conflict import EditConflictDialog
from community_desk.gui.windows.residents.form import ResidentForm
from tests.server_scratch import scratch_server_url
from tests.windows import answer_dialog

pytestmark = pytest.mark.child_process

ME, COLLEAGUE = "王敏", "李强"

COLLEAGUE_WINDOW = r"""
import json, sys, tempfile
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from community_desk.core import session
from community_desk.core.db import open_database
from community_desk.gui.windows.residents.form import ResidentForm

url, user, resident_id = sys.argv[1], sys.argv[2], int(sys.argv[3])
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
app = QApplication([])
open_database(url)
session.current = session.Session(user=user, role="管理员")
form = ResidentForm(None, resident_id)
form.show()
print(json.dumps({"loaded": form.loaded["version"]}), flush=True)
for line in sys.stdin:
    for key, value in json.loads(line).items():
        form.inputs[key].setPlainText(value) if key == "notes" else form.inputs[key].setText(value)
    QTest.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    print(json.dumps({"open": form.isVisible(), "summary": form.summary.text()}), flush=True)
"""


class ColleagueWindow:
    """The colleague's resident form, open in another process on the same server database."""

    def __init__(self, url: str, resident_id: int):
        self.process = subprocess.Popen([sys.executable, "-c", COLLEAGUE_WINDOW, url, COLLEAGUE, str(resident_id)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
        self.loaded = self._answer()["loaded"]

    def _answer(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError(self.process.stderr.read()[-3000:])
        return json.loads(line)

    def type_and_save(self, **values) -> dict:
        self.process.stdin.write(json.dumps(values, ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        return self._answer()

    def quit(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def two_windows(qt_settings, qtbot):
    """A resident on the emptied server database, this PC's form on it, and the colleague's form in another
    process, both loaded at the same version."""
    url = scratch_server_url()
    open_database(url)
    session.current = session.Session(user=ME, role="管理员")
    [cid] = communities.ensure_communities(["原乡小镇"])
    rid = residents.save({"name": "王洋", "community_id": cid, "phone": "13812345678", "notes": "独居"})
    form = ResidentForm(None, rid)
    qtbot.addWidget(form)
    form.show()
    colleague = ColleagueWindow(url, rid)
    assert colleague.loaded == form.loaded["version"]
    yield form, colleague, rid
    colleague.quit()
    tasks.wait_all()
    close_database()


def press(qtbot, dialog, text: str) -> None:
    [button] = [b for b in dialog.findChildren(QPushButton) if b.text() == text]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def save_and_answer(qtbot, form: ResidentForm, choice: str) -> list[list[str]]:
    """Press this form's 保存; the clash dialog's rows as shown, answered with the button `choice`."""
    rows: list[list[str]] = []

    def act(dialog):
        assert isinstance(dialog, EditConflictDialog)
        table = dialog.table
        rows.extend([table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount()))
        press(qtbot, dialog, choice)

    answer_dialog(act)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    return rows


def test_edits_of_different_fields_in_two_windows_merge(two_windows, qtbot):
    form, colleague, rid = two_windows
    assert colleague.type_and_save(phone="13900001111") == {"open": False, "summary": ""}
    form.notes_edit.setPlainText("独居，女儿每周来")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()  # saved without a question
    stored = residents.get_form(rid)
    assert (stored["phone"], stored["notes"]) == ("13900001111", "独居，女儿每周来")  # nothing lost
    assert stored["version"] == form.loaded["version"] + 2


def test_the_same_field_shows_the_clash_and_use_mine_saves_mine(two_windows, qtbot):
    form, colleague, rid = two_windows
    colleague.type_and_save(notes="B：已搬去女儿家")
    form.notes_edit.setPlainText("A：独居，需要上门")
    form.phone_edit.setText("13700002222")
    rows = save_and_answer(qtbot, form, "用我的")
    assert [row[:3] for row in rows] == [["备注", "A：独居，需要上门", "B：已搬去女儿家"]]
    assert rows[0][3].startswith(COLLEAGUE + "，")  # who changed it, and when
    assert not form.isVisible()
    stored = residents.get_form(rid)
    assert (stored["notes"], stored["phone"]) == ("A：独居，需要上门", "13700002222")


def test_use_theirs_takes_their_value_keeps_my_other_edit_and_leaves_the_form_open(two_windows, qtbot):
    form, colleague, rid = two_windows
    colleague.type_and_save(notes="B：已搬去女儿家")
    form.notes_edit.setPlainText("A：独居，需要上门")
    form.phone_edit.setText("13700002222")
    save_and_answer(qtbot, form, "用他的")
    assert form.isVisible() and form.notes_edit.toPlainText() == "B：已搬去女儿家"
    assert form.phone_edit.text() == "13700002222" and "备注" in form.summary.text()
    assert residents.get_form(rid)["phone"] == "13812345678"  # nothing saved yet
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    stored = residents.get_form(rid)
    assert (stored["notes"], stored["phone"]) == ("B：已搬去女儿家", "13700002222")


def test_reopen_throws_my_edits_away_and_shows_the_record_as_it_is(two_windows, qtbot):
    form, colleague, rid = two_windows
    colleague.type_and_save(notes="B：已搬去女儿家", phone="13900001111")
    form.notes_edit.setPlainText("A：独居，需要上门")
    form.name_edit.setText("王阳")
    save_and_answer(qtbot, form, "重新打开")
    assert form.isVisible() and not form.has_changes()
    assert (form.notes_edit.toPlainText(), form.phone_edit.text(), form.name_edit.text()) == (
        "B：已搬去女儿家", "13900001111", "王洋")
    stored = residents.get_form(rid)
    assert (stored["notes"], stored["name"]) == ("B：已搬去女儿家", "王洋") and form.loaded == stored
