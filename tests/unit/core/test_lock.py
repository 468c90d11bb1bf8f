"""The database lock under faults: many starts at once, clocks that disagree, and the Windows liveness check."""
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from community_desk.core import lock
from community_desk.core.atomic import write_text
from community_desk.core.lock import DatabaseLock, read_lock

ROOT = Path(__file__).resolve().parents[3]
CHILD = """
import os, sys, time
from pathlib import Path
from community_desk.core.lock import DatabaseLock
db, folder, i = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
(folder / f"ready-{i}").write_text("")
while not (folder / "go").exists():
    time.sleep(0.005)
holder = DatabaseLock(db, f"用户{i}").try_acquire()
(folder / f"result-{i}.tmp").write_text("got" if holder is None else "refused " + holder.user, encoding="utf-8")
os.replace(folder / f"result-{i}.tmp", folder / f"result-{i}")
while not (folder / "release").exists():  # the winner holds the lock until everyone has answered
    time.sleep(0.01)
"""


def wait_for(condition, seconds=180.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the child processes did not answer in time"
        time.sleep(0.02)


def race(tmp_path, count):
    """count real processes, released together by a barrier file, try to take the lock of one database."""
    db, folder = tmp_path / "desk.db", tmp_path / "race"
    folder.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    children = [subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(folder), str(i)], env=env, cwd=ROOT)
                for i in range(count)]
    try:
        wait_for(lambda: len(list(folder.glob("ready-*"))) == count)
        (folder / "go").write_text("")
        wait_for(lambda: len([p for p in folder.glob("result-*") if p.suffix != ".tmp"]) == count)
        results = [(folder / f"result-{i}").read_text(encoding="utf-8") for i in range(count)]
    finally:
        (folder / "release").write_text("")
        for child in children:
            child.wait(timeout=120)
    return db, results


def test_thirty_starts_at_the_same_moment_give_the_lock_to_exactly_one(tmp_path):
    db, results = race(tmp_path, 30)
    winners = [i for i, r in enumerate(results) if r == "got"]
    assert len(winners) == 1, results
    assert results.count(f"refused 用户{winners[0]}") == 29, results  # each refusal names the holder
    assert read_lock(db).user == f"用户{winners[0]}"  # it exited without releasing: a dead lock ...
    assert DatabaseLock(db, "李娜").try_acquire() is None  # ... that the next start takes over at once


def test_thirty_starts_racing_for_a_dead_lock_give_it_to_exactly_one(tmp_path):
    now = dt.datetime.now().replace(microsecond=0).isoformat()
    write_text(str(tmp_path / "desk.db") + ".lock", json.dumps(
        {"user": "张敏", "host": lock.this_host(), "pid": 2**22 + 12345, "since": now, "heartbeat": now}))
    _db, results = race(tmp_path, 30)
    winners = [r for r in results if r == "got"]
    assert len(winners) == 1, results
    assert not any("张敏" in r for r in results)


class FakeClock:
    """The reader's monotonic clock: each sleep advances it; `during_wait` runs as the holder would meanwhile."""

    def __init__(self, monkeypatch, during_wait=None):
        self.now = 1000.0
        self.slept = 0.0
        self.during_wait = during_wait
        monkeypatch.setattr(lock, "_monotonic", lambda: self.now)
        monkeypatch.setattr(lock, "_sleep", self.sleep)

    def sleep(self, seconds):
        self.now += seconds
        self.slept += seconds
        if self.during_wait:
            self.during_wait(self.slept)


def remote_holder(db, skew):
    """A lock written by another PC whose clock is `skew` off ours; returns a function that makes it beat."""
    clock = dt.datetime.now() + skew
    state = {"beat": 0}

    def write():
        stamp = (clock + dt.timedelta(seconds=10 * state["beat"])).replace(microsecond=0).isoformat()
        write_text(str(db) + ".lock", json.dumps({"user": "张敏", "host": "居委会-前台", "pid": os.getpid(),
                                                   "since": clock.replace(microsecond=0).isoformat(),
                                                   "heartbeat": stamp, "beat": state["beat"], "token": "front"}))

    def beat(slept):
        if slept >= 10 * (state["beat"] + 1):  # every 10 s of the reader's wait
            state["beat"] += 1
            write()

    write()
    return beat


@pytest.mark.parametrize("skew", [dt.timedelta(minutes=10), dt.timedelta(minutes=-10)])
def test_a_live_holder_on_a_pc_whose_clock_is_off_keeps_the_lock(tmp_path, monkeypatch, skew):
    db = tmp_path / "desk.db"
    clock = FakeClock(monkeypatch)
    clock.during_wait = remote_holder(db, skew)
    holder = DatabaseLock(db, "李娜").try_acquire()
    assert holder is not None and holder.user == "张敏" and "居委会-前台" in holder.describe()
    assert clock.slept <= lock.HEARTBEAT_SECONDS + 1  # a live holder is told within one heartbeat
    assert read_lock(db).user == "张敏"


