"""Who has the database open: a lock file beside it, so a second copy of the program can say who and since when.

The lock holds the user, the computer, the process id, when it was taken and a heartbeat the
holder renews every minute. A lock whose process is gone (same computer) or whose heartbeat is older
than STALE_AFTER (another computer, or a frozen run) is stale and is taken over.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from .atomic import write_text

STALE_AFTER = dt.timedelta(minutes=3)


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

    def describe(self) -> str:
        since = dt.datetime.fromisoformat(self.since)
        return f"{self.user}（电脑 {self.host}）自 {since:%m月%d日 %H:%M} 起正在使用"


def lock_path(db_path: Path) -> Path:
    return Path(str(db_path) + ".lock")


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def read_lock(db_path: Path) -> LockInfo | None:
    try:
        data = json.loads(lock_path(db_path).read_text(encoding="utf-8"))
        return LockInfo(**data)
    except (OSError, ValueError, TypeError):
        return None


def is_stale(info: LockInfo, now: dt.datetime | None = None) -> bool:
    now = now or dt.datetime.now()
    if info.host == this_host() and not _pid_alive(info.pid):
        return True
    try:
        beat = dt.datetime.fromisoformat(info.heartbeat)
    except ValueError:
        return True
    return now - beat > STALE_AFTER


class DatabaseLock:
    def __init__(self, db_path: Path, user: str):
        self.db_path = Path(db_path)
        self.user = user
        self.held = False

    def try_acquire(self) -> LockInfo | None:
        """Take the lock. Returns None when taken, else the live holder's LockInfo."""
        current = read_lock(self.db_path)
        if current is not None and not is_stale(current) and current.pid != os.getpid():
            return current
        now = dt.datetime.now().replace(microsecond=0).isoformat()
        info = LockInfo(user=self.user, host=this_host(), pid=os.getpid(), since=now, heartbeat=now)
        write_text(lock_path(self.db_path), json.dumps(asdict(info), ensure_ascii=False))
        self.held = True
        return None

    def heartbeat(self) -> None:
        if not self.held:
            return
        info = read_lock(self.db_path)
        if info is None or info.pid != os.getpid():
            return  # someone took it over after we froze; do not fight
        info.heartbeat = dt.datetime.now().replace(microsecond=0).isoformat()
        write_text(lock_path(self.db_path), json.dumps(asdict(info), ensure_ascii=False))

    def release(self) -> None:
        if not self.held:
            return
        info = read_lock(self.db_path)
        if info is not None and info.pid == os.getpid():
            lock_path(self.db_path).unlink(missing_ok=True)
        self.held = False
