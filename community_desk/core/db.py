"""Open and initialise the SQLite database: WAL, foreign keys, schema version, migrations.

Every connection (one per thread, as Peewee keeps them) gets the same pragmas. Writes go through
`transaction()` so that a multi-row operation commits whole or not at all.

The file opened is remembered (its device and inode): a write after the file was deleted, moved or replaced
behind the program's back is refused with DatabaseGone, instead of going into a file no one will see again (an
unlinked inode) or into a new empty one. Only the window's first start and the commands that say so (demo-data,
restore) create a database; the others refuse a missing file (app.run_cli).

Server mode (issue 17): the target may instead be a `postgresql://user@host/dbname` URL; open_database then
hands it to core/server_db.py.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from peewee import SqliteDatabase

from .dialect import is_server_url
from .errors import DatabaseError
from .faults import EnvironmentFault, describe_fault
from .migrations import LATEST_VERSION, MIGRATIONS
from .models.base import db_proxy

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    # FULL: a committed record survives the PC being switched off at the wall.
    "synchronous": "full",
    "busy_timeout": 5000,
    "cache_size": -8000,  # 8 MB page cache per connection (one per thread); the OS caches the file too
    "temp_store": "memory",
    # Deleted and anonymised records are overwritten with zeros, not left readable in free pages.
    "secure_delete": 1,
}


class NewerSchemaError(DatabaseError):
    pass


class DatabaseGone(DatabaseError, EnvironmentFault):
    """The database file was deleted, moved or replaced while the program had it open: nothing more is written."""

    def __init__(self, path: Path, replaced: bool):
        what = "已被另一个文件替换" if replaced else "已不在原处（被删除、移动，或 U 盘、网络盘已断开）"
        message = (f"数据库文件{what}：{path}。为免数据写进一个看不见的文件，程序已停止保存，刚才的修改没有保存。"
                   "请关闭程序，找回数据库文件（或从备份恢复）后再打开")
        DatabaseError.__init__(self, message)
        self.message = message
        self.path = path


_READS = ("SELECT", "PRAGMA", "EXPLAIN", "WITH")


class DeskDatabase(SqliteDatabase):
    """SqliteDatabase that checks, before each write, that its file is still the one it opened."""

    identity: tuple[int, int] | None = None

    def remember_file(self) -> None:
        try:
            stat = os.stat(self.database)
        except OSError:  # ":memory:", or a file SQLite has not written yet
            self.identity = None
            return
        self.identity = (stat.st_dev, stat.st_ino)

    def check_file(self) -> None:
        if self.identity is None:
            return
        try:
            stat = os.stat(self.database)
        except OSError:  # deleted, moved, or its drive gone
            raise DatabaseGone(Path(self.database), replaced=False) from None
        if (stat.st_dev, stat.st_ino) != self.identity:
            raise DatabaseGone(Path(self.database), replaced=True)

    def execute_sql(self, sql, params=None, *args, **kwargs):
        if self.identity is not None and not sql.lstrip()[:7].upper().startswith(_READS):
            self.check_file()
        return super().execute_sql(sql, params, *args, **kwargs)

    def begin(self, *args, **kwargs):
        self.check_file()
        return super().begin(*args, **kwargs)


def schema_version(db: SqliteDatabase) -> int:
    db.execute_sql('CREATE TABLE IF NOT EXISTS "schema_version" ("version" INTEGER NOT NULL)')
    row = db.execute_sql('SELECT MAX("version") FROM "schema_version"').fetchone()
    return row[0] or 0


def migrate(db: SqliteDatabase, upto: int | None = None, before: Callable[[int], None] | None = None) -> list[int]:
    """Run the migrations above the stored version (up to `upto`), each in its own transaction.

    `before(current_version)` is called once before the first migration of an existing database
    (start-up takes a backup there). Returns the versions run."""
    current = schema_version(db)
    if current > LATEST_VERSION:
        raise NewerSchemaError(
            f"数据库由更新版本的社区工作台创建（结构版本 {current}，本程序支持到 {LATEST_VERSION}），请升级程序后再打开"
        )
    ran = []
    for version, _description, step in sorted(MIGRATIONS, key=lambda m: m[0]):
        if version <= current or (upto is not None and version > upto):
            continue
        if not ran and current > 0 and before is not None:
            before(current)
        with db.atomic():
            step(db)
            db.execute_sql('INSERT INTO "schema_version" ("version") VALUES (?)', (version,))
        ran.append(version)
    return ran


def open_database(path: str | os.PathLike, *, migrate_schema: bool = True, upto: int | None = None,
                  before_migration: Callable[[int], None] | None = None) -> SqliteDatabase:
    """Open (creating if needed) the database at path and bind every model to it.

    `upto` stops migrations at that version (tests build older databases with it). A `postgresql://` URL opens
    the server database instead (see the module docstring; `upto` and `before_migration` do not apply there).
    """
    if is_server_url(path):
        from .server_db import open_server_database

        return open_server_database(str(path), create_schema=migrate_schema)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = DeskDatabase(str(path), pragmas=PRAGMAS, check_same_thread=False)
    try:
        db.connect(reuse_if_open=True)
    except Exception as exc:  # noqa: BLE001 - sqlite3 says little; we say it in Chinese
        raise DatabaseError(f"无法打开数据库文件 {path}：{describe_fault(exc) or exc}") from exc
    db_proxy.initialize(db)
    if migrate_schema:
        migrate(db, upto, before_migration)
    db.remember_file()
    return db


def model_classes() -> list:
    """Every table's model (the classes core.models exports), in an order create_tables sorts by dependency."""
    from . import models
    from .models.base import BaseModel

    found = [getattr(models, name) for name in models.__all__]
    return [m for m in found if isinstance(m, type) and issubclass(m, BaseModel) and m is not BaseModel]


def close_database() -> None:
    db = db_proxy.obj
    if db is not None and not db.is_closed():
        db.close()


@contextmanager
def transaction():
    """One unit of work: commits whole or rolls back whole (nested calls become savepoints)."""
    with db_proxy.atomic() as txn:
        yield txn


def database_path() -> Path | None:
    """The SQLite file open; None when none is, or in server mode (see server_url)."""
    db = db_proxy.obj
    if db is None or getattr(db, "server_mode", False):
        return None
    return Path(db.database)


def server_url() -> str | None:
    """The PostgreSQL URL open in server mode (with its password: core.server_db.shown_url for messages)."""
    db = db_proxy.obj
    return db.database if db is not None and getattr(db, "server_mode", False) else None


def vanished() -> str | None:
    """The message of DatabaseGone when the open database's file was deleted, moved or replaced; else None. The
    window asks on its heartbeat timer, so that the person hears it before the next save is refused."""
    db = db_proxy.obj
    if not isinstance(db, DeskDatabase) or db.is_closed():
        return None
    try:
        db.check_file()
    except DatabaseGone as exc:
        return exc.message
    return None


def raw_connection():
    """The sqlite3 connection of this thread (for the online backup API)."""
    return db_proxy.obj.connection()
