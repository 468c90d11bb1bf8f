"""The real start-up starts the live updates (issue 18): in server mode, once the window is shown, with this
program's connections named after the person who logged in and this PC; a read-only second copy of a file follows
the other copy from the audit log; the one copy writing a file does neither. Both stop when the window closes.
The server test needs the PostgreSQL test database (COMMUNITY_DESK_TEST_PG) and skips with the reason without it."""
from __future__ import annotations

import datetime as dt
import json
import os
import socket

import pytest

from community_desk.core import change_notices, session
from community_desk.core.atomic import write_text
from community_desk.gui import live_updates, server_startup, startup
from tests.integration.test_server_startup import configure, server  # noqa: F401 - a fixture
from tests.integration.test_startup_flow import answer_first_run, answer_login, click_message_button

pytestmark = pytest.mark.child_process


@pytest.fixture
def starts(monkeypatch):
    """What the start-up asked of live_updates.start (window, url, follow_file), and the connection's name then."""
    calls = []
    real = live_updates.start

    def start(window, url, **kwargs):
        calls.append((window, url, kwargs.get("follow_file", False), change_notices.application_name()))
        return real(window, url, **kwargs)

    monkeypatch.setattr(live_updates, "start", start)
    yield calls
    change_notices.working_as(None)


def test_server_mode_listens_once_the_window_is_shown_named_after_who_logged_in(server, started, starts,  # noqa: F811
                                                                                monkeypatch):
    from community_desk.gui import main_window

    # the home page's figures are not this test's subject (and their SQL is still being ported to the server)
    monkeypatch.setattr(main_window, "PAGES", [spec for spec in main_window.PAGES if spec.title != "工作台首页"])
    configure(server)
    answer_login(monkeypatch)
    assert server_startup.start_server_gui(server) == 0
    [window] = started
    [(shown, url, follow, name)] = starts
    assert shown is window and url == server and not follow
    assert change_notices.who_from(name) == f"{session.current.user}@{change_notices.pc_name()}"
    assert live_updates.current() is None  # stopped when the window closed


def test_a_read_only_second_copy_of_a_file_follows_the_other_and_the_first_does_not(tmp_path, started, starts,
                                                                                   monkeypatch):
    db_path = tmp_path / "desk.db"
    answer_first_run(monkeypatch)
    assert startup.start_gui(db_path) == 0
    assert starts == []  # the copy that writes a file: nothing to follow
    now = dt.datetime.now().replace(microsecond=0).isoformat()
    write_text(str(db_path) + ".lock", json.dumps({"user": "李娜", "host": socket.gethostname(),
                                                   "pid": os.getppid(), "since": now, "heartbeat": now}))
    click_message_button(monkeypatch, "以只读方式打开", [])
    answer_login(monkeypatch)
    assert startup.start_gui(db_path) == 0
    assert starts[-1][0] is started[-1] and starts[-1][1:3] == (None, True)
    assert live_updates.current() is None
