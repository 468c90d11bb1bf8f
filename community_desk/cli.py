"""Headless commands: `python main.py [--db PATH] COMMAND ...`. Qt-free.

Exit code 0 on success, 2 on bad input with a one-line Chinese-and-English error on stderr.
Modules register their commands in COMMANDS (name -> (add_arguments, run)).
"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .core import backup, demo, startup
from .core.db import database_path
from .core.excel.residents_export import export_residents
from .core.rules.text import ValidationError
from .core.session import PermissionDenied
from .exit_codes import EXIT_BAD_INPUT, EXIT_OK


class CommandError(Exception):
    """Bad input to a command: Chinese message and English summary."""

    def __init__(self, chinese: str, english: str):
        super().__init__(f"{chinese} ({english})")


def _add_demo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--residents", type=int, default=400, help="number of fictional residents (default 400)")


def _run_demo(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        counts = demo.load_demo_data(residents=args.residents)
    except ValidationError as exc:
        raise CommandError(exc.message, "demo data needs an empty database") from exc
    print(f"已载入示例数据：{counts['communities']} 个社区，{counts['households']} 户，{counts['residents']} 名居民，"
          f"用时 {time.perf_counter() - started:.1f} 秒")
    return EXIT_OK


EXPORTS: dict[str, Callable[[argparse.Namespace, Path], str]] = {}


def _export_residents(args: argparse.Namespace, out: Path) -> str:
    count = export_residents(out, mask=args.mask)
    return f"已导出 {count:,} 名居民到 {out}" + ("（身份证号和电话已脱敏）" if args.mask else "")


EXPORTS["residents"] = _export_residents


def _add_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("what", help="what to export: " + ", ".join(EXPORTS))
    parser.add_argument("--out", required=True, help="the .xlsx file to write")
    parser.add_argument("--date", help="YYYY-MM-DD, for daily reports")
    parser.add_argument("--from", dest="date_from", help="YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", help="YYYY-MM-DD")
    parser.add_argument("--round", dest="round_id", type=int, help="service round id")
    parser.add_argument("--week", help="YYYY-MM-DD, a day of the week")
    parser.add_argument("--mask", action="store_true", help="mask ID numbers and phones (110111********1234)")


def _run_export(args: argparse.Namespace) -> int:
    handler = EXPORTS.get(args.what)
    if handler is None:
        raise CommandError(f"不能导出“{args.what}”，可导出：{'、'.join(EXPORTS)}", f"unknown export {args.what!r}")
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise CommandError("导出文件名须以 .xlsx 结尾", "--out must end in .xlsx")
    if not out.parent.exists():
        raise CommandError(f"文件夹不存在：{out.parent}", f"folder does not exist: {out.parent}")
    print(handler(args, out))
    return EXIT_OK


def _add_backup(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", help="write the backup to this file instead of the backups folder")


def _run_backup(args: argparse.Namespace) -> int:
    db_path = database_path()
    out = Path(args.out) if args.out else None
    if out is not None and not out.parent.exists():
        raise CommandError(f"文件夹不存在：{out.parent}", f"folder does not exist: {out.parent}")
    try:
        info = startup.backup_now(db_path, "manual", out)
    except backup.BackupError as exc:
        raise CommandError(str(exc), "backup failed") from exc
    print(f"已备份到 {info.path}（{info.size_mb:.1f} MB）")
    return EXIT_OK


def _add_restore(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the backup file to restore")


def _run_restore(args: argparse.Namespace) -> int:
    source = Path(args.file)
    if not source.is_file():
        raise CommandError(f"找不到备份文件：{source}", f"no such file: {source}")
    try:
        safety = startup.restore_backup(database_path(), source)
    except backup.BackupError as exc:
        raise CommandError(str(exc), "restore refused") from exc
    print(f"已从 {source} 恢复；恢复前的数据库已备份到 {safety.path}")
    return EXIT_OK


COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int], str]] = {
    "demo-data": (_add_demo, _run_demo, "fill an empty database with fictional demo data"),
    "export": (_add_export, _run_export, "export a report as Excel"),
    "backup": (_add_backup, _run_backup, "take a consistent backup of the database"),
    "restore": (_add_restore, _run_restore, "restore the database from a backup (the current one is backed up first)"),
}


def add_commands(subparsers) -> None:
    for name, (add_arguments, _run, help_text) in COMMANDS.items():
        add_arguments(subparsers.add_parser(name, help=help_text))


def run_command(args: argparse.Namespace) -> int:
    _add, run, _help = COMMANDS[args.command]
    try:
        return run(args)
    except CommandError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValidationError as exc:
        print(f"错误：{exc.message} (invalid input)", file=sys.stderr)
        return EXIT_BAD_INPUT
    except PermissionDenied as exc:
        print(f"错误：{exc.message} (permission denied)", file=sys.stderr)
        return EXIT_BAD_INPUT


# Each module's commands and exports, registered in COMMANDS / EXPORTS when its module is imported.
from . import cli_cleaning, cli_facilities, cli_quarantine, cli_volunteers  # noqa: E402,F401

EXPORTS.update(cli_facilities.FACILITY_EXPORTS)
