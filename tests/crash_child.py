"""A child process for tests/unit/gui/test_crash_handler.py: start the QApplication offscreen, install the crash
handler, raise in a QTimer slot (or on a worker thread), answer the message box, quit.

argv: database path, "slot" or "thread". Prints "box: <text>" for each message box it closed."""
from __future__ import annotations

import os
import sys
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from community_desk.gui.crash_handler import install  # noqa: E402


def main() -> int:
    db_path, where = sys.argv[1], sys.argv[2]
    app = QApplication([sys.argv[0]])
    install(db_path)

    def fail() -> None:
        raise ValueError("测试用的意外错误")

    def close_box() -> None:
        box = QApplication.activeModalWidget()
        if box is not None:
            print("box:", box.text(), flush=True)
            box.accept()
            QTimer.singleShot(100, app.quit)

    closer = QTimer()
    closer.timeout.connect(close_box)
    closer.start(50)
    if where == "thread":
        QTimer.singleShot(0, lambda: threading.Thread(target=fail, name="worker-1").start())
    else:
        QTimer.singleShot(0, fail)
    QTimer.singleShot(10_000, app.quit)  # never wait forever
    if os.environ.get("COMMUNITY_DESK_CRASH_NO_BOX"):
        QTimer.singleShot(500, app.quit)
    app.exec()
    print("alive after the error", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
