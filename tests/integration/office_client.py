"""One PC of the office morning on the server (tests/integration/test_office_morning_server.py, issue 18): the real
program started as an office PC starts it (gui.server_startup.start_server_gui on the server's URL, the login
window answered with the person's user name and password, the main window offscreen at 1366 x 768, the live
updates running), then driven by its test one JSON line at a time on stdin; each step is answered by one JSON line
on stdout.

    python -m tests.integration.office_client URL USERNAME PASSWORD

The event loop is the program's own (app.exec); a thread reads stdin and hands each line to the GUI thread. A step
never blocks that loop: whatever opens a modal window (a form, the clash dialog, the import's preview) is pressed
from a timer, and the answer is sent once what a person would wait for is on screen (polled every 20 ms, at most
WAIT_MS). Every clash dialog and message box shown is noted (an event filter), and every unexpected error of the
program (sys.excepthook, which the crash handler then leaves alone): `report` sends them. The first line says
{"ready": …} once the window is shown and the listener connected; stdin closed (or `quit`) closes the window.

Steps ({"do": …}): show (a page and tab), rows (a list's rows, waited for until they equal `expect`, contain the
rows `has` or a cell with the text `contains`), open (a record by a double-click on its row), type, save, answer (a button of the clash
dialog), import (导入市派名单… with the file dialog answered), take_in_prepare / take_in_go (受理新工单, typed, then
受理 when the test releases both PCs), shift (修改班次 of one cell of the week roster), report, quit.
"""
from __future__ import annotations

import json
import sys
import threading
import time
import traceback

from tests.button_press import office_screen

office_screen()

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton  # noqa: E402

WAIT_MS = 60_000  # the test's own read waits longer: a step that times out here says what it waited for
PAGES = ("工作台首页", "居民台账", "隔离管控", "设施台账", "我来办", "擦玻璃服务", "志愿者与门岗", "操作日志")


def say(answer: dict) -> None:
    print(json.dumps(answer, ensure_ascii=False, default=str), flush=True)


class Lines(QObject):
    """stdin, line by line, delivered on the GUI thread."""

    arrived = Signal(str)

    def start(self) -> None:
        def read() -> None:
            for line in sys.stdin:
                self.arrived.emit(line)
            self.arrived.emit('{"do": "quit"}')

        threading.Thread(target=read, daemon=True).start()


class Seen(QObject):
    """Every clash dialog and message box shown in this program, as the person saw it."""

    def __init__(self):
        super().__init__()
        self.clashes: list[list[list[str]]] = []
        self.boxes: list[str] = []

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.Show:
            from community_desk.gui.dialogs.edit_conflict import EditConflictDialog

            if isinstance(watched, EditConflictDialog):
                table = watched.table
                self.clashes.append([[table.item(r, c).text() for c in range(table.columnCount())]
                                     for r in range(table.rowCount())])
            elif isinstance(watched, QMessageBox):
                self.boxes.append(f"{watched.windowTitle()}：{watched.text()}")
        return False


