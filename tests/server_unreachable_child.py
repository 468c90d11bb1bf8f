"""Starts the real program on a server that cannot be reached, as a person starts it, and answers its window as a
person would: 重试 once (the window comes back), then 退出. Driven by tests/integration/test_server_startup.py:

    python -m tests.server_unreachable_child URL [PNG]

Each window seen is printed as one line `WINDOW <title> | <text> | <informative text> | <buttons> | press <button>`;
the first is saved as PNG when a path is given. The process ends with the program's exit code.
"""
from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton  # noqa: E402


def main() -> int:
    url = sys.argv[1]
    png = sys.argv[2] if len(sys.argv) > 2 else None
    app = QApplication(["community-desk"])  # the program's make_application takes this one
    presses = ["重试", "退出"]

    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible():
            QTimer.singleShot(20, look)
            return
        if png and len(presses) == 2:
            box.grab().save(png)
        press = presses.pop(0)
        buttons = [b.text() for b in box.findChildren(QPushButton)]
        text = " ".join(box.text().split())
        print(f"WINDOW {box.windowTitle()} | {text} | {' '.join(box.informativeText().split())} | "
              f"{','.join(buttons)} | press {press}", flush=True)
        button = next(b for b in box.findChildren(QPushButton) if b.text() == press)
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        if presses:
            QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)
    from community_desk.app import main as program

    code = program(["--db", url])
    del app
    return code


if __name__ == "__main__":
    sys.exit(main())
