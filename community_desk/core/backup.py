"""Online backups: a consistent copy through SQLite's backup API, rotation, integrity check, restore.

Backups live in a `backups` folder beside the database (or the folder set in settings), named
`community_desk-<seq>-YYYYmmdd-HHMMSS-<reason>.db`, where <seq> counts up from the newest backup in the folder:
creation order comes from it, never from the time in the name, which a clock set back would put first (files of
the older `community_desk-YYYYmmdd-HHMMSS-<reason>.db` form count as older than every numbered one). They are
taken on the first start of a day, before every import or migration, and by hand. Retention keeps the newest N
daily and M weekly copies, and never the one just made.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from .atomic import atomic_path
from .file_peek import read_only

NAME_RE = re.compile(r"^community_desk-(?:(\d{6})-)?(\d{8}-\d{6})-([a-z-]+?)(?:-\d+)?\.(?:db|dump)$")
REASONS = {"daily": "每日自动", "manual": "手动", "import": "导入前", "migration": "升级前", "restore": "恢复前",
           "anonymise": "匿名化前"}
KEEP_DAILY = 7
KEEP_WEEKLY = 4


class BackupError(RuntimeError):
    """A backup or restore could not be done; the message is plain Chinese."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    reason: str
    seq: int = 0  # creation order in its folder; 0 for a backup named before numbering
    checked: str = ""  # server mode: how the dump was checked (core/server_backup.py)

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)

    @property
    def size_mb(self) -> float:
        return self.path.stat().st_size / 1024 / 1024


def backups_dir(db_path: Path, configured: str | None = None) -> Path:
    return Path(configured).expanduser() if configured else db_path.parent / "backups"


def integrity_ok(path: Path, quick: bool = False) -> tuple[bool, str]:
    """Run PRAGMA integrity_check (or quick_check) on a database file; (ok, first message)."""
    state, message = check_file(path, quick)
    return state == OK, message


OK, DAMAGED, FAULT = "ok", "damaged", "fault"
_DAMAGE_ERRORS = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


def environment_fault(exc: BaseException, path: Path) -> str | None:
    """The plain-Chinese machine fault behind `exc` on the file at `path` (a full disk, a read-only folder, a
    missing folder, an I/O error on the -shm file), or None when the file itself is bad. SQLite says "disk I/O
    error" when it cannot grow the -shm file of a full disk: the free space of the folder tells which it is."""
    from . import faults

    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(_DAMAGE_ERRORS) or "malformed" in str(exc) or "not a database" in str(exc):
        return None
    folder = Path(path).parent
    try:
        stat = os.statvfs(folder) if hasattr(os, "statvfs") else None
        if stat is not None and stat.f_bavail * stat.f_frsize < 64 * 1024:
            return faults.DISK_FULL
    except OSError:
        return faults.CANNOT_OPEN
    message = faults.describe_fault(exc)
    if message in (faults.DISK_IO, faults.CANNOT_OPEN) and folder.exists() and not os.access(folder, os.W_OK):
        return faults.NO_WRITE_PERMISSION
    return message


def check_file(path: Path, quick: bool = False) -> tuple[str, str]:
    """(OK | DAMAGED | FAULT, message) of PRAGMA integrity_check (or quick_check) on a database file. DAMAGED is
    the file's own damage (the check says so, or SQLite calls it malformed or not a database); FAULT is the
    machine's (full disk, read-only folder, cannot open), with the plain-Chinese cause as the message."""
    try:
        with read_only(path) as conn:
            rows = conn.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        fault = environment_fault(exc, path)
        return (FAULT, fault) if fault else (DAMAGED, str(exc))
    message = rows[0][0] if rows else "no answer"
    return (OK if message == "ok" else DAMAGED), message


