"""Issue 16: an unexpected error in the window is logged beside the database and said in a Chinese message box;
no traceback reaches the user and the program goes on. Each case runs in a child process (tests/crash_child.py),
because the hooks are process-wide."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from community_desk import __version__
from community_desk.core import crash_log

ROOT = Path(__file__).resolve().parents[3]
CHILD = ROOT / "tests" / "crash_child.py"


def run_child(db: Path, where: str, box: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    env.pop("COMMUNITY_DESK_CRASH_NO_BOX", None)
    if not box:
        env["COMMUNITY_DESK_CRASH_NO_BOX"] = "1"
    command = [sys.executable, str(CHILD), str(db), where]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, cwd=ROOT)


def today_log(db: Path) -> Path:
    return db.parent / "logs" / f"community_desk-{datetime.now():%Y%m%d}.log"


def assert_logged(db: Path, thread: str | None = None) -> str:
    text = today_log(db).read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "ValueError: 测试用的意外错误" in text
    assert f"Community Desk {__version__}" in text
    if thread:
        assert f"线程 {thread}" in text
    return text


@pytest.mark.parametrize("where", ["slot", "thread"])
def test_error_is_logged_and_said_in_a_box(tmp_path, where):
    db = tmp_path / "desk.db"
    done = run_child(db, where)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "alive after the error" in done.stdout
    expected = (f"box: 程序出现意外错误，已记录到 {today_log(db)}，请把该文件发给维护人员。"
                "数据已保存的部分不受影响。")
    assert expected in done.stdout.splitlines()
    assert_logged(db, "worker-1" if where == "thread" else None)


def test_windowed_build_without_console_logs_and_goes_on(tmp_path):
    db = tmp_path / "desk.db"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "COMMUNITY_DESK_CRASH_NO_BOX": "1"}
    # fd 1 and 2 closed: Python starts with sys.stdout and sys.stderr None, as PyInstaller's windowed build does
    done = subprocess.run(["sh", "-c", '"$@" >&- 2>&-; echo "rc=$?"', "sh", sys.executable, str(CHILD), str(db),
                           "slot"], env=env, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.stdout.strip() == "rc=0", done
    assert_logged(db)


def test_second_error_appends_to_the_days_log(tmp_path):
    db = tmp_path / "desk.db"
    for _ in range(2):
        assert run_child(db, "slot", box=False).returncode == 0
    assert assert_logged(db).count("ValueError: 测试用的意外错误") == 2


def test_log_falls_back_to_the_temp_folder_when_the_database_folder_is_read_only(tmp_path, monkeypatch):
    monkeypatch.setattr(crash_log.tempfile, "gettempdir", lambda: str(tmp_path / "temp"))
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    try:
        raise ValueError("测试用的意外错误")
    except ValueError as exc:
        written = crash_log.write_entry(blocked / "desk.db", type(exc), exc, exc.__traceback__)
    assert written is not None and written.parent == tmp_path / "temp" / "logs"
    assert "ValueError: 测试用的意外错误" in written.read_text(encoding="utf-8")


def test_a_hook_set_by_someone_else_is_left_in_place(qtbot, tmp_path):
    from community_desk.gui import crash_handler

    before = sys.excepthook
    assert before is not sys.__excepthook__  # pytest-qt's, which fails a test on an error in a slot
    assert crash_handler.install(tmp_path / "desk.db") is None
    assert sys.excepthook is before
