"""Child processes of the benchmark: each prints one JSON line of figures.

  bare-window                 an empty QMainWindow shown (the reference for start-up and memory)
  desk-window DB              the Community Desk main window on DB, shown with the home screen's numbers
  desk-scroll DB              the window, then scroll the registry to the end and back
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


def desk_window(db: str, scroll: bool) -> dict:
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
    print("SHOWN", flush=True)
    out = {"shown_s": time.perf_counter() - STARTED}
    if scroll:
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
        out["cached_blocks"] = page.model.cached_block_count()
    out["peak_mb"] = peak_rss_mb()
    return out


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "bare-window":
        result = bare_window()
    else:
        result = desk_window(sys.argv[2], scroll=mode == "desk-scroll")
    print(json.dumps(result))
