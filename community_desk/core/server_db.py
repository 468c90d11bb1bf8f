"""Server mode (issue 17): the program's data in a PostgreSQL database, opened by a `postgresql://` URL.

`open_server_database(url)` imports psycopg only then (core/dialect.py keeps it out of SQLite mode), connects,
refuses a database whose collation is not C (a Chinese collation reorders every list), and brings the schema to
the latest version with the PostgreSQL migrations (core/migrations/postgres.py): the baseline on an empty
database, then one step a version, as for the SQLite file.

`DeskPostgresDatabase` is peewee's PostgresqlDatabase whose cursors take the program's SQLite-style raw SQL and
whose raw rows have SQLite's shapes (dialect.TranslatingCursor, dialect.register_sqlite_shapes).
"""
from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from .errors import DatabaseError
from .models.base import db_proxy

SAFE_COLLATIONS = ("C", "POSIX", "C.UTF-8", "C.utf8")  # code-point order, as SQLite sorts


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def _database_class():
    from peewee import PostgresqlDatabase

    from . import change_notices
    from .dialect import TranslatingCursor, register_sqlite_shapes

    class DeskPostgresDatabase(PostgresqlDatabase):
        server_mode = True

        def _initialize_connection(self, conn):
            super()._initialize_connection(conn)
            register_sqlite_shapes(conn)
            change_notices.own_connections.register(conn)  # its notices are this program's own changes
            change_notices.name_connection(conn)  # 社区工作台 张敏@办公室1: who is working (issue 18)

        def cursor(self, named_cursor=None):
            # The server was restarted or the network dropped: outside a transaction, the dead connection is let go
            # and the next statement connects again (the one that found it dead has failed with the driver's error).
            if not self.is_closed() and not self.in_transaction() and self._state.conn.closed:
                self.close()
            return TranslatingCursor(super().cursor(named_cursor))

    return DeskPostgresDatabase


def server_schema_version(db) -> int:
    db.execute_sql('CREATE TABLE IF NOT EXISTS "schema_version" ("version" INTEGER NOT NULL)')
    return db.execute_sql('SELECT MAX("version") FROM "schema_version"').fetchone()[0] or 0


def migrate_server(db) -> list[int]:
    """Run the PostgreSQL migrations above the stored version, each in its own transaction; a database that
    holds tables but no version is not this program's and is refused."""
    from .db import NewerSchemaError
    from .migrations import LATEST_VERSION
    from .migrations.postgres import PG_MIGRATIONS

    with db.atomic():  # two PCs starting at once: one creates the schema, the other waits and finds it made
        db.execute_sql("SELECT pg_advisory_xact_lock(17017)")
        current = server_schema_version(db)
    if current > LATEST_VERSION:
        raise NewerSchemaError(f"数据库由更新版本的社区工作台创建（结构版本 {current}，本程序支持到 {LATEST_VERSION}），"
                               "请升级程序后再连接")
    if current == 0 and set(db.get_tables()) - {"schema_version"}:
        raise DatabaseError("这个数据库里已有别的表，不是社区工作台的数据库；请为社区工作台新建一个空数据库")
    ran = []
    for version, _description, step in sorted(PG_MIGRATIONS, key=lambda m: m[0]):
        with db.atomic():
            db.execute_sql("SELECT pg_advisory_xact_lock(17017)")
            if version <= server_schema_version(db):
                continue
            step(db)
            db.execute_sql('INSERT INTO "schema_version" ("version") VALUES (?)', (version,))
        ran.append(version)
    return ran


def open_server_database(url: str, *, create_schema: bool = True):
    """Open a PostgreSQL database by URL, bind every model to it, and bring its schema to the latest version."""
    from .dialect import load_psycopg

    if url.lower().startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    try:
        load_psycopg()
    except ImportError as exc:
        raise DatabaseError("未安装连接数据库服务器所需的组件 psycopg（pip install 'community-desk[server]'），"
                            f"无法打开 {shown_url(url)}") from exc
    db = _database_class()(url)
    try:
        db.connect(reuse_if_open=True)
    except Exception as exc:  # noqa: BLE001 - the driver's message, said in Chinese around it
        raise DatabaseError(f"无法连接数据库服务器 {shown_url(url)}：{exc}") from exc
    collation = db.execute_sql(
        "SELECT datcollate FROM pg_database WHERE datname = current_database()").fetchone()[0]
    if collation not in SAFE_COLLATIONS:
        db.close()
        raise DatabaseError(f"数据库 {shown_url(url)} 的排序规则是 {collation}，会打乱列表的顺序；"
                            "请用 C 排序规则新建数据库（CREATE DATABASE … TEMPLATE template0 LC_COLLATE 'C'）")
    db_proxy.initialize(db)
    if create_schema:
        migrate_server(db)
    return db
