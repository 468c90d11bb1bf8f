"""Child processes of the benchmark: each prints one JSON line of figures.

  bare-window                 an empty QMainWindow shown (the reference for start-up and memory)
  desk-scroll DB              the main window on DB, then scroll the registry to the end and back
  search DB                   the registry over DB: 50 keystrokes, each timed from the character typed to the
                              rows shown (the newest search's first page in the model and the table repainted)
  import LEDGER DB            the import's preview and commit of LEDGER into a new database DB, timed (the modules
                              loaded, pypinyin not: as the first import after the program started)
  desk-login DB USER PASSWORD the program as a person starts it (main.py's own path: arguments, quick_check, lock,
                              登录); prints LOGIN when the login window is on screen, types the password
                              TYPING_S later, and prints SHOWN with the seconds from Enter to the main window
                              shown with the home screen's numbers
"""
from __future__ import annotations

import json
import os
import sys
import time

STARTED = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def peak_rss_mb() -> float:
    """VmHWM: this process's own peak (ru_maxrss would include the parent's peak across exec)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def wait(app, condition, timeout=60.0):
    deadline = time.perf_counter() + timeout
    while not condition():
        app.processEvents()
        if time.perf_counter() > deadline:
            raise TimeoutError
        time.sleep(0.001)


def bare_window() -> dict:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    window = QMainWindow()
    window.resize(1280, 780)
    window.show()
    app.processEvents()
    window.grab()
    print("SHOWN", flush=True)
    return {"shown_s": time.perf_counter() - STARTED, "peak_mb": peak_rss_mb()}


def desk_scroll(db: str) -> dict:
    from community_desk.core.db import open_database

    open_database(db)
    from community_desk.gui.bootstrap import make_application
    from community_desk.gui.main_window import MainWindow

    app = make_application([])
    window = MainWindow()
    window.show()
    first = window.current_page()  # the home screen: shown when its numbers are in
    wait(app, lambda: first.loaded() if hasattr(first, "loaded") else True)
    window.grab()
    from community_desk.gui.windows.residents.window import ResidentsPage

    page = window.page(ResidentsPage)
    window.nav.setCurrentRow(window.pages.index(page))
    wait(app, lambda: page.search_complete() and page.model.rowCount() > 0)
    bar = page.table.verticalScrollBar()
    steps = 400
    for i in range(steps + 1):
        bar.setValue(bar.maximum() * i // steps)
        page.table.viewport().repaint()
        app.processEvents()
    for i in range(steps, -1, -1):
        bar.setValue(bar.maximum() * i // steps)
        page.table.viewport().repaint()
        app.processEvents()
    return {"cached_blocks": page.model.cached_block_count(), "peak_mb": peak_rss_mb()}


def paint_clock_type():
    from PySide6.QtCore import QEvent, QObject

    class Clock(QObject):
        """Notes when a paint of the table's viewport begins."""

        def __init__(self, marks):
            super().__init__()
            self.marks = marks

        def eventFilter(self, watched, event):  # noqa: N802 - Qt name
            if event.type() == QEvent.Type.Paint:
                self.marks["painted"] = time.perf_counter()
            return False

    return Clock


def search(db: str) -> dict:
    import random

    from community_desk.core.db import open_database

    open_database(db)
    from community_desk.gui.bootstrap import make_application
    from community_desk.gui.windows.residents.window import ResidentsPage

    app = make_application([])
    page = ResidentsPage()
    page.resize(1280, 780)
    page.show()
    marks = {"rows_in": 0.0, "painted": 0.0}
    page.count_changed.connect(lambda _text: marks.__setitem__("rows_in", time.perf_counter()))  # _show_first's end
    paint_clock = paint_clock_type()(marks)
    page.table.viewport().installEventFilter(paint_clock)

    def wait_shown():
        """The newest search's rows in the model, then the table painted once with them: by the program's own
        event loop when it painted after the rows came in, else now (a paint is counted once, not twice)."""
        while not page.search_done():
            app.processEvents()
            time.sleep(0.0005)
        if marks["painted"] <= marks["rows_in"]:
            page.table.viewport().repaint()

    wait_shown()
    opened = time.perf_counter()
    wait(app, page.searching_in_memory)  # the page open: its search keys read, before a person's first key
    keys_s = time.perf_counter() - opened
    rng = random.Random(7)  # the same 20 residents in every run, so that two runs time the same keystrokes
    from community_desk.core.models.base import db_proxy  # the file or the server the page reads

    ids = [row[0] for row in db_proxy.execute_sql("SELECT id FROM resident ORDER BY id").fetchall()]
    chosen = rng.sample(ids, 20)
    sample = db_proxy.execute_sql("SELECT name_initials, name_pinyin, id_number, phone, name FROM resident "
                                  f"WHERE id IN ({','.join('?' * len(chosen))}) ORDER BY id", chosen).fetchall()
    words = []
    for initials, pinyin, id_number, phone, name in sample:
        words += [initials, pinyin[:5], id_number[6:12], phone[3:8], name]
    times: list[float] = []
    for word in rng.sample(words, len(words)):
        page.search_edit.clear()
        wait_shown()
        for ch in word:
            if len(times) >= KEYSTROKES:
                break
            started = time.perf_counter()
            page.search_edit.setText(page.search_edit.text() + ch)
            wait_shown()
            times.append((time.perf_counter() - started) * 1000)
        if len(times) >= KEYSTROKES:
            break
    page.close()
    return {"times_ms": times, "keys_s": keys_s, "peak_mb": peak_rss_mb()}