class QuickCheck:
    """quick_check of a database file on a thread of its own.

    SQLite runs without the GIL, so the check (about 90 ms on 100,000 residents) overlaps the Python work of the
    start-up (the window starts it once the login window is on screen, then loads its modules); `result()` waits
    for it. A file that does not exist yet is not checked.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._result: tuple[str, str] = (OK, "ok")
        self._thread: threading.Thread | None = None
        if self.path.exists() and self.path.stat().st_size > 0:
            self._thread = threading.Thread(target=self._run, name="quick-check", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        self._result = check_file(self.path, quick=True)

    def state(self) -> tuple[str, str]:
        """(OK | DAMAGED | FAULT, message), as check_file gives it."""
        if self._thread is not None:
            self._thread.join()
        return self._result

    def result(self) -> tuple[bool, str]:
        state, message = self.state()
        return state == OK, message


def backup_database(source: sqlite3.Connection, target: Path) -> Path:
    """Copy the live database through the online backup API into target (atomically) and check the copy."""
    with atomic_path(target) as tmp:
        dest = sqlite3.connect(tmp)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
        ok, message = integrity_ok(tmp)
        if not ok:
            raise BackupError(f"备份副本检查未通过：{message}")
    return target


def take_backup(source: sqlite3.Connection, folder: Path, reason: str = "manual",
                now: dt.datetime | None = None) -> BackupInfo:
    now = now or dt.datetime.now()
    folder.mkdir(parents=True, exist_ok=True)
    seq = max((b.seq for b in list_backups(folder)), default=0) + 1
    target = folder / f"community_desk-{seq:06d}-{now:%Y%m%d-%H%M%S}-{reason}.db"
    while target.exists():  # another program numbered one the same moment
        seq += 1
        target = folder / f"community_desk-{seq:06d}-{now:%Y%m%d-%H%M%S}-{reason}.db"
    try:
        backup_database(source, target)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"备份失败：{exc}") from exc
    return BackupInfo(target, now.replace(microsecond=0), reason, seq)


def list_backups(folder: Path) -> list[BackupInfo]:
    """Backups in the folder, newest (last made) first."""
    if not folder.exists():
        return []
    out = []
    for path in folder.iterdir():
        match = NAME_RE.match(path.name)
        if match:
            seq, stamp, reason = match.groups()
            out.append(BackupInfo(path, dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S"), reason, int(seq or 0)))
    return sorted(out, key=lambda b: (b.seq, b.taken_at, b.path.name), reverse=True)


def needs_daily_backup(folder: Path, today: dt.date | None = None) -> bool:
    today = today or dt.date.today()
    return not any(b.taken_at.date() == today for b in list_backups(folder))


def rotate(folder: Path, keep_daily: int = KEEP_DAILY, keep_weekly: int = KEEP_WEEKLY) -> list[Path]:
    """Keep the newest backup of each of the last keep_daily days and of the last keep_weekly ISO weeks
    (besides these, copies taken before an import/migration/restore in the kept days stay). "Newest" and "last"
    are in creation order; the day and week are those in the names. The newest backup, the one just made, always
    stays, whatever the clock said when it was taken. Returns removed files."""
    backups = list_backups(folder)
    keep: set[Path] = {backups[0].path} if backups else set()
    days: list[dt.date] = []
    weeks: list[tuple[int, int]] = []
    for b in backups:  # newest first
        day = b.taken_at.date()
        week = day.isocalendar()[:2]
        if day not in days and len(days) < keep_daily:
            days.append(day)
            keep.add(b.path)
        elif day in days and b.reason != "daily":
            keep.add(b.path)
        if week not in weeks and len(weeks) < keep_weekly:
            weeks.append(week)
            keep.add(b.path)
    removed = []
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def newest_good_backup(folder: Path) -> BackupInfo | None:
    for b in list_backups(folder):
        if integrity_ok(b.path)[0]:
            return b
    return None


def check_restorable(path: Path, latest_version: int) -> int:
    """Raise BackupError unless `path` is a whole database of this program of a version it can open (its tables,
    its schema_version at most `latest_version`); return that version. Nothing is replaced before this passes."""
    ok, message = integrity_ok(path)
    if not ok:
        raise BackupError(f"该备份文件已损坏或不是数据库，不能恢复：{message}")
    try:
        with read_only(path) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            version = (conn.execute('SELECT MAX("version") FROM "schema_version"').fetchone()[0]
                       if "schema_version" in tables else None)
    except sqlite3.Error as exc:
        raise BackupError(f"该文件不是社区工作台的数据库，不能恢复：{exc}") from exc
    if version is None or not OWN_TABLES <= tables:
        raise BackupError(f"该文件不是社区工作台的数据库（缺少{'、'.join(sorted(OWN_TABLES - tables)) or '结构版本'}），不能恢复")
    if not isinstance(version, int) or version < 1 or version > latest_version:
        raise BackupError(f"该备份的结构版本为 {version}，本程序只能打开 1 至 {latest_version} 版，不能恢复")
    return version


OWN_TABLES = {"schema_version", "community", "household", "resident"}  # version 1 has these already


def side_files(db_path: Path) -> list[Path]:
    """The -wal and -shm files of a database."""
    return [Path(str(db_path) + suffix) for suffix in ("-wal", "-shm")]


def copy_aside(db_path: Path, suffix: str = ".damaged") -> Path:
    """Copy (never move) a database with its -wal and -shm to `<name><suffix>` (a free name) beside it, each copy
    written whole and synced, so the copy opens with the records that were only in its WAL. Returns the copy."""
    target = db_path.with_name(db_path.name + suffix)
    n = 2
    while target.exists():
        target = db_path.with_name(f"{db_path.name}{suffix}-{n}")
        n += 1
    for source, dest in [(db_path, target), *zip(side_files(db_path), side_files(target), strict=True)]:
        if source.exists():
            with atomic_path(dest) as tmp:
                shutil.copyfile(source, tmp)
    return target


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def restore_file(backup: Path, db_path: Path) -> None:
    """Put a backup in place of the (closed) database file. The caller keeps a copy of the current one first.

    The backup is copied to a temporary file in the database's folder and synced; only then do the old -wal and
    -shm go (a WAL left beside the new file would be replayed into it) and the new file replaces the old in one
    step. A full disk or a read-only folder fails before the old file is touched."""
    ok, message = integrity_ok(backup)
    if not ok:
        raise BackupError(f"该备份文件已损坏，不能恢复：{message}")
    fd, tmp = tempfile.mkstemp(prefix=f".{db_path.stem}-restore-", suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        shutil.copyfile(backup, tmp_path)
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        for extra in side_files(db_path):
            extra.unlink(missing_ok=True)
        os.replace(tmp_path, db_path)
        _fsync_folder(db_path.parent)
    finally:
        tmp_path.unlink(missing_ok=True)
