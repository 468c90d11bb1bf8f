"""Parses arguments and starts either the window or a command: the only place that wires it all."""
from __future__ import annotations

import argparse
import sys

from . import __version__
from .cli import EXIT_BAD_INPUT, add_commands, run_command
from .core.db import DatabaseError, close_database, open_database
from .core.paths import ENV_VAR, resolve_database_path


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
    try:
        open_database(path)
    except DatabaseError as exc:
        print(f"错误：{exc} (cannot open database)", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        if args.command:
            return run_command(args)
        return run_gui()
    finally:
        close_database()


def run_gui() -> int:
    from .core.queries import settings as office_settings
    from .gui.bootstrap import make_application
    from .gui.dialogs.first_run import FirstRunDialog
    from .gui.main_window import MainWindow
    from .gui.tasks import wait_all

    app = make_application()
    if not office_settings.is_configured() and not FirstRunDialog().exec():
        return 0
    window = MainWindow()
    window.show()
    code = app.exec()
    wait_all()
    return code
