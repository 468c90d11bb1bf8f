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

from .core import demo
from .core.excel.residents_export import export_residents
from .core.rules.text import ValidationError

EXIT_OK = 0
EXIT_BAD_INPUT = 2


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


def _export_residents(_args: argparse.Namespace, out: Path) -> str:
    return f"已导出 {export_residents(out):,} 名居民到 {out}"


EXPORTS["residents"] = _export_residents
from . import cli_cleaning  # noqa: E402, F401 - registers export cleaning-roster


def _add_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("what", help="what to export: " + ", ".join(EXPORTS))
    parser.add_argument("--out", required=True, help="the .xlsx file to write")
    parser.add_argument("--date", help="YYYY-MM-DD, for daily reports")
    parser.add_argument("--from", dest="date_from", help="YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", help="YYYY-MM-DD")
    parser.add_argument("--round", dest="round_id", type=int, help="service round id")
    parser.add_argument("--week", help="YYYY-MM-DD, a day of the week")


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


COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int], str]] = {
    "demo-data": (_add_demo, _run_demo, "fill an empty database with fictional demo data"),
    "export": (_add_export, _run_export, "export a report as Excel"),
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
