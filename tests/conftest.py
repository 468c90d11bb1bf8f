"""Shared fixtures: Qt headless before any Qt import, and a fresh database file per test."""
from __future__ import annotations

import json
import os
import sys
import tempfile

# Headless Qt on a screen the size of the office PC's (1366 x 768), not the 800 x 600 offscreen default.
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    _screen = os.path.join(tempfile.mkdtemp(prefix="desk-qt-"), "screen.json")
    with open(_screen, "w") as fh:
        json.dump({"screens": [{"name": "office", "x": 0, "y": 0, "width": 1366, "height": 768,
                                "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}, fh)
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screen}"

import pytest  # noqa: E402

from community_desk.core import session  # noqa: E402
from community_desk.core.db import close_database, open_database  # noqa: E402
from community_desk.core.queries import communities  # noqa: E402
from tests.windows import delete_windows  # noqa: E402


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "desk.db"


ENGINE = os.environ.get("DESK_TEST_ENGINE", "sqlite")  # `postgres`: the core suite again on the server (make test)


@pytest.fixture
def db(db_path, request):
    """An empty database at the latest schema, in a real file (not :memory:, which threads see empty); with
    DESK_TEST_ENGINE=postgres, the throwaway server's database emptied (tests/pg_engine.py)."""
    if ENGINE == "postgres":
        from tests.pg_engine import emptied_server_database

        database = emptied_server_database()
    else:
        database = open_database(db_path)
    session.current = session.Session(user="测试员", role="管理员")
    yield database
    tasks = sys.modules.get("community_desk.gui.tasks")
    if tasks is not None:  # no query of this test may run on the next test's database
        delete_windows()  # closed windows keep their timers (page builder, charts) until deleted
        tasks.wait_all()
    close_database()



@pytest.fixture
def community(db):
    """One community, as a first start creates it; returns its id."""
    from community_desk.core.queries import settings

    [cid] = communities.ensure_communities(["原乡小镇"])
    settings.put("office_name", "长阳镇原乡小镇社区居委会")
    settings.put("reporter_name", "张敏")
    return cid


@pytest.fixture
def qt_settings(tmp_path, qapp):
    """QSettings in a temporary folder so tests never touch the user's settings."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield


@pytest.fixture(autouse=True, scope="session")
def _collect_garbage_on_the_gui_thread():
    """As the program does (gui/gc_guard.py): a worker thread must never collect a cycle holding Qt objects."""
    try:
        from PySide6.QtWidgets import QApplication
    except ImportError:
        yield
        return
    from community_desk.gui import gc_guard

    app = QApplication.instance() or QApplication([])
    gc_guard.install(app)
    yield


CHILD_ENV = "DESK_TEST_CHILD"


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: the test is about the SQLite file itself (lock, backup, damage, "
                                       "migrations of old files); skipped when the suite runs on PostgreSQL")
    config.addinivalue_line("markers", "child_process: run the test in a child process, so that a crash of Qt "
                                       "(a segmentation fault in a print preview or a dialog) fails this test "
                                       "instead of ending the run")


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """A test marked child_process runs again, alone, in a child pytest; the parent only checks how it ended."""
    import subprocess

    if pyfuncitem.get_closest_marker("child_process") is None or os.environ.get(CHILD_ENV) == pyfuncitem.nodeid:
        return None
    env = {**os.environ, CHILD_ENV: pyfuncitem.nodeid}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", pyfuncitem.nodeid],
                            cwd=str(pyfuncitem.config.rootpath), env=env, capture_output=True, text=True,
                            timeout=600)
    if result.returncode != 0:
        how = f"crashed (signal {-result.returncode})" if result.returncode < 0 else f"failed (exit {result.returncode})"
        pytest.fail(f"the test {how} in its child process:\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}",
                    pytrace=False)
    return True


def pytest_collection_modifyitems(config, items):
    if ENGINE != "postgres":
        return
    skip = pytest.mark.skip(reason="about the SQLite file itself: not run on PostgreSQL")
    for item in items:
        if item.get_closest_marker("sqlite_only") is not None:
            item.add_marker(skip)
