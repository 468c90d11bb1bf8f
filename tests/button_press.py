"""Presses every button of one page of the real main window, as a person would, in a child process.

Driven by tests/unit/gui/test_every_button.py (one child per page, so that a crash of Qt names its page and
button instead of ending the run):

    python -m tests.button_press --db DB --page ROW --out DIR

The child opens DB as the program does (the office's login, the main window shown at 1366 x 768), goes to page
ROW and, in three passes (nothing selected; the first row of each table selected; the first row selected and
every dialog accepted where a person could), presses every visible, enabled QPushButton / QToolButton of every
tab of the page, every action of a button's menu, every context-menu action, and every action of the menu bar
and the toolbar. Each dialog is answered: file dialogs give a path under DIR (an open dialog gives a small
workbook or picture made here), message boxes and input dialogs the safe answer (No / Cancel; Yes / the offered
value in the accepting pass), print previews are shown, painted once and closed, the program's own dialogs are
shown and rejected (or accepted through their own accept button, then rejected if they refused).

For each press it records what a person would have seen (a dialog, a message, the status bar, a label, a table's
row count, the tab or page, the focus, a file) and any exception inside a slot. DIR/progress.log names each press
before it happens; DIR/report.json holds the presses when the child ends.
"""
from __future__ import annotations

import argparse
import faulthandler
import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

import shiboken6

PASSES = ("nothing selected", "first row selected", "first row selected, dialogs accepted")
PRESS_TIMEOUT_S = 90  # one press longer than this is a hang: the child dumps its stack and exits
ADMIN = ("admin", "secret-1")
SKIP_PARENTS = ("QTabBar", "QAbstractSpinBox", "QLineEdit", "QComboBox", "QCalendarWidget", "QScrollBar",
                "QMenu", "QToolBar", "QDialogButtonBox")  # buttons that are parts of another control


