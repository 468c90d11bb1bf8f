"""`backup [--out FILE]` and `restore FILE`: the database's backups (core.startup, core.backup).

Both are an administrator's (core.startup refuses anyone else). `restore` works on a damaged database and on a
missing one (app.run_cli does not open it for writing first, and takes the window's lock)."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..core import backup, startup
from ..core.db import database_path
from ..exit_codes import EXIT_OK
from .command import Command, CommandError


def _add_backup(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", help="write the backup to this file instead of the backups folder")


def _run_backup(args: argparse.Namespace) -> int:
    db_path = getattr(args, "db_path", None) or database_path()
    out = Path(args.out) if args.out else None
    if out is not None and not out.parent.exists():
        raise CommandError(f"文件夹不存在：{out.parent}", f"folder does not exist: {out.parent}")
    try:
        info = startup.backup_now(db_path, "manual", out)
    except backup.BackupError as exc:
        raise CommandError(str(exc), "backup failed") from exc
    print(f"已备份到 {info.path}（{info.size_mb:.1f} MB）" + (f"，{info.checked}" if info.checked else ""))
    return EXIT_OK


def _add_restore(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the backup file to restore")


def _run_restore(args: argparse.Namespace) -> int:
    source = Path(args.file)
    if not source.is_file():
        raise CommandError(f"找不到备份文件：{source}", f"no such file: {source}")
    try:
        report = startup.restore_backup(getattr(args, "db_path", None) or database_path(), source)
    except backup.BackupError as exc:
        raise CommandError(str(exc), "restore refused") from exc
    if report.damaged:
        print(f"已从 {source} 恢复；损坏的数据库（连同其 -wal）已另存为 {report.path}，"
              f"从中找回 {report.salvaged_total} 条备份中没有的记录")
    else:
        print(f"已从 {source} 恢复；恢复前的数据库已备份到 {report.path}，保留了此后的 {report.audit_kept} 条操作日志")
    return EXIT_OK


COMMANDS = (
    Command("backup", "take a consistent backup of the database (administrator only)", _add_backup, _run_backup),
    Command("restore", "restore the database from a backup (administrator only; the current one is backed up "
                       "first, a damaged one copied aside; creates the database if it is missing)", _add_restore,
            _run_restore),
)