KEYSTROKES = 50
TYPING_S = 1.0  # a person takes longer than this to type a user name and password


class _Patch:
    """Meta-path finder that runs `patch(module)` right after the named module is imported (the program imports
    its login dialog and main window late; the benchmark must not import them earlier and change what it times)."""

    def __init__(self, patches):
        self.patches = patches

    def find_spec(self, name, path, target=None):
        if name not in self.patches:
            return None
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        run_module = spec.loader.exec_module
        patch = self.patches.pop(name)

        def exec_module(module):
            run_module(module)
            patch(module)

        spec.loader.exec_module = exec_module
        return spec


def desk_login(db: str, username: str, password: str) -> dict:
    marks: dict[str, float] = {}

    def patch_login(module):
        from PySide6.QtCore import QTimer

        run_dialog = module.LoginDialog.exec

        def exec_(dialog):
            def type_in():
                dialog.username_edit.setText(username)
                dialog.password_edit.setText(password)
                marks["enter"] = time.perf_counter()
                dialog.try_login()

            def shown():
                dialog.grab()
                marks["login_shown"] = time.perf_counter()
                print("LOGIN", flush=True)
                QTimer.singleShot(int(TYPING_S * 1000), type_in)

            QTimer.singleShot(0, shown)
            return run_dialog(dialog)

        module.LoginDialog.exec = exec_

    def patch_window(module):
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        show_window = module.MainWindow.show

        def show(window):
            show_window(window)
            page = window.current_page()

            def poll():
                if hasattr(page, "loaded") and not page.loaded():
                    QTimer.singleShot(1, poll)
                    return
                window.grab()
                marks["shown"] = time.perf_counter()
                print("SHOWN", flush=True)
                QTimer.singleShot(0, QApplication.instance().quit)  # show() may come before app.exec()

            poll()

        module.MainWindow.show = show

    sys.meta_path.insert(0, _Patch({"community_desk.gui.dialogs.login": patch_login,
                                    "community_desk.gui.main_window": patch_window}))
    from community_desk.app import main

    code = main(["--db", db])
    if code != 0 or "shown" not in marks:
        raise SystemExit(f"the program did not start as expected (exit {code}, {sorted(marks)})")
    return {"login_shown_s": marks["login_shown"] - STARTED, "enter_to_shown_s": marks["shown"] - marks["enter"],
            "peak_mb": peak_rss_mb()}


def import_ledger(ledger: str, db: str) -> dict:
    from bench_import import COMMUNITIES

    from community_desk.core import session
    from community_desk.core.db import close_database, open_database
    from community_desk.core.excel import ledger_import, ledger_preview
    from community_desk.core.queries import communities

    open_database(db)
    session.current = session.Session(user="bench")
    communities.ensure_communities(COMMUNITIES)
    started = time.perf_counter()
    counts = ledger_import.commit(ledger_preview.preview(ledger))
    took = time.perf_counter() - started
    close_database()
    return {"seconds": took, "new": counts["new"]}


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "bare-window":
        result = bare_window()
    elif mode == "desk-login":
        result = desk_login(*sys.argv[2:5])
    elif mode == "import":
        result = import_ledger(*sys.argv[2:4])
    elif mode == "search":
        result = search(sys.argv[2])
    else:
        result = desk_scroll(sys.argv[2])
    print(json.dumps(result))