def office_screen() -> None:
    """Headless Qt on the office PC's 1366 x 768 screen (as tests/conftest.py does), before any Qt import."""
    if os.environ.get("QT_QPA_PLATFORM", "offscreen").startswith("offscreen"):
        screen = os.path.join(tempfile.mkdtemp(prefix="desk-qt-"), "screen.json")
        with open(screen, "w") as fh:
            json.dump({"screens": [{"name": "office", "x": 0, "y": 0, "width": 1366, "height": 768,
                                    "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}, fh)
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"


# --- the prepared database and the files an open dialog offers (no Qt) ---

def prepare_database(path: Path, residents: int = 150) -> None:
    """A demo-sized database as an office has it after its first start: demo data and an administrator."""
    from community_desk.core import demo, session
    from community_desk.core.db import close_database, open_database
    from community_desk.core.queries import accounts

    open_database(path)
    session.current = session.Session("测试员", "管理员")
    demo.load_demo_data(residents=residents)
    accounts.create_account(ADMIN[0], "张敏", ADMIN[1])
    close_database()


def dispatched_workbook(path: Path, people: list[tuple], push_date: str = "2021年8月2日") -> Path:
    """A dispatched list (市派名单) in the town's shape: a merged title row, the sending office and the push date,
    the header in row 3. people: (name, id_number, phone, address, arrival, classification, measure)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "市派名单"
    headers = ["序号", "姓名", "身份证号", "联系电话", "现居住地址", "返京日期", "人员分类", "管控措施"]
    ws.append(["长阳镇返京人员推送名单"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.append([f"推送单位：长阳镇疫情防控指挥部　推送日期：{push_date}"])
    ws.append(headers)
    for n, person in enumerate(people, 1):
        ws.append([n, *person])
    wb.save(path)
    return path


def input_files(folder: Path) -> dict[str, Path]:
    """What an open dialog offers: a small dispatched list and a small picture."""
    import datetime as dt

    from community_desk.core.rules.idcard import make_id

    folder.mkdir(parents=True, exist_ok=True)
    people = [("测试甲", make_id("110111", dt.date(1980, 1, 1), 901), "13800138901", "1号楼1单元101", "8月1日",
               "密切接触者", "居家隔离"),
              ("测试乙", make_id("110111", dt.date(1982, 3, 4), 902), "13800138902", "2号楼2单元202", "8月1日",
               "次密接", "居家健康监测")]
    xlsx = dispatched_workbook(folder / "市派名单.xlsx", people)
    from PySide6.QtGui import QColor, QImage

    image = QImage(32, 24, QImage.Format.Format_RGB32)
    image.fill(QColor("#4a7fb5"))
    png = folder / "照片.png"
    image.save(str(png))
    return {"xlsx": xlsx, "png": png}


# --- the child ---

def files_under(folder: Path) -> dict[str, float]:
    out = {}
    for root, _dirs, names in os.walk(folder):
        for name in names:
            full = os.path.join(root, name)
            try:
                out[full] = os.stat(full).st_mtime_ns
            except OSError:
                pass
    return out


class Presser:
    def __init__(self, app, window, row: int, out: Path, watched: list[Path], allowed: list[Path]):
        from community_desk.gui import tasks

        self.app, self.window, self.row, self.out = app, window, row, out
        self.tasks = tasks
        self.page = window.current_page()
        self.page_title = self.window.nav.item(row).text().split("（")[0]
        self.watched, self.allowed_dirs = watched, allowed
        self.inputs = input_files(out / "inputs")
        self.events: list[str] = []
        self.chosen: set[str] = set()
        self.errors: list[str] = []
        self.presses: list[dict] = []
        self.accepting = False
        self.current = ""
        self.depth = 0
        self.baselines: list[int] = []  # jobs live when each answered dialog opened (its own delivery)
        self.counter = 0
        self.log = open(out / "progress.log", "a", encoding="utf-8")  # noqa: SIM115 - open for the whole run
        self.signals = 0
        self._connected: set[int] = set()

    # --- waiting ---
    def settle(self, min_s: float = 0.03, max_s: float = 20.0) -> None:
        """Process events until the work the press started has come back. Inside a dialog answered during a
        delivery (a preview shown when its document arrives), that delivery itself is still counted as live."""
        from PySide6.QtCore import QCoreApplication, QEvent

        start = time.monotonic()
        while True:
            self.app.processEvents()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            self.tasks.wait_all(200)
            self.app.processEvents()
            elapsed = time.monotonic() - start
            if len(self.tasks._live) <= (self.baselines[-1] if self.baselines else 0) and elapsed >= min_s:
                return
            if elapsed > max_s:
                self.errors.append(f"{self.current}: its work was still running after {max_s:.0f} s")
                return
            time.sleep(0.005)

    # --- what a person sees ---
    def _ptr(self, obj) -> int:
        import shiboken6

        return shiboken6.getCppPointer(obj)[0]

    def _watch_models(self) -> None:
        from PySide6.QtWidgets import QAbstractItemView

        for view in self.window.findChildren(QAbstractItemView):
            model = view.model()
            if model is None or self._ptr(model) in self._connected:
                continue
            self._connected.add(self._ptr(model))
            for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.rowsRemoved,
                           model.dataChanged):
                signal.connect(self._model_signal)

    def _model_signal(self, *_args) -> None:
        self.signals += 1

    def _focus(self) -> int:
        """The widget with the keyboard focus; a click leaving it on a button (the one pressed) is no change."""
        from PySide6.QtWidgets import QAbstractButton

        focus = self.window.focusWidget()
        return 0 if focus is None or isinstance(focus, QAbstractButton) else self._ptr(focus)

    def snapshot(self) -> dict[str, object]:
        from PySide6.QtWidgets import (
            QAbstractButton,
            QAbstractItemView,
            QApplication,
            QComboBox,
            QLabel,
            QLineEdit,
            QStackedWidget,
            QTabWidget,
            QWidget,
        )

        w = self.window
        state: dict[str, object] = {
            "status bar": (w.statusBar().currentMessage(), *(label.text() for label in w.statusBar().findChildren(QLabel))),
            "page": (w.nav.currentRow(), w.stack.currentIndex()),
            "window": (w.isVisible(), w.windowTitle(), w.centralWidget().isVisible()),
            "top-level windows": tuple(sorted((type(t).__name__, t.windowTitle()) for t in QApplication.topLevelWidgets()
                                              if t.isVisible() and t is not w)),
            "focus": self._focus(),
            "model signals": self.signals,
        }
        labels, rows, tabs, texts, buttons = [], [], [], [], []
        for child in w.findChildren(QWidget):
            if isinstance(child, QLabel):
                labels.append((self._ptr(child), child.text(), child.isVisible()))
            elif isinstance(child, QAbstractItemView) and child.model() is not None:
                rows.append((self._ptr(child), child.model().rowCount()))
            elif isinstance(child, (QTabWidget, QStackedWidget)):
                tabs.append((self._ptr(child), child.currentIndex()))
            elif isinstance(child, QLineEdit):
                texts.append((self._ptr(child), child.text()))
            elif isinstance(child, QComboBox):
                texts.append((self._ptr(child), child.currentText(), child.count()))
            elif isinstance(child, QAbstractButton):
                buttons.append((self._ptr(child), child.text(), child.isChecked(), child.isEnabled(),
                                child.isVisible()))
        state.update({"label text": labels, "table rows": rows, "tab": tabs, "field": texts, "button": buttons})
        return state

    # --- answering dialogs (the patched exec functions) ---
    def note(self, text: str) -> None:
        self.events.append(text)

    def choose_save(self, proposed: str) -> str:
        self.counter += 1
        name = os.path.basename(str(proposed or "")) or "file"
        path = self.out / "chosen" / f"{self.counter:03d}_{name}"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.chosen.add(str(path))
        for suffix in (".xlsx", ".pdf"):
            self.chosen.add(str(path) + suffix)
        return str(path)

    def choose_open(self, filters: str) -> str:
        text = (filters or "").lower()
        if "xls" in text:
            return str(self.inputs["xlsx"])
        if any(ext in text for ext in ("png", "jpg", "jpeg", "bmp", "image", "图片", "照片")):
            return str(self.inputs["png"])
        return ""

    def answer_dialog(self, dialog) -> int:
        """A program's dialog, shown: its accept button pressed in the accepting pass, else (or if it refused)
        rejected; closed whatever its own reject does (a form may ask whether to discard)."""
        from PySide6.QtWidgets import QDialog, QDialogButtonBox

        self.enter()
        try:
            dialog.show()
            self.settle()
            if not shiboken6.isValid(dialog):  # it finished its work and deleted itself (a progress window)
                return QDialog.DialogCode.Rejected
            if self.accepting and self.depth < 4:
                for box in dialog.findChildren(QDialogButtonBox):
                    accept = [b for b in box.buttons() if box.buttonRole(b) in (
                        QDialogButtonBox.ButtonRole.AcceptRole, QDialogButtonBox.ButtonRole.YesRole)
                        and b.isVisible() and b.isEnabled()]
                    if accept and shiboken6.isValid(dialog) and dialog.isVisible():
                        self.note(f"  pressed {accept[0].text()!r} in {dialog.windowTitle()!r}")
                        accept[0].click()
                        self.settle()
            if shiboken6.isValid(dialog) and dialog.isVisible():
                dialog.reject()
                self.settle()
            if shiboken6.isValid(dialog) and dialog.isVisible():
                QDialog.done(dialog, QDialog.DialogCode.Rejected)
                self.settle()
            return dialog.result() if shiboken6.isValid(dialog) else QDialog.DialogCode.Rejected
        finally:
            self.leave()

    def enter(self) -> None:
        self.depth += 1
        self.baselines.append(len(self.tasks._live))

    def leave(self) -> None:
        self.depth -= 1
        self.baselines.pop()

    def install_answers(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
        from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMenu, QMessageBox

        presser = self
        SB = QMessageBox.StandardButton

        def box_static(kind):
            def answer(parent, title, text, buttons=None, default=None, *args, **kwargs):
                presser.note(f"message {kind}: {title}: {text}")
                if kind != "question" and buttons is None:
                    return SB.Ok
                offered = buttons if buttons is not None else (SB.Yes | SB.No)
                order = (SB.Yes, SB.Ok, SB.Save) if presser.accepting else (SB.No, SB.Cancel, SB.Abort, SB.Close)
                for button in (*order, SB.Ok, SB.Yes):
                    if offered & button:
                        return button
                return SB.NoButton
            return staticmethod(answer)

        for kind in ("information", "warning", "critical", "question"):
            setattr(QMessageBox, kind, box_static(kind))
        QMessageBox.about = staticmethod(lambda parent, title, text: presser.note(f"message about: {title}"))

        def box_exec(box):
            presser.note(f"message box: {box.windowTitle()}: {box.text()}")
            presser.enter()
            try:
                return answer_box(box)
            finally:
                presser.leave()

        def answer_box(box):
            box.show()
            presser.settle()
            want = ((QMessageBox.ButtonRole.AcceptRole, QMessageBox.ButtonRole.YesRole) if presser.accepting
                    else (QMessageBox.ButtonRole.RejectRole, QMessageBox.ButtonRole.NoRole))
            buttons = [b for b in box.buttons() if box.buttonRole(b) in want] or box.buttons()
            button = box.escapeButton() if not buttons else buttons[0]
            if button is not None:
                button.click()
            presser.settle()
            if box.isVisible():
                box.done(0)
            standard = box.standardButton(box.clickedButton()) if box.clickedButton() is not None else SB.NoButton
            return int(standard.value) if standard != SB.NoButton else box.result()

        QMessageBox.exec = box_exec

        def input_static(kind):
            def answer(parent, title, label, *args, **kwargs):
                presser.note(f"input {kind}: {title}: {label}")
                if kind == "getItem":
                    items = list(args[0] if args else kwargs.get("items", []))
                    current = args[1] if len(args) > 1 else kwargs.get("current", 0)
                    return (items[current] if presser.accepting and items else "", presser.accepting and bool(items))
                if kind in ("getInt", "getDouble"):
                    value = args[0] if args else kwargs.get("value", 0)
                    return (value, presser.accepting)
                default = kwargs.get("text", "")
                if kind == "getText" and len(args) > 1:
                    default = args[1]
                if kind == "getMultiLineText" and args:
                    default = args[0]
                return ((default or "测试") if presser.accepting else "", presser.accepting)
            return staticmethod(answer)

        for kind in ("getText", "getItem", "getInt", "getDouble", "getMultiLineText"):
            setattr(QInputDialog, kind, input_static(kind))

        def save_name(parent=None, caption="", directory="", filters="", *args, **kwargs):
            presser.note(f"save dialog: {caption}")
            return presser.choose_save(directory), filters

        def open_name(parent=None, caption="", directory="", filters="", *args, **kwargs):
            presser.note(f"open dialog: {caption}")
            return presser.choose_open(filters), filters

        def open_names(parent=None, caption="", directory="", filters="", *args, **kwargs):
            presser.note(f"open dialog (files): {caption}")
            path = presser.choose_open(filters)
            return ([path] if path else []), filters

        def folder(parent=None, caption="", directory="", *args, **kwargs):
            presser.note(f"folder dialog: {caption}")
            path = Path(presser.choose_save("folder"))
            path.mkdir(parents=True, exist_ok=True)
            presser.allowed_dirs.append(path)
            return str(path)

        QFileDialog.getSaveFileName = staticmethod(save_name)
        QFileDialog.getOpenFileName = staticmethod(open_name)
        QFileDialog.getOpenFileNames = staticmethod(open_names)
        QFileDialog.getExistingDirectory = staticmethod(folder)

        def file_exec(dialog):
            presser.note(f"file dialog: {dialog.windowTitle()}")
            return 0

        QFileDialog.exec = file_exec

        def input_exec(dialog):
            presser.note(f"input dialog: {dialog.windowTitle()}: {dialog.labelText()}")
            return presser.answer_dialog(dialog)

        QInputDialog.exec = input_exec

        def preview_exec(dialog):
            presser.note(f"print preview: {dialog.windowTitle()}")
            presser.enter()
            try:
                return show_preview(dialog)
            finally:
                presser.leave()

        def show_preview(dialog):
            painted = []
            dialog.paintRequested.connect(lambda _printer: painted.append(1))
            dialog.show()
            widget = dialog.findChild(QPrintPreviewWidget)
            deadline = time.monotonic() + 60
            while not painted and time.monotonic() < deadline:
                presser.app.processEvents()
                time.sleep(0.005)
            if widget is not None:
                widget.updatePreview()
                presser.app.processEvents()
            if not painted:
                presser.errors.append(f"{presser.current}: the print preview {dialog.windowTitle()!r} never painted")
            presser.note(f"  preview pages: {widget.pageCount() if widget is not None else '?'}")
            dialog.close()
            presser.settle()
            return 0

        QPrintPreviewDialog.exec = preview_exec

        def print_exec(dialog):
            presser.note(f"print dialog: {dialog.windowTitle()}")
            dialog.show()
            presser.app.processEvents()
            dialog.close()
            if presser.accepting:  # to a PDF file, never to a real printer
                printer = dialog.printer()
                printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
                printer.setOutputFileName(presser.choose_save("printed.pdf"))
                return int(QDialog.DialogCode.Accepted.value)
            return int(QDialog.DialogCode.Rejected.value)

        QPrintDialog.exec = print_exec

        def dialog_exec(dialog):
            presser.note(f"dialog: {type(dialog).__name__}: {dialog.windowTitle()}")
            return presser.answer_dialog(dialog)

        QDialog.exec = dialog_exec

        def menu_exec(menu, *args, **kwargs):
            presser.note(f"menu: {[a.text() for a in menu.actions()]}")
            presser.popups.append(menu)
            return None

        self.popups: list = []
        QMenu.exec = menu_exec
        QMenu.popup = menu_exec

        def hook(kind, value, tb):
            text = "".join(traceback.format_exception(kind, value, tb))
            presser.errors.append(f"{presser.current}: exception in a slot:\n{text}")
            sys.__stderr__.write(text)

        sys.excepthook = hook

    # --- one press ---
    def press(self, key: str, do) -> None:
        from PySide6.QtWidgets import QApplication, QDialog

        self.current = key
        started = time.monotonic()
        self.log.write(f"PRESS {key}\n")
        self.log.flush()
        self._watch_models()
        self.events = []
        errors_before = len(self.errors)
        self.clear_messages()
        self.window.nav.setFocus()  # as if the person had clicked elsewhere: a press that focuses a field shows
        before = self.snapshot()
        files_before = {folder: files_under(folder) for folder in self.watched}
        visible_before = {self._ptr(t) for t in QApplication.topLevelWidgets() if t.isVisible()}
        faulthandler.dump_traceback_later(PRESS_TIMEOUT_S, exit=True)
        try:
            do()
        except Exception:  # noqa: BLE001 - what a slot raised, said with its button
            self.errors.append(f"{key}: exception:\n{traceback.format_exc()}")
        self.settle()
        after = self.snapshot()
        written = self._written(files_before)
        leftovers = [t for t in QApplication.topLevelWidgets()
                     if t.isVisible() and self._ptr(t) not in visible_before and t is not self.window]
        for widget in leftovers:  # opened with open() or show(): answered and closed as the exec ones are
            if not shiboken6.isValid(widget):  # a progress window that closed itself while an earlier one was answered
                continue
            self.note(f"window: {type(widget).__name__}: {widget.windowTitle()}")
            if isinstance(widget, QDialog):
                self.answer_dialog(widget)
            if shiboken6.isValid(widget):
                widget.close()
        self.settle()
        faulthandler.cancel_dump_traceback_later()
        changes = [name for name in before if before[name] != after[name]]
        effects = ([e for e in self.events if not e.startswith("  ")] + [self.describe(c, before[c], after[c]) for c in changes]
                   + [f"file: {f}" for f in written["chosen"]])
        for path in written["stray"]:
            self.errors.append(f"{key}: wrote a file that was not chosen in a save dialog: {path}")
        self.presses.append({"key": key, "effects": effects, "events": list(self.events),
                             "errors": self.errors[errors_before:],
                             "seconds": round(time.monotonic() - started, 2)})
        self.log.write(f"DONE {key}: {len(effects)} effects\n")
        self.log.flush()
        self.restore()

    def clear_messages(self) -> None:
        """The message lines cleared first, so that a press repeating yesterday's message is seen to say it."""
        from community_desk.gui.messages import clear_messages

        clear_messages(self.window)
        self.window.statusBar().clearMessage()
        self.app.processEvents()

    @staticmethod
    def describe(name: str, old, new) -> str:
        if isinstance(old, list) and isinstance(new, list):
            gone, came = set(old) - set(new), set(new) - set(old)
            shown = [str(item[1:])[:80] for item in list(came)[:2]]
            return f"changed: {name} ({len(gone)} → {len(came)}{': ' + '; '.join(shown) if shown else ''})"
        return f"changed: {name} ({str(new)[:80]})"

    def _written(self, before: dict) -> dict[str, list[str]]:
        chosen, stray = [], []
        for folder, old in before.items():
            for path, mtime in files_under(folder).items():
                if old.get(path) == mtime:
                    continue
                if path in self.chosen:
                    chosen.append(path)
                elif not any(Path(path).is_relative_to(d) for d in self.allowed_dirs):
                    stray.append(path)
        return {"chosen": chosen, "stray": stray}

    def restore(self) -> None:
        """Back on the page after a press that left it (a tile that opens another page, 退出, 锁定)."""
        w = self.window
        if not w.isVisible():
            w.show()
        if not w.centralWidget().isVisible():
            w.centralWidget().show()
            w.locked = False
        if w.nav.currentRow() != self.row:
            w.nav.setCurrentRow(self.row)
        self.settle()

    # --- what to press ---
    def _is_part_of_a_control(self, button) -> bool:
        parent = button.parentWidget()
        while parent is not None and parent is not self.window:
            if any(parent.inherits(name) for name in SKIP_PARENTS):
                return True
            parent = parent.parentWidget()
        return False

    def buttons(self) -> list:
        from PySide6.QtWidgets import QPushButton, QToolButton

        found = []
        for cls in (QPushButton, QToolButton):
            for button in self.page.findChildren(cls):
                if button.isVisible() and button.isEnabled() and not self._is_part_of_a_control(button):
                    found.append(button)
        return found

    def name_of(self, widget) -> str:
        text = widget.text() if hasattr(widget, "text") else ""
        return (text or widget.toolTip() or widget.accessibleName() or widget.objectName()
                or type(widget).__name__).replace("&", "").replace("\n", " ")

    def tab_path(self) -> str:
        from PySide6.QtWidgets import QTabWidget

        parts = [t.tabText(t.currentIndex()).split("（")[0] for t in self.page.findChildren(QTabWidget)
                 if t.isVisible() and t.count()]
        return "/".join(parts)

    def tab_states(self) -> list[list[tuple]]:
        """Every combination of tabs reachable on the page: lists of (tab widget, index) to set in order."""
        from PySide6.QtWidgets import QTabWidget

        states: list[list[tuple]] = []

        def visit(prefix: list[tuple]) -> None:
            for tabs, index in prefix:
                tabs.setCurrentIndex(index)
            self.app.processEvents()
            fixed = {self._ptr(t) for t, _i in prefix}
            tab_widgets = [t for t in self.page.findChildren(QTabWidget)
                           if t.isVisible() and self._ptr(t) not in fixed]
            if not tab_widgets:
                states.append(prefix)
                return
            tabs = tab_widgets[0]
            for index in range(tabs.count()):
                if tabs.isTabEnabled(index):
                    visit([*prefix, (tabs, index)])
            for t, i in prefix:
                t.setCurrentIndex(i)

        visit([])
        return states

    def select_first_rows(self) -> None:
        from PySide6.QtCore import QItemSelectionModel
        from PySide6.QtWidgets import QAbstractItemView

        for view in self.page.findChildren(QAbstractItemView):
            model = view.model()
            if not view.isVisible() or model is None or model.rowCount() == 0:
                continue
            if view.selectionMode() == QAbstractItemView.SelectionMode.NoSelection:
                continue
            index = model.index(0, 0)
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            view.selectionModel().setCurrentIndex(index, flags)
        self.settle()

    def press_button(self, button, where: str, selecting: bool) -> None:
        from PySide6.QtCore import QPoint, Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QToolButton

        name = self.name_of(button)
        menu = button.menu()
        instant = menu is not None and (not isinstance(button, QToolButton)
                                        or button.popupMode() == QToolButton.ToolButtonPopupMode.InstantPopup)
        if menu is not None:
            for number, action in enumerate(a for a in menu.actions() if not a.isSeparator() and a.isEnabled()):
                if selecting:
                    self.select_first_rows()
                self.press(f"{where} [{name} ▸ {action.text()}]", lambda a=action: a.trigger())
                del number
        if not instant:
            if selecting:
                self.select_first_rows()

            def click(b=button):
                import shiboken6

                if shiboken6.isValid(b) and b.isVisible() and b.isEnabled():
                    QTest.mouseClick(b, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                                     QPoint(b.width() // 2, b.height() // 2))
                else:
                    self.note("  (the button was gone before its turn)")
            self.press(f"{where} [{name}]", click)

    def press_context_menus(self, where: str, selecting: bool) -> None:
        from PySide6.QtCore import QPoint, Qt
        from PySide6.QtWidgets import QAbstractItemView, QWidget

        for widget in self.page.findChildren(QWidget):
            if not widget.isVisible():
                continue
            policy = widget.contextMenuPolicy()
            if policy == Qt.ContextMenuPolicy.ActionsContextMenu:
                for action in widget.actions():
                    if action.isEnabled() and not action.isSeparator():
                        self.press(f"{where} [{self.name_of(widget)} context ▸ {action.text()}]", action.trigger)
            elif policy == Qt.ContextMenuPolicy.CustomContextMenu:
                def request(w=widget):
                    point = QPoint(w.width() // 2, w.height() // 2)
                    if isinstance(w, QAbstractItemView) and w.model() is not None and w.model().rowCount():
                        point = w.visualRect(w.model().index(0, 0)).center()
                    self.popups = []
                    w.customContextMenuRequested.emit(point)
                    return list(self.popups)

                if selecting:
                    self.select_first_rows()
                menus = request()
                texts = [a.text() for m in menus for a in m.actions() if a.isEnabled() and not a.isSeparator()]
                for text in texts:
                    def trigger(t=text, w=widget):
                        for menu in request(w):
                            for action in menu.actions():
                                if action.text() == t:
                                    action.trigger()
                                    return
                    if selecting:
                        self.select_first_rows()
                    self.press(f"{where} [{self.name_of(widget)} context ▸ {text}]", trigger)

    def window_actions(self) -> list[tuple[str, object]]:
        """The menu bar's actions (submenus walked) and the toolbar's, each once; a toolbar action by its button."""
        found: dict[int, tuple[str, object]] = {}

        def walk(menu, path):
            for action in menu.actions():
                if action.isSeparator():
                    continue
                if action.menu() is not None:
                    walk(action.menu(), f"{path} ▸ {action.text()}")
                elif action.isEnabled() and action.isVisible():
                    found.setdefault(self._ptr(action), (f"{path} ▸ {action.text().replace('&', '')}", action))

        for top in self.window.menuBar().actions():
            if top.menu() is not None:
                walk(top.menu(), f"菜单 {top.text().replace('&', '')}")
        toolbar = getattr(self.window, "toolbar", None)
        if toolbar is not None:
            for action in toolbar.actions():
                if not action.isSeparator() and action.isEnabled() and action.isVisible():
                    button = toolbar.widgetForAction(action)
                    found[self._ptr(action)] = (f"工具栏 ▸ {action.text()}", button or action)
        return list(found.values())

    def _tab_widgets(self) -> list:
        from PySide6.QtWidgets import QTabWidget

        return [t for t in self.page.findChildren(QTabWidget) if t.isVisible()]

    def run_pass(self, number: int) -> None:
        selecting = number > 0
        self.accepting = number == 2
        label = PASSES[number]
        pressed: set[tuple] = set()
        for state in self.tab_states():
            for tabs, index in state:
                tabs.setCurrentIndex(index)
            self.settle()
            where = f"{self.page_title}/{self.tab_path()}" if self.tab_path() else self.page_title
            where = f"{where} ({label})"
            if selecting:
                self.select_first_rows()
            for button in self.buttons():
                import shiboken6

                if not shiboken6.isValid(button):
                    continue
                identity = (self._ptr(button), self.name_of(button))
                if identity in pressed:
                    continue
                pressed.add(identity)
                for tabs, index in state:  # a press may have moved the tabs
                    tabs.setCurrentIndex(index)
                self.press_button(button, where, selecting)
            self.press_context_menus(where, selecting)
            if number == 0:  # what the menu bar and toolbar do depends on the tab shown
                self.press_window_actions(f"{where.split(' (')[0]} ({label})", selecting)
        if number > 0:
            self.press_window_actions(f"{self.page_title} ({label})", selecting)

    def press_window_actions(self, where: str, selecting: bool) -> None:
        from PySide6.QtCore import QPoint, Qt
        from PySide6.QtGui import QAction
        from PySide6.QtTest import QTest

        state = [(t, t.currentIndex()) for t in self._tab_widgets()]
        for name, target in self.window_actions():
            for tabs, index in state:
                tabs.setCurrentIndex(index)
            if selecting:
                self.select_first_rows()
            if isinstance(target, QAction):
                self.press(f"{where} [{name}]", target.trigger)
            else:
                self.press(f"{where} [{name}]",
                           lambda b=target: QTest.mouseClick(b, Qt.MouseButton.LeftButton,
                                                             Qt.KeyboardModifier.NoModifier,
                                                             QPoint(b.width() // 2, b.height() // 2)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--page", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--passes", default="0,1,2")
    args = parser.parse_args(argv)
    out = Path(args.out)
    faulthandler.enable()
    office_screen()
    from PySide6.QtCore import QSettings

    from community_desk.core.queries import accounts
    from community_desk.core.startup import open_checked
    from community_desk.gui.bootstrap import make_application
    from community_desk.gui.main_window import MainWindow

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(out / "settings"))
    app = make_application([sys.argv[0]])
    from community_desk.core.dialect import is_server_url

    if is_server_url(args.db):  # server mode: the window on a PostgreSQL database of its own
        from community_desk.core.db import open_database

        open_database(args.db)
    else:
        open_checked(Path(args.db), daily_backup=False)
    accounts.login(*ADMIN)
    window = MainWindow()
    window.show()
    window.pages  # noqa: B018 - every page built, as the window does in its first seconds
    window.nav.setCurrentRow(args.page)
    watched = [Path(os.environ.get("HOME", out / "home")), Path.cwd(), out]
    from platformdirs import user_data_dir

    # beside the file: its backups and photos; the user's data folder: a server's backups and photo cache
    allowed = [out / "settings", out / "inputs", Path(user_data_dir("CommunityDesk", appauthor=False))]
    if not is_server_url(args.db):
        allowed.append(Path(args.db).parent)
    presser = Presser(app, window, args.page, out, watched, allowed)
    presser.install_answers()
    presser.settle(0.5)
    for number in (int(n) for n in args.passes.split(",")):
        presser.run_pass(number)
    report = {"page": presser.page_title, "presses": presser.presses, "errors": presser.errors}
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    window.close()
    presser.tasks.wait_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
