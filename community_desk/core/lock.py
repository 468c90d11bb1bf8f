"""Who has the database open: a lock file beside it, so a second copy of the program can say who and since when.

The lock holds the user, the computer, the process id, when it was taken, a token of its own and a heartbeat (a
counter and the holder's time) that the holder renews every HEARTBEAT_SECONDS.

Taking it is atomic: the file is created with O_EXCL, and the read-judge-replace of a stale lock runs under an
OS lock (fcntl.flock / msvcrt.locking) on a guard file that is never deleted, so of many starts at the same
moment exactly one gets the lock. The OS drops that guard when a process dies: a crash never leaves it held.

A lock is stale when its process is gone (same computer), or when its heartbeat does not change while the reader
watches it for STALE_AFTER_SECONDS on its own monotonic clock (another computer, or a frozen run). No two
computers' clocks are ever compared: a PC whose clock is ten minutes off neither steals a live lock nor keeps
a dead one.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from .atomic import write_text

HEARTBEAT_SECONDS = 10  # the window's timer (gui/startup.py HEARTBEAT_MS) beats this often
STALE_AFTER_SECONDS = 45.0  # a heartbeat unchanged this long, watched by the reader, is a dead holder's
POLL_SECONDS = 0.25

_monotonic = time.monotonic  # replaced by tests: no test waits for real time
_sleep = time.sleep


def this_host() -> str:
    """This computer's name, as socket.gethostname() gives it (which is os.uname's node name where there is one;
    the socket module is loaded only on Windows: the lock is taken before the login window is shown)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


@dataclass
class LockInfo:
    user: str
    host: str
    pid: int
    since: str
    heartbeat: str
    beat: int = 0
    token: str = ""

    def describe(self) -> str:
        since = dt.datetime.fromisoformat(self.since)
        return f"{self.user}（电脑 {self.host}）自 {since:%m月%d日 %H:%M} 起正在使用"


def lock_path(db_path: Path) -> Path:
    return Path(str(db_path) + ".lock")


def guard_path(db_path: Path) -> Path:
    return Path(str(db_path) + ".lock-guard")


def _kernel32():  # replaced by tests on Linux
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32")
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    kernel32.GetExitCodeProcess.restype = wintypes.BOOL
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    return kernel32


def _pid_alive_windows(pid: int) -> bool:
    """OpenProcess + GetExitCodeProcess: os.kill(pid, 0) on Windows would send CTRL_C_EVENT."""
    import ctypes

    query_limited_information, still_active, access_denied = 0x1000, 259, 5
    kernel32 = _kernel32()
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return kernel32.GetLastError() == access_denied  # it exists but belongs to someone else
    try:
        code = ctypes.c_ulong(0)  # a DWORD
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True  # cannot tell: do not take a lock that may be live
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _pid_alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _read_raw(db_path: Path) -> str | None:
    """The lock file's text, or None when there is none (a file being replaced is read again)."""
    for _ in range(20):
        try:
            return lock_path(db_path).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError:  # Windows: the holder is replacing it this instant
            _sleep(0.05)
    return None


def _parse(raw: str | None) -> LockInfo | None:
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        known = {f.name for f in fields(LockInfo)}
        return LockInfo(**{k: v for k, v in data.items() if k in known})
    except (ValueError, TypeError, AttributeError):
        return None


def read_lock(db_path: Path) -> LockInfo | None:
    return _parse(_read_raw(db_path))


def _holder_gone(info: LockInfo) -> bool | None:
    """True/False when this computer can tell at once whether the holder is gone; None when only watching can."""
    if info.host != this_host():
        return None
    if info.pid == os.getpid():
        return True  # this very process's own earlier lock
    return not _pid_alive(info.pid)


def _watch(db_path: Path, raw: str, seconds: float) -> bool:
    """True when the lock file stayed exactly `raw` for `seconds` of this computer's monotonic clock."""
    deadline = _monotonic() + seconds
    while _monotonic() < deadline:
        _sleep(POLL_SECONDS)
        if _read_raw(db_path) != raw:
            return False
    return True


