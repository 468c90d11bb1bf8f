"""Parses arguments and starts either the window or a command: the only place that wires it all.

Starting the window is the path a person waits on, so it imports no command module (openpyxl, the demo
generator): the global options are read first, and the full parser with every command is built only when
something is left over (a command, -h, a mistake).
"""
from __future__ import annotations

import argparse
import os
import sys

from . import __version__
from .core.paths import ENV_VAR, PASSWORD_ENV, resolve_database_path
from .exit_codes import EXIT_BAD_INPUT


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"社区工作台 Community Desk {__version__}")
    parser.add_argument("--db", help=f"database file (default: ${ENV_VAR} or the user data folder)")
    parser.add_argument("--smoke", action="store_true",
                        help="open the main window on a fresh database (a temporary one unless --db), then exit 0")
    parser.add_argument("--user", help="staff account for commands once accounts exist "
                                       f"(password from ${PASSWORD_ENV} or asked for)")


def build_parser() -> argparse.ArgumentParser:
    from .cli import add_commands

    parser = argparse.ArgumentParser(prog="community-desk", description="社区工作台 Community Desk")
    _add_global_options(parser)
    subparsers = parser.add_subparsers(dest="command")
    add_commands(subparsers)
    return parser


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The global options alone when nothing else was given (the window); else the full parser."""
    quick = argparse.ArgumentParser(prog="community-desk", add_help=False)
    _add_global_options(quick)
    args, rest = quick.parse_known_args(argv)
    if not rest:
        args.command = None
        return args
    return build_parser().parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    try:
        args = parse_arguments(argv)
    except SystemExit as exc:  # argparse: --help/--version exit 0, usage errors exit 2
        return int(exc.code or 0)
    if args.smoke:
        return run_smoke(args.db)
    path = resolve_database_path(args.db)
    if not args.command:
        return run_gui(path)
    return run_cli(args, path)


def run_cli(args: argparse.Namespace, path) -> int:
    from .cli import run_command
    from .core.db import DatabaseError, close_database
    from .core.startup import open_checked

    try:
        open_checked(path, daily_backup=False)
    except DatabaseError as exc:
        print(f"错误：{exc} (cannot open database)", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        message = command_session(args.user)
        if message:
            print(message, file=sys.stderr)
            return EXIT_BAD_INPUT
        return run_command(args)
    finally:
        close_database()


def command_session(username: str | None) -> str | None:
    """The session a command runs as. Without accounts (a new office) it is the computer's user as administrator;
    once accounts exist, commands run read-only unless --user logs in. Returns an error line, or None."""
    from .core import session, vocabulary
    from .core.queries import accounts

    if not accounts.has_accounts():
        session.current = session.Session(user=session.default_user(), role=vocabulary.ROLE_ADMIN)
        return None
    if not username:
        session.current = session.Session(user=f"{session.default_user()}（命令行）", role=vocabulary.ROLE_READ_ONLY)
        return None
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if not sys.stdin or not sys.stdin.isatty():
            return f"错误：请在环境变量 {PASSWORD_ENV} 中提供密码 (password needed for --user)"
        import getpass

        password = getpass.getpass("密码：")
    try:
        accounts.login(username, password)
    except accounts.LoginFailed as exc:
        return f"错误：{exc.message} (login failed)"
    return None


def run_smoke(db: str | None) -> int:
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a check without a screen (CI, a server)
    from pathlib import Path

    from .gui.smoke import run_smoke as smoke

    return smoke(Path(db).expanduser() if db else None)


def run_gui(path) -> int:
    from .gui.startup import start_gui

    return start_gui(path)
