"""Fixtures of the start-up tests (a file's, tests/integration/test_startup_flow.py; a server's,
tests/integration/test_server_startup.py)."""
from __future__ import annotations

import pytest


@pytest.fixture
def started(monkeypatch, qapp, qt_settings):
    """Run a start-up with the event loop returning at once; collect the main windows it shows."""
    from PySide6.QtWidgets import QApplication

    from community_desk.core.db import close_database
    from community_desk.gui.main_window import MainWindow
    from community_desk.gui.tasks import wait_all
    from tests.windows import delete_windows

    windows = []
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    original_show = MainWindow.show

    def show(window):
        windows.append(window)
        original_show(window)

    monkeypatch.setattr(MainWindow, "show", show)
    yield windows
    delete_windows()  # the windows shown and any built during a login
    wait_all()
    close_database()