def is_stale(info: LockInfo, watch_seconds: float = STALE_AFTER_SECONDS, db_path: Path | None = None) -> bool:
    """Whether the holder is gone. On this computer the process tells at once; for another computer the lock file
    at db_path is watched for watch_seconds and is stale only if its heartbeat did not change meanwhile."""
    gone = _holder_gone(info)
    if gone is not None:
        return gone
    if db_path is None:
        return False
    raw = _read_raw(db_path)
    return raw is not None and _parse(raw) == info and _watch(db_path, raw, watch_seconds)


@contextmanager
def _guarded(db_path: Path) -> Iterator[None]:
    """An OS lock on the guard file for the few milliseconds of a read-judge-write of the lock file."""
    fd = os.open(guard_path(db_path), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if sys.platform == "win32":
            import msvcrt

            while True:
                try:
                    msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for 10 s, then raises
                    break
                except OSError:
                    continue
            try:
                yield
            finally:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _create_exclusive(db_path: Path, text: str) -> bool:
    try:
        fd = os.open(lock_path(db_path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError:
        # a full disk: no half-written lock may stay behind (the next start would take it as someone's)
        lock_path(db_path).unlink(missing_ok=True)
        raise
    return True


def _now() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat()


class DatabaseLock:
    def __init__(self, db_path: Path, user: str):
        self.db_path = Path(db_path)
        self.user = user
        self.held = False
        self.token = os.urandom(16).hex()  # (uuid would load `platform`, secrets hmac, before the login window)
        self._info: LockInfo | None = None

    def _mine(self, info: LockInfo | None) -> bool:
        return info is not None and info.token == self.token

    def _write(self) -> None:
        write_text(lock_path(self.db_path), json.dumps(asdict(self._info), ensure_ascii=False))

    def try_acquire(self) -> LockInfo | None:
        """Take the lock. Returns None when taken (or, when already held, renamed to self.user), else the live
        holder's LockInfo. A holder on another computer is watched for up to STALE_AFTER_SECONDS; a live one
        answers within HEARTBEAT_SECONDS."""
        if self.held:
            with _guarded(self.db_path):
                if self._mine(read_lock(self.db_path)):
                    self._info.user = self.user
                    self._write()
                    return None
            self.held = False  # someone took it over after we froze
        current = None
        for _ in range(5):
            with _guarded(self.db_path):
                raw = _read_raw(self.db_path)
                if raw is None:
                    if self._create():
                        return None
                    continue
                current = _parse(raw)
                gone = True if current is None else _holder_gone(current)  # an unreadable lock is no one's
                if gone:
                    lock_path(self.db_path).unlink(missing_ok=True)
                    if self._create():
                        return None
                    continue
                if gone is False:
                    return current
            if not _watch(self.db_path, raw, STALE_AFTER_SECONDS):
                live = read_lock(self.db_path)
                if live is not None:
                    return live
                continue  # released while we watched: try again
            with _guarded(self.db_path):
                if _read_raw(self.db_path) == raw:  # still the very lock we watched die
                    lock_path(self.db_path).unlink(missing_ok=True)
                    if self._create():
                        return None
        return read_lock(self.db_path) or current or LockInfo("另一个程序", "未知", 0, _now(), _now())

    def _create(self) -> bool:
        """Under the guard: create the lock file (O_EXCL); False when a program without the guard was first."""
        now = _now()
        info = LockInfo(user=self.user, host=this_host(), pid=os.getpid(), since=now, heartbeat=now, token=self.token)
        if not _create_exclusive(self.db_path, json.dumps(asdict(info), ensure_ascii=False)):
            return False
        self._info = info
        self.held = True
        return True

    def heartbeat(self) -> None:
        if not self.held:
            return
        try:
            with _guarded(self.db_path):
                if not self._mine(read_lock(self.db_path)):
                    self.held = False  # someone took it over after we froze; do not fight
                    return
                self._info.beat += 1
                self._info.heartbeat = _now()
                self._write()
        except OSError:
            pass  # a network folder away for a moment: the next beat tries again

    def release(self) -> None:
        if not self.held:
            return
        try:
            with _guarded(self.db_path):
                if self._mine(read_lock(self.db_path)):
                    lock_path(self.db_path).unlink(missing_ok=True)
        except OSError:
            pass
        self.held = False
