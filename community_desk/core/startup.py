"""The start-up sequence shared by the window and the commands, Qt-free.

1. A database that exists is checked (PRAGMA quick_check) before it is opened for writing.
2. An existing database is backed up before a migration changes it.
3. Once a day, on the first start, a backup is taken and old backups are rotated.
The GUI asks the user what to do where a step cannot go on (damaged file, someone else has it open).
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from . import backup
from .errors import DatabaseError

# The model layer (core.db: peewee and the models) is imported inside the functions that open the database: the
# window's start-up checks the file, takes the lock and shows the login window before it needs it.


class DamagedDatabase(DatabaseError):
    def __init__(self, path: Path, detail: str, good_backup: backup.BackupInfo | None):
        message = f"数据库文件已损坏，不能继续写入：{path}（{detail}）"
        super().__init__(message)
        self.path = path
        self.detail = detail
        self.good_backup = good_backup


@dataclass
class StartupReport:
    backups_taken: list[backup.BackupInfo] = field(default_factory=list)
    backups_removed: list[Path] = field(default_factory=list)
    migrated: bool = False


def configured_backup_dir(db_path: Path) -> Path:
    """The backup folder: the setting `backup_dir` if set (read without opening for writing), else beside the db."""
    configured = None
    if db_path.exists():
        try:
            with backup.read_only(db_path) as conn:
                row = conn.execute("SELECT value FROM setting WHERE key = 'backup_dir'").fetchone()
            configured = json.loads(row[0]) if row else None
        except (sqlite3.Error, ValueError):
            configured = None
    return backup.backups_dir(db_path, configured)


def looks_configured(db_path: Path) -> bool:
    """Whether the first-start questions were answered (an office name, a community, an account), read from the
    file without opening it for writing or loading the model layer. The same test as settings.is_configured()."""
    if not db_path.exists():
        return False
    try:
        with backup.read_only(db_path) as conn:
            row = conn.execute("SELECT value FROM setting WHERE key = 'office_name'").fetchone()
            return (bool(row and json.loads(row[0]))
                    and conn.execute("SELECT 1 FROM community LIMIT 1").fetchone() is not None
                    and conn.execute("SELECT 1 FROM staff_account LIMIT 1").fetchone() is not None)
    except (sqlite3.Error, ValueError):
        return False


def check_existing(db_path: Path, started: backup.QuickCheck | None = None) -> None:
    """Raise DamagedDatabase when an existing file fails quick_check (the one `started` early, if given)."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return
    if started is None or started.path != db_path:
        started = backup.QuickCheck(db_path)
    ok, detail = started.result()
    if not ok:
        raise DamagedDatabase(db_path, detail, backup.newest_good_backup(configured_backup_dir(db_path)))


def open_checked(db_path: Path, *, daily_backup: bool = True, retention: tuple[int, int] | None = None,
                 check: backup.QuickCheck | None = None) -> StartupReport:
    """Check (with the quick_check already `check` running, if given), open (backing up before a migration), take
    the daily backup and rotate."""
    from .db import open_database, raw_connection

    report = StartupReport()
    check_existing(db_path, check)
    folder = configured_backup_dir(db_path)

    def before_migration(_version: int) -> None:
        report.backups_taken.append(backup.take_backup(raw_connection(), folder, "migration"))
        report.migrated = True

    open_database(db_path, before_migration=before_migration)
    if daily_backup:
        daily = take_daily_backup(db_path, retention)
        report.backups_taken += daily.backups_taken
        report.backups_removed = daily.backups_removed
    return report


def take_daily_backup(db_path: Path, retention: tuple[int, int] | None = None) -> StartupReport:
    """On the first start of a day: a backup of the open database into the backup folder, then the old ones
    rotated. Safe on a worker thread (the window runs it there once it is shown): it reads through that thread's
    own connection, and SQLite's backup copies one consistent snapshot while the program goes on writing."""
    from .db import raw_connection

    report = StartupReport()
    folder = configured_backup_dir(db_path)
    if backup.needs_daily_backup(folder):
        report.backups_taken.append(backup.take_backup(raw_connection(), folder, "daily"))
        keep_daily, keep_weekly = retention or _retention()
        report.backups_removed = backup.rotate(folder, keep_daily, keep_weekly)
    return report


def _retention() -> tuple[int, int]:
    from .queries import settings as office_settings

    return (int(office_settings.get("backup_keep_daily", backup.KEEP_DAILY)),
            int(office_settings.get("backup_keep_weekly", backup.KEEP_WEEKLY)))


def backup_now(db_path: Path, reason: str = "manual", out: Path | None = None) -> backup.BackupInfo:
    """A backup of the open database, into the backup folder or to `out`."""
    from .db import raw_connection

    if out is not None:
        backup.backup_database(raw_connection(), out)
        return backup.BackupInfo(out, backup.dt.datetime.now().replace(microsecond=0), reason)
    return backup.take_backup(raw_connection(), configured_backup_dir(db_path), reason)


def restore_backup(db_path: Path, source: Path) -> backup.BackupInfo:
    """Replace the open database with a backup; the current database is backed up first.

    Returns the backup taken of the database as it was. The database is open again afterwards.
    """
    from .db import close_database, open_database

    source = Path(source)
    ok, detail = backup.integrity_ok(source)
    if not ok:
        raise backup.BackupError(f"该备份文件已损坏或不是数据库，不能恢复：{detail}")
    safety = backup_now(db_path, "restore")
    close_database()
    try:
        backup.restore_file(source, db_path)
    finally:
        open_database(db_path)
    return safety
