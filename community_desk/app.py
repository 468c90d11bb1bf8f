"""Parses arguments and starts either the window or a command: the only place that wires it all.

Starting the window is the path a person waits on, so it imports no command module (openpyxl, the demo
generator): the global options are read first, and the full parser with every command is built only when
something is left over (a command, -h, a mistake).

A command works on an existing database: a missing file (a mistyped --db) is "找不到数据库文件" and exit 2, except
for the commands that make one (CREATING_COMMANDS: demo-data fills a new database, restore puts a backup in place
of a lost one); the window's first start creates one too. A command that writes (WRITING_COMMANDS) takes the same
lock as the window, or is refused naming who has the database open; the others (exports, backup) may run beside
the window. `restore` never opens the current database for writing, so it works on a damaged one.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .core.paths import ENV_VAR, PASSWORD_ENV, resolve_database_path
from .exit_codes import EXIT_BAD_INPUT

CREATING_COMMANDS = ("demo-data", "restore")
WRITING_COMMANDS = ("demo-data", "restore", "import-ledger")  # import-ledger --dry-run only reads


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"社区工作台 Community Desk {__version__}")
    parser.add_argument("--db", help=f"database file (default: ${ENV_VAR} or the user data folder); it must exist, "
                                     "except for demo-data and restore, which create it")
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


def _writes(args: argparse.Namespace) -> bool:
    return args.command in WRITING_COMMANDS and not getattr(args, "dry_run", False)


def run_cli(args: argparse.Namespace, path) -> int:
    from .core import session
    from .core.dialect import is_server_url

    if is_server_url(path):
        return run_server_cli(args, str(path))
    from .core.faults import describe_fault
    from .core.lock import DatabaseLock, lock_path

    path = Path(path)
    if not path.exists() and args.command not in CREATING_COMMANDS:
        print(f"错误：找不到数据库文件：{path}（请检查 --db；新建数据库请在窗口中首次启动或运行 demo-data）"
              " (no such database file)", file=sys.stderr)
        return EXIT_BAD_INPUT
    lock = None
    if _writes(args):
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = DatabaseLock(path, f"{session.default_user()}（命令行）")
        try:
            holder = lock.try_acquire()
        except OSError as exc:  # a full disk, a read-only folder: the lock file cannot be written
            print(f"错误：不能写入占用标记文件 {lock_path(path)}：{describe_fault(exc) or exc}，数据没有改变"
                  " (cannot write the lock file)", file=sys.stderr)
            return EXIT_BAD_INPUT
        if holder is not None:
            print(f"错误：数据库正在使用：{holder.describe()}。请先关闭该程序再运行 {args.command}，数据没有改变"
                  " (database in use by another program)", file=sys.stderr)
            return EXIT_BAD_INPUT
    args.db_path = path
    try:
        return _run_opened(args, path)
    finally:
        from .core.db import close_database

        close_database()
        if lock is not None:
            lock.release()


def run_server_cli(args: argparse.Namespace, url: str) -> int:
    """A command on the PostgreSQL server: no file to find, no lock file (the server serialises writers), no
    quick_check; the schema is brought to the latest version on opening, as for a file."""
    from .core.db import DatabaseError, close_database, open_database

    if args.command == "restore":
        print("错误：服务器模式的恢复请按 README“服务器模式的备份与恢复”用 pg_restore 进行 "
              "(restore a server database with pg_restore, see README)", file=sys.stderr)
        return EXIT_BAD_INPUT
    args.db_path = None
    try:
        open_database(url)
    except DatabaseError as exc:
        print(f"错误：{exc} (cannot open database)", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return _run_as(args, None if args.command == "server-init" else command_session(args.user))
    finally:
        close_database()


def _run_opened(args: argparse.Namespace, path: Path) -> int:
    from .core.db import DatabaseError
    from .core.startup import DamagedDatabase, open_checked

    if args.command == "restore" and not path.exists():  # a lost database: the backup's accounts decide
        message = session_from_files(args.user, [Path(args.file)])
        return _run_as(args, message)
    try:
        open_checked(path, daily_backup=False, writable=_writes(args) or args.command == "backup")
    except DamagedDatabase as exc:
        if args.command != "restore":
            good = exc.good_backup
            hint = (f"最近的完好备份：{good.path}，可运行 restore {good.path}" if good is not None
                    else "没有找到完好的备份，请保留该文件并联系技术人员")
            print(f"错误：{exc}。{hint} (database damaged)", file=sys.stderr)
            return EXIT_BAD_INPUT
        message = session_from_files(args.user, [path, Path(args.file)])  # restore works on a damaged file
    except DatabaseError as exc:
        if args.command != "restore":
            print(f"错误：{exc} (cannot open database)", file=sys.stderr)
            return EXIT_BAD_INPUT
        message = session_from_files(args.user, [path, Path(args.file)])
    else:
        message = command_session(args.user)
    return _run_as(args, message)


def _run_as(args: argparse.Namespace, session_error: str | None) -> int:
    from .cli import run_command

    if session_error:
        print(session_error, file=sys.stderr)
        return EXIT_BAD_INPUT
    return run_command(args)


def _password() -> str | None:
    password = os.environ.get(PASSWORD_ENV)
    if password is None and sys.stdin and sys.stdin.isatty():
        import getpass

        password = getpass.getpass("密码：")
    return password


def session_from_files(username: str | None, files: list[Path]) -> str | None:
    """The session of a restore onto a database that cannot be opened: the accounts are read (never written) from
    the first file whose accounts can be read (the damaged database, else the backup to restore); the rules are
    those of command_session. Returns an error line, or None."""
    import sqlite3

    from .core import backup, session
    from .core.rules.passwords import verify_password

    rows = None
    for file in files:
        try:
            with backup.read_only(file) as conn:
                rows = conn.execute("SELECT username, display_name, role, password_hash, active "
                                    "FROM staff_account").fetchall()
            break
        except sqlite3.Error:
            continue

    def log_in(name: str, password: str) -> str | None:
        found = next((r for r in rows if r[0] == name), None)
        if found is None or not verify_password(password, found[3]) or not found[4]:
            return "错误：用户名或密码不正确，或账号已停用 (login failed)"
        session.current = session.Session(user=found[1], role=found[2], username=found[0])
        return None

    return _session_for(username, bool(rows), log_in)


def command_session(username: str | None) -> str | None:
    """The session a command runs as. Without accounts (a new office) it is the computer's user as administrator;
    once accounts exist, commands run read-only unless --user logs in. Returns an error line, or None."""
    from .core.queries import accounts

    def log_in(name: str, password: str) -> str | None:
        try:
            accounts.login(name, password)
        except accounts.LoginFailed as exc:
            return f"错误：{exc.message} (login failed)"
        return None

    return _session_for(username, accounts.has_accounts(), log_in)


def _session_for(username: str | None, has_accounts: bool, log_in) -> str | None:
    """The rules shared by both: no accounts yet, the computer's user as administrator; accounts and no --user,
    read-only; --user, log_in(name, password) with the password from the environment or the terminal."""
    from .core import session, vocabulary

    if not has_accounts:
        session.current = session.Session(user=session.default_user(), role=vocabulary.ROLE_ADMIN)
        return None
    if not username:
        session.current = session.Session(user=f"{session.default_user()}（命令行）", role=vocabulary.ROLE_READ_ONLY)
        return None
    password = _password()
    if password is None:
        return f"错误：请在环境变量 {PASSWORD_ENV} 中提供密码 (password needed for --user)"
    return log_in(username.strip(), password)


def run_smoke(db: str | None) -> int:
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a check without a screen (CI, a server)
    from pathlib import Path

    from .gui.smoke import run_smoke as smoke

    return smoke(Path(db).expanduser() if db else None)


def run_gui(path) -> int:
    from .core.dialect import is_server_url

    if is_server_url(path):
        from .gui.server_startup import start_server_gui

        return start_server_gui(path)
    from .gui.startup import start_gui

    return start_gui(path)