class Client(QObject):
    def __init__(self, app: QApplication, username: str):
        super().__init__()
        self.username = username
        self.errors: list[str] = []
        self.seen = Seen()
        app.installEventFilter(self.seen)
        self.waits: set[QTimer] = set()
        self.window = None
        self.form = None
        self.press = {"done": True}
        self.lines = Lines()
        self.lines.arrived.connect(self.step)

    # --- waiting without blocking the event loop ---
    def when(self, condition, then, what: str) -> None:
        """then(value) once condition() gives something true (polled every 20 ms); an error line after WAIT_MS."""
        timer = QTimer()
        started = time.monotonic()

        def look() -> None:
            try:
                value = condition()
                if value:
                    timer.stop()
                    self.waits.discard(timer)
                    then(value)
                elif time.monotonic() - started > WAIT_MS / 1000:
                    timer.stop()
                    self.waits.discard(timer)
                    say({"error": f"{self.username}: waited {WAIT_MS // 1000} s for {what}", **self.state()})
            except Exception:  # noqa: BLE001 - said to the test, which fails with it
                timer.stop()
                self.waits.discard(timer)
                say({"error": traceback.format_exc(), **self.state()})

        timer.timeout.connect(look)
        self.waits.add(timer)
        timer.start(20)

    def press_later(self, button) -> None:
        """Click the button from a timer: a modal window it opens runs its own loop and the steps go on."""
        press = self.press = {"done": False}

        def run() -> None:
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)
            press["done"] = True

        QTimer.singleShot(0, run)

    def modal(self, kind):
        widget = QApplication.activeModalWidget()
        return widget if isinstance(widget, kind) and widget.isVisible() else None

    def state(self) -> dict:
        widget = QApplication.activeModalWidget()
        return {"modal": f"{type(widget).__name__} {widget.windowTitle()}" if widget else None,
                "errors": self.errors, "boxes": self.seen.boxes}

    # --- the steps ---
    def step(self, line: str) -> None:
        try:
            order = json.loads(line)
            getattr(self, "do_" + order.pop("do"))(**order)
        except Exception:  # noqa: BLE001 - said to the test, which fails with it
            say({"error": traceback.format_exc(), **self.state()})

    def wait_ready(self) -> None:
        from community_desk.gui import live_updates
        from community_desk.gui.main_window import MainWindow

        def ready():
            window = next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()),
                          None)
            live = live_updates.current()
            return window if window is not None and live is not None and live.listener.connected.is_set() else None

        def go(window) -> None:
            from community_desk.core import session

            self.window = window
            self.lines.start()
            say({"ready": session.current.user, "role": session.current.role, "title": window.windowTitle()})

        self.when(ready, go, "the main window and the live updates")

    def page(self, title: str):
        return self.window.pages[PAGES.index(title)]

    def list_of(self, name: str):
        return {"residents": lambda: self.page("居民台账"), "cases": lambda: self.page("隔离管控").cases,
                "requests": lambda: self.page("我来办")}[name]()

    def do_show(self, page: str, tab: str = "") -> None:
        self.window.nav.setCurrentRow(PAGES.index(page))
        shown = self.window.current_page()
        if tab:
            tabs = shown.tabs
            tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == tab))
        done = getattr(tabs.currentWidget() if tab else shown, "search_done", lambda: True)
        self.when(lambda: shown.isVisible() and done(), lambda _v: say({"shown": page}), f"the page {page}")

    def rows_now(self, name: str, columns: list[str]) -> list[list[str]] | None:
        if name == "roster":
            model = self.page("志愿者与门岗").roster_tab.model
            return [[str(model.data(model.index(r, c)) or "") for c in range(model.columnCount())]
                    for r in range(model.rowCount())]
        page = self.list_of(name)
        if not page.search_complete():
            return None
        keys = page.column_keys()
        model = page.model
        return [[str(model.data(model.index(r, keys.index(k))) or "") for k in columns] for r in range(model.rowCount())]

    def do_rows(self, of: str, columns: tuple = (), expect: list | None = None, has: list | None = None,
                contains: str = "") -> None:
        """The list's rows (columns by key), once they equal `expect` (in any order), hold every row of `has` and
        a cell with the text `contains`; what is shown after WAIT_MS otherwise (the test compares)."""
        started = time.monotonic()

        def matched():
            rows = self.rows_now(of, columns)
            if rows is None:
                return None
            ok = ((expect is None or sorted(rows) == sorted(expect)) and all(row in rows for row in has or [])
                  and any(contains in cell for row in rows for cell in row))
            return {"rows": rows, "matched": ok} if ok or time.monotonic() - started > WAIT_MS / 1000 else None

        self.when(matched, say, f"the rows of {of}")

    def do_open(self, of: str, name: str) -> None:
        """Double-click the row of `name` (first column) once the list is settled; the form it opens is this
        client's form (answered with the record it edits)."""
        from community_desk.gui.dialogs.field_form import FormDialog

        page = self.list_of(of)
        model = page.model

        def row_of_name():
            if not page.search_complete():
                return None
            return next((r + 1 for r in range(model.rowCount()) if model.data(model.index(r, 0)) == name), None)

        def double_click(row: int) -> None:  # press and release, then press again (the form's modal loop)
            index = model.index(row - 1, 0)
            page.table.scrollTo(index)
            center = page.table.visualRect(index).center()
            QTest.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=center)
            QTest.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=center)

        def opened(form) -> None:
            self.form = form
            say({"opened": form.windowTitle(), "record": getattr(form, "resident_id", None)})

        def found(row: int) -> None:
            QTimer.singleShot(0, lambda: double_click(row))
            self.when(lambda: self.modal(FormDialog), opened, f"the form of {name}")

        self.when(row_of_name, found, f"the row of {name}")

    def do_type(self, **values) -> None:
        from community_desk.gui.dialogs.field_form import set_widget_value

        for key, value in values.items():
            widget = self.form.inputs[key]
            widget.setFocus()
            set_widget_value(widget, value)
        say({"typed": sorted(values)})

    def form_state(self) -> dict:
        from community_desk.gui.dialogs.field_form import widget_value

        form = self.form
        open_ = form.isVisible()
        return {"open": open_, "summary": form.summary.text() if open_ else "",
                "values": {k: widget_value(w) for k, w in form.inputs.items() if k in ("phone", "notes", "room")}}

    def after_save(self) -> None:
        from community_desk.gui.dialogs.edit_conflict import EditConflictDialog

        def settled():
            dialog = self.modal(EditConflictDialog)
            if dialog is not None:
                return {"clash": self.seen.clashes[-1]}
            return {"saved": not self.form.isVisible(), **self.form_state()} if self.press["done"] else None

        self.when(settled, say, "the save to end or the clash dialog")

    def do_save(self) -> None:
        self.press_later(self.form.save_button)
        self.after_save()

    def do_answer(self, button: str) -> None:
        from community_desk.gui.dialogs.edit_conflict import EditConflictDialog

        dialog = self.modal(EditConflictDialog)
        [pressed] = [b for b in dialog.findChildren(QPushButton) if b.text() == button]
        QTest.mouseClick(pressed, Qt.MouseButton.LeftButton)
        self.after_save()

    def do_import(self, path: str) -> None:
        from community_desk.gui.windows.quarantine.import_dialog import ImportPreviewDialog

        QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (path, ""))  # the person picks the file
        page = self.page("隔离管控")
        [button] = [b for b in page.findChildren(QPushButton) if b.text() == "导入市派名单…"]
        self.press_later(button)
        found: dict = {}

        def previewed():
            dialog = self.modal(ImportPreviewDialog)
            return dialog if dialog is not None and dialog.confirm_button.isEnabled() else None

        def confirm(dialog) -> None:
            found["dialog"] = dialog
            QTest.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
            self.when(lambda: self.modal(QMessageBox), told, "the import's message")

        def told(box) -> None:
            found["message"] = box.text()
            box.accept()
            self.when(lambda: self.press["done"], lambda _v: say(
                {"committed": found["dialog"].committed, "message": found["message"]}), "the import to end")

        self.when(previewed, confirm, "the import preview")

    def do_take_in_prepare(self, **values) -> None:
        """我来办: 受理新工单, the form typed in; answers `ready` (the test then releases the PCs together)."""
        from community_desk.gui.windows.service_desk.request_form import RequestForm

        page = self.page("我来办")
        self.press_later(page.new_button)

        def typed(form) -> None:
            self.form = form
            form.name_edit.setText(values["contact_name"])
            form.description_edit.setPlainText(values["description"])
            say({"ready": form.save_button.text()})

        self.when(lambda: self.modal(RequestForm), typed, "the request form")

    def do_take_in_go(self) -> None:
        from community_desk.core.queries import service_desk

        form, before = self.form, self.press
        self.press_later(form.save_button)
        self.when(lambda: self.press["done"] and before["done"] and not form.isVisible() and form.saved_id,
                  lambda rid: say({"number": service_desk.get(rid)["number"]}), "受理 to save")

    def do_shift(self, day: str, part: str, post: str, lead: str, notes: str) -> None:
        """志愿者与门岗 → 门岗排班: the cell of `post`/`part` on `day` clicked, 修改班次, 带班 and 备注 typed, 保存."""
        from community_desk.gui.windows.volunteers.shift_dialog import ShiftDialog

        tab = self.page("志愿者与门岗").roster_tab
        model = tab.model
        [index] = [model.index(r, c) for r in range(model.rowCount()) for c in range(1, 8)
                   if (slot := model.slot_at(model.index(r, c))) and str(slot[0]) == day and slot[1] == part
                   and model.rows[r][0].name == post]
        QTest.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=tab.table.visualRect(index).center())
        self.press_later(tab.edit_button)

        def edit(dialog) -> None:
            self.form = dialog
            dialog.lead_combo.setEditText(lead)
            dialog.notes_edit.setText(notes)
            QTimer.singleShot(0, lambda: QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton))
            self.when(lambda: self.press["done"], lambda _v: say({"saved": not dialog.isVisible()}), "the shift saved")

        self.when(lambda: self.modal(ShiftDialog), edit, "the shift dialog")

    def do_report(self) -> None:
        say({"clashes": self.seen.clashes, **self.state()})

    def do_quit(self) -> None:
        self.window.close()


def main() -> int:
    url, username, password = sys.argv[1:4]
    app = QApplication.instance() or QApplication(sys.argv[:1])
    client = Client(app, username)

    def hook(exc_type, exc, tb) -> None:
        client.errors.append("".join(traceback.format_exception(exc_type, exc, tb)))
        sys.__excepthook__(exc_type, exc, tb)

    sys.excepthook = hook  # the crash handler leaves a hook already set in place
    from community_desk.gui import server_startup
    from tests.windows import answer_dialog

    def log_in(dialog) -> None:
        dialog.username_edit.setText(username)
        dialog.password_edit.setText(password)
        [button] = [b for b in dialog.findChildren(QPushButton) if b.text() == "登录"]
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    answer_dialog(log_in)
    client.wait_ready()
    return server_startup.start_server_gui(url)


if __name__ == "__main__":
    sys.exit(main())
