"""The start-up sequence shared by the window and the commands, Qt-free.

1. A database that exists is checked (PRAGMA quick_check) before it is opened for writing. A file that fails the
   check is damaged (DamagedDatabase: the newest good backup is offered); a machine fault (a full disk, a read-only
   folder) is not damage (DatabaseUnavailable: its cause is said, and no restore is offered).
2. An existing database is backed up before a migration changes it.
3. Once a day, on the first start, a backup is taken and old backups are rotated.
The GUI asks the user what to do where a step cannot go on (damaged file, someone else has it open).

Backing up by hand and restoring are an administrator's (a backup is a full unmasked copy of the personal data;
a restore replaces everything): `backup_now(..., "manual")` and `restore_backup` refuse anyone else with
session.PermissionDenied. The program's own backups (daily, before a migration, an import, an anonymisation,
a restore) run for everybody. Both are written in the audit log, and a restore keeps the audit lines written
since the backup it restores.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from . import backup, session, temp_files, vocabulary
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


class DatabaseUnavailable(DatabaseError):
    """The database file cannot be read or written because of the machine (a full disk, a read-only folder, an
    unplugged drive), not because it is damaged: restoring a backup would not help and is not offered."""

    def __init__(self, path: Path, cause: str):
        super().__init__(f"无法使用数据库文件 {path}：{cause}")
        self.path = path
        self.cause = cause


ADMIN_ONLY = "只有管理员可以备份和恢复数据库（备份是全部个人信息的完整副本）"


def require_admin() -> None:
    if session.current.role != vocabulary.ROLE_ADMIN:
        raise session.PermissionDenied(ADMIN_ONLY)


@dataclass
class RestoreReport:
    """What a restore did: `path` is the copy of the database as it was (a backup, or the damaged file copied
    aside with its -wal), `salvaged` {table: rows} put back from a damaged file, `audit_kept` audit lines kept."""

    path: Path
    source: Path
    damaged: bool = False
    salvaged: dict[str, int] = field(default_factory=dict)
    audit_kept: int = 0

    @property
    def salvaged_total(self) -> int:
        return sum(self.salvaged.values())


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


def check_existing(db_path: Path, started: backup.QuickCheck | None = None, writable: bool = True) -> None:
    """Raise DamagedDatabase when an existing file fails quick_check (the one `started` early, if given), and
    DatabaseUnavailable when the machine keeps it from being checked (a full disk) or, when `writable`, from being
    written (a read-only folder or file)."""
    import os

    from . import faults

    if not db_path.exists() or db_path.stat().st_size == 0:
        return
    if writable and not (os.access(db_path, os.W_OK) and os.access(db_path.parent, os.W_OK)):
        raise DatabaseUnavailable(db_path, faults.NO_WRITE_PERMISSION)
    if started is None or started.path != db_path:
        started = backup.QuickCheck(db_path)
    state, detail = started.state()
    if state == backup.FAULT:
        raise DatabaseUnavailable(db_path, detail)
    if state == backup.DAMAGED:
        raise DamagedDatabase(db_path, detail, backup.newest_good_backup(configured_backup_dir(db_path)))


def open_checked(db_path: Path, *, daily_backup: bool = True, retention: tuple[int, int] | None = None,
                 check: backup.QuickCheck | None = None, writable: bool = True) -> StartupReport:
    """Check (with the quick_check already `check` running, if given; that it can be written unless `writable` is
    False: a command that only reads), open (backing up before a migration), take the daily backup and rotate."""
    from .db import open_database, raw_connection

    report = StartupReport()
    check_existing(db_path, check, writable)
    folder = configured_backup_dir(db_path)
    if writable:
        temp_files.clean_leftovers([db_path.parent, folder])  # temp copies left by killed backups, restores, exports

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
    """A backup of the open database, into the backup folder or to `out`. By hand ("manual", or to any `out`)
    only an administrator may take one, and it is written in the audit log; the program's own (daily, import,
    migration, anonymise, restore) run for everybody."""
    from .db import raw_connection, server_url

    by_hand = reason == "manual" or out is not None
    if by_hand:
        require_admin()
    url = server_url()
    if url is not None:
        from .queries import settings
        from .server_backup import server_backups_dir, take_server_backup

        info = take_server_backup(url, server_backups_dir(url, settings.get("backup_dir")), reason, out)
    elif out is not None:
        backup.backup_database(raw_connection(), out)
        info = backup.BackupInfo(out, backup.dt.datetime.now().replace(microsecond=0), reason)
    else:
        info = backup.take_backup(raw_connection(), configured_backup_dir(db_path), reason)
    if by_hand:
        from .queries import audit

        audit.record("备份", "database", None, f"备份数据库到 {info.path}")
    return info


def restore_backup(db_path: Path, source: Path) -> RestoreReport:
    """Replace the database with a backup (an administrator's). The database need not be open, nor whole.

    Nothing is replaced before the backup proves to be this program's database of a version it can open. A whole
    database is backed up first (reason "restore"); a damaged one is copied aside with its -wal and -shm, and
    what can still be read from it that the backup lacks is put back. The audit lines written since the backup
    are kept, and the restore itself is written in the audit log. The database is open again afterwards."""
    require_admin()
    return _restore(Path(db_path), Path(source))


def recover_damaged(db_path: Path) -> RestoreReport:
    """The start-up's answer to a damaged database: restore the newest good backup of its folder (the program's
    choice, not the person's, so no administrator is needed), keeping the damaged file and salvaging from it."""
    db_path = Path(db_path)
    state, detail = backup.check_file(db_path, quick=True)
    if state != backup.DAMAGED:
        raise backup.BackupError(f"数据库文件没有损坏，不需要恢复（{detail}）")
    good = backup.newest_good_backup(configured_backup_dir(db_path))
    if good is None:
        raise backup.BackupError("没有找到完好的备份")
    return _restore(db_path, good.path)


def _restore(db_path: Path, source: Path) -> RestoreReport:
    from .db import close_database, open_database, raw_connection
    from .migrations import LATEST_VERSION

    backup.check_restorable(source, LATEST_VERSION)
    state, detail = backup.check_file(db_path, quick=True) if db_path.exists() else (backup.OK, "")
    if state == backup.FAULT:
        raise backup.BackupError(f"{detail}。没有恢复，数据库没有改变")
    damaged = state == backup.DAMAGED
    replaced = False
    try:
        if damaged:
            close_database()
            kept = backup.copy_aside(db_path)
        elif db_path.exists():
            if not _is_open(db_path):
                close_database()
                open_database(db_path)
            kept = backup.take_backup(raw_connection(), configured_backup_dir(db_path), "restore").path
            close_database()
        else:
            kept = None
        backup.restore_file(source, db_path)
        replaced = True
    except (OSError, sqlite3.Error) as exc:
        from .faults import describe_fault

        raise backup.BackupError(f"恢复失败，数据库没有改变：{describe_fault(exc) or exc}") from exc
    finally:
        if (replaced or not damaged) and db_path.exists() and not _is_open(db_path):
            open_database(db_path)
    report = RestoreReport(kept or source, source, damaged)
    conn = raw_connection()
    if kept is not None:
        if damaged:
            from .salvage import salvage

            report.salvaged = salvage(kept, conn)
            report.audit_kept = report.salvaged.get("audit_log", 0)
        else:
            report.audit_kept = keep_audit_lines(kept, conn)
    from .queries import audit

    said = (f"从备份 {source.name} 恢复数据库；恢复前的数据库{'（已损坏）另存为' if damaged else '已备份为'} "
            f"{report.path.name}")
    if damaged:
        said += f"，从中找回 {report.salvaged_total} 条记录"
    said += f"（{source}）"  # the folder last: the audit summary is cut at 250 characters
    audit.record("恢复", "database", None, said)
    return report


def _is_open(db_path: Path) -> bool:
    from .models.base import db_proxy

    db = db_proxy.obj
    return db is not None and not db.is_closed() and Path(db.database).resolve() == db_path.resolve()


def keep_audit_lines(before: Path, conn: sqlite3.Connection) -> int:
    """Copy the audit lines of the database as it was (`before`) that are newer than the restored database's last
    one into it, so that a restore cannot erase history. Returns how many."""
    last = conn.execute('SELECT COALESCE(MAX("id"), 0) FROM "audit_log"').fetchone()[0]
    columns = [r[1] for r in conn.execute('PRAGMA table_info("audit_log")') if r[1] != "id"]
    with backup.read_only(before) as old:
        have = {r[1] for r in old.execute('PRAGMA table_info("audit_log")')}
        columns = [c for c in columns if c in have]
        names = ", ".join(f'"{c}"' for c in columns)
        rows = old.execute(f'SELECT {names} FROM "audit_log" WHERE "id" > ? ORDER BY "id"', (last,)).fetchall()
    conn.execute("SAVEPOINT keep_audit")
    conn.executemany(f'INSERT INTO "audit_log" ({names}) VALUES ({", ".join("?" * len(columns))})', rows)
    conn.execute("RELEASE keep_audit")
    return len(rows)
