"""Parses arguments and starts either the window or a command: the only place that wires it all."""
from __future__ import annotations

import argparse
import sys

from . import __version__
from .cli import EXIT_BAD_INPUT, add_commands, run_command
from .core.db import DatabaseError, close_database
from .core.paths import ENV_VAR, resolve_database_path
from .core.startup import open_checked


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="community-desk", description="社区工作台 Community Desk")
    parser.add_argument("--version", action="version", version=f"社区工作台 Community Desk {__version__}")
    parser.add_argument("--db", help=f"database file (default: ${ENV_VAR} or the user data folder)")
    subparsers = parser.add_subparsers(dest="command")
    add_commands(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version exit 0, usage errors exit 2
        return int(exc.code or 0)
    path = resolve_database_path(args.db)
    if not args.command:
        return run_gui(path)
    try:
        open_checked(path, daily_backup=False)
    except DatabaseError as exc:
        print(f"错误：{exc} (cannot open database)", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return run_command(args)
    finally:
        close_database()


def run_gui(path) -> int:
    from .gui.startup import start_gui

    return start_gui(path)
