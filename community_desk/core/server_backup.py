"""Backups in server mode (issue 17): `main.py --db URL backup` runs `pg_dump -Fc` into the backup folder, checks
the dump by restoring it into a scratch database on the same server (dropped afterwards), and rotates the folder
as the SQLite backups are (core/backup.rotate: 7 days, 4 weeks). The README says how to restore one.

The folder: the office's `backup_dir` setting when set, else `server-backups/<host>-<database>` in the user's
data folder. A role without CREATEDB cannot make the scratch database: the dump is then checked by reading its
whole table of contents (`pg_restore --list`), and the line printed says so.
"""
from __future__ import annotations

import datetime as dt
import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

from . import backup
from .backup import BackupError, BackupInfo

DUMP_SUFFIX = ".dump"
_TIMEOUT = 3600


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: on PATH, else the newest Debian or Windows PostgreSQL install."""
    found = shutil.which(name)
    if found:
        return found
    patterns = ["/usr/lib/postgresql/*/bin/" + name, r"C:\Program Files\PostgreSQL\*\bin\\" + name + ".exe"]
    candidates = [path for pattern in patterns for path in glob.glob(pattern)]

    def version(path: str) -> tuple[int, ...]:
        numbers = re.findall(r"[/\\](\d+(?:\.\d+)?)[/\\]bin", path)
        return tuple(int(n) for n in numbers[0].split(".")) if numbers else (0,)

    if not candidates:
        raise BackupError(f"找不到 PostgreSQL 的 {name} 程序：请安装 PostgreSQL 客户端工具（Debian：apt install "
                          "postgresql-client；Windows：PostgreSQL 安装程序中的 Command Line Tools）")
    return max(candidates, key=version)


def _database_name(url: str) -> str:
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(url)
    host = str(params.get("host") or "localhost")
    host = "local" if host.startswith("/") else host
    return re.sub(r"[^\w.-]", "_", f"{host}-{params.get('dbname') or 'desk'}")


def server_backups_dir(url: str, configured: str | None) -> Path:
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("CommunityDesk", appauthor=False)) / "server-backups" / _database_name(url)


def _run(command: list[str], what: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=_TIMEOUT, env=env)
    except OSError as exc:
        raise BackupError(f"{what}失败：{exc}") from exc
    except subprocess.TimeoutExpired as exc:
        raise BackupError(f"{what}超过 {_TIMEOUT // 60} 分钟没有完成，已停止") from exc
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{what}失败：{detail[-1] if detail else f'退出码 {result.returncode}'}")
    return result


def dump(url: str, target: Path) -> dict[str, int]:
    """pg_dump -Fc of the database into target (written beside it first, moved into place when whole). The dump
    reads a snapshot exported by a transaction that also counts every table's rows: the counts returned are those
    of the dump, whatever other PCs write meanwhile."""
    import psycopg

    partial = target.with_name(target.name + ".partial")
    try:
        with psycopg.connect(url) as conn:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            counts = _counts(conn)
            _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--snapshot={snapshot}",
                  "--file", str(partial), "--dbname", url], "备份（pg_dump）")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return counts


def check_dump(url: str, target: Path, expected: dict[str, int]) -> str:
    """Restore the dump into a scratch database and compare every table's row count with `expected` (the
    dump's own); returns how it was checked. A role that may not create databases gets `pg_restore --list`."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    scratch = f"desk_backup_check_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        try:
            conn.execute(f'CREATE DATABASE "{scratch}" TEMPLATE template0 ENCODING \'UTF8\' LC_COLLATE \'C\' '
                         "LC_CTYPE 'C.UTF-8'")
        except psycopg.errors.InsufficientPrivilege:
            _run([pg_tool("pg_restore"), "--list", str(target)], "检查备份")
            return "没有建库权限，只读取检查了备份文件的目录"
        try:
            scratch_url = make_conninfo(url, dbname=scratch)
            _run([pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "--dbname", scratch_url, str(target)],
                 "检查备份（恢复到临时数据库）")
            with psycopg.connect(scratch_url) as restored:
                got = _counts(restored)
            if got != expected:
                differing = sorted(t for t in set(expected) | set(got) if expected.get(t) != got.get(t))
                raise BackupError(f"备份检查未通过：恢复出的数据与数据库不一致（{'、'.join(differing[:5])}）")
        finally:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
    return f"已恢复到临时数据库核对过 {len(expected)} 张表的行数"


def _counts(conn) -> dict[str, int]:
    tables = [row[0] for row in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
    return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def take_server_backup(url: str, folder: Path, reason: str = "manual", out: Path | None = None) -> BackupInfo:
    """A checked dump into the folder (rotated afterwards) or to `out`; its `checked` says how it was checked."""
    now = dt.datetime.now().replace(microsecond=0)
    if out is not None:
        target = out
    else:
        folder.mkdir(parents=True, exist_ok=True)
        seq = max((b.seq for b in backup.list_backups(folder)), default=0) + 1
        target = folder / f"community_desk-{seq:06d}-{now:%Y%m%d-%H%M%S}-{reason}{DUMP_SUFFIX}"
    try:
        checked = check_dump(url, target, dump(url, target))
    except BackupError:
        if out is None:
            target.unlink(missing_ok=True)
        raise
    except OSError as exc:
        raise BackupError(f"备份失败：{exc}") from exc
    if out is None:
        backup.rotate(folder)
    return BackupInfo(target, now, reason, checked=checked)