@pytest.mark.parametrize("skew", [dt.timedelta(minutes=10), dt.timedelta(minutes=-10), dt.timedelta(0)])
def test_a_dead_holder_on_a_pc_whose_clock_is_off_is_taken_over_after_the_watch(tmp_path, monkeypatch, skew):
    db = tmp_path / "desk.db"
    remote_holder(db, skew)  # written once, never beats again
    clock = FakeClock(monkeypatch)
    assert DatabaseLock(db, "李娜").try_acquire() is None
    assert clock.slept >= lock.STALE_AFTER_SECONDS  # watched for the whole period on the reader's own clock
    assert read_lock(db).user == "李娜"


HOLDER = """
import datetime as dt, sys, time
from pathlib import Path
from community_desk.core import lock
skew = dt.timedelta(minutes=int(sys.argv[2]))
lock._now = lambda: (dt.datetime.now() + skew).replace(microsecond=0).isoformat()  # this PC's clock is off
lock.this_host = lambda: "居委会-前台"  # and it is another computer
held = lock.DatabaseLock(Path(sys.argv[1]), "张敏")
assert held.try_acquire() is None
while not Path(sys.argv[1] + ".stop").exists():
    held.heartbeat()
    time.sleep(0.05)
held.release()
"""


@pytest.mark.parametrize("minutes", [10, -10])
def test_a_real_holder_process_with_its_clock_off_is_not_taken_over(tmp_path, minutes):
    db = tmp_path / "desk.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), str(minutes)], env=env, cwd=ROOT)
    try:
        wait_for(lambda: read_lock(db) is not None)
        stamp = dt.datetime.fromisoformat(read_lock(db).heartbeat)
        assert abs((stamp - dt.datetime.now()).total_seconds() - 60 * minutes) < 60
        for _ in range(3):  # the reader watches up to STALE_AFTER_SECONDS of real time; the holder beats 20 a second
            found = DatabaseLock(db, "李娜").try_acquire()
            assert found is not None and found.user == "张敏"
    finally:
        Path(str(db) + ".stop").write_text("")
        holder.wait(timeout=120)
    assert read_lock(db) is None  # it released at exit, and no one had taken it


def test_a_lock_released_while_watched_is_taken(tmp_path, monkeypatch):
    db = tmp_path / "desk.db"
    remote_holder(db, dt.timedelta(0))
    FakeClock(monkeypatch, during_wait=lambda slept: lock.lock_path(db).unlink(missing_ok=True))
    assert DatabaseLock(db, "李娜").try_acquire() is None
    assert read_lock(db).user == "李娜"


def test_heartbeat_changes_the_lock_and_release_removes_only_ones_own(tmp_path):
    db = tmp_path / "desk.db"
    mine = DatabaseLock(db, "张敏")
    assert mine.try_acquire() is None
    before = read_lock(db)
    mine.heartbeat()
    assert read_lock(db).beat == before.beat + 1
    mine.user = "王洋"
    assert mine.try_acquire() is None and read_lock(db).user == "王洋"  # renamed after the login
    other = {**read_lock(db).__dict__, "token": "someone-else", "host": "另一台电脑"}
    write_text(lock.lock_path(db), json.dumps(other))  # taken over while we were frozen
    mine.heartbeat()
    mine.release()
    assert read_lock(db).token == "someone-else"


class FakeKernel32:
    """OpenProcess / GetExitCodeProcess / CloseHandle as Windows answers them."""

    def __init__(self, processes, denied=()):
        self.processes, self.denied, self.closed, self.error = processes, denied, [], 0

    def OpenProcess(self, access, inherit, pid):  # noqa: N802 - the Windows name
        assert access == 0x1000 and not inherit
        if pid in self.denied:
            self.error = 5
            return 0
        if pid not in self.processes:
            self.error = 87
            return 0
        return pid + 1_000_000

    def GetLastError(self):  # noqa: N802
        return self.error

    def GetExitCodeProcess(self, handle, code_ref):  # noqa: N802
        code_ref._obj.value = self.processes[handle - 1_000_000]
        return 1

    def CloseHandle(self, handle):  # noqa: N802
        self.closed.append(handle)


def test_liveness_on_windows_asks_openprocess_and_never_sends_a_signal(monkeypatch):
    kernel = FakeKernel32({100: 259, 200: 0}, denied={300})
    monkeypatch.setattr(lock.sys, "platform", "win32")
    monkeypatch.setattr(lock, "_kernel32", lambda: kernel)
    monkeypatch.setattr(lock.os, "kill", lambda *a: pytest.fail("os.kill sends CTRL_C_EVENT on Windows"))
    assert lock._pid_alive(100) is True  # STILL_ACTIVE
    assert lock._pid_alive(200) is False  # exited, handle still open somewhere
    assert lock._pid_alive(300) is True  # another user's process: access denied, but it exists
    assert lock._pid_alive(400) is False  # no such process
    assert kernel.closed == [1_000_100, 1_000_200]


def test_liveness_on_posix_uses_signal_zero(monkeypatch):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert lock._pid_alive(child.pid) is True
    finally:
        child.kill()
        child.wait()
    assert lock._pid_alive(child.pid) is False
    monkeypatch.setattr(lock.sys, "platform", "linux")
    monkeypatch.setattr(lock, "_kernel32", lambda: pytest.fail("no Windows calls on POSIX"))
    assert lock._pid_alive(os.getpid()) is True
