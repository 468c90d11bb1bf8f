"""The schema on PostgreSQL (server mode, issue 17): a baseline equal to the SQLite schema at version 15, then
one function a version, as for SQLite. From version 16 on, every migration exists for both engines: a version in
MIGRATIONS (SQLite) has its line here too, and tests/unit/core/test_schema_engines.py checks both schemas against
the models.

Because the baseline creates the tables from the models as they are when it runs, every later step is written so
that it does nothing where the baseline already made its change (`ADD COLUMN IF NOT EXISTS`, `CREATE TABLE IF NOT
EXISTS`, `CREATE INDEX IF NOT EXISTS`): a database made at version 15 gets the change, a new one already has it.

From version 19 on, the office's roles reach the tables through grants and masked views (core/server_roles.py): a
step that adds a table or a column ends with `server_roles.grant_roles(db)`, which makes them afresh.

The baseline creates the tables from the models (peewee's SERIAL keys, BOOLEAN, DATE, TIMESTAMP, the models'
indexes), the seeds the SQLite migrations wrote (built-in tags, facility kinds, request categories), and the
trigram index that lets a search fragment find residents without a scan (pg_trgm, a trusted extension: the
database's owner may create it).
"""
from __future__ import annotations

from collections.abc import Callable

from peewee import Database

from .. import server_roles
from . import v001_foundation, v004_facilities, v018_record_versions

BASELINE_VERSION = 15


def baseline(db: Database) -> None:
    from ..db import model_classes

    db.create_tables(model_classes(), safe=False)
    for model in model_classes():
        for field in model._meta.sorted_fields:
            literal = _default_literal(field.default)
            if literal is not None:
                db.execute_sql(f'ALTER TABLE "{model._meta.table_name}" ALTER COLUMN "{field.column_name}" '
                               f"SET DEFAULT {literal}")
    seed(db)
    db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    db.execute_sql('CREATE INDEX "resident_search_text_trgm" ON "resident_search" USING gin ("text" gin_trgm_ops)')
    db.execute_sql('CREATE INDEX "resident_search_sorted" ON "resident_search" ("sort_key", "text")')


def _default_literal(value) -> str | None:
    """A model's constant default as SQL (the SQLite migrations wrote them into the tables: raw inserts rely on
    them); None for no default or a callable one (now, today), which peewee fills in on insert."""
    if value is None or callable(value):
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return None


def seed(db: Database) -> None:
    """The rows the SQLite migrations 1 and 4 wrote: built-in tags, facility kinds, request categories."""
    for order, name in enumerate(v001_foundation.BUILTIN_TAGS):
        db.execute_sql('INSERT INTO "tag" ("name", "builtin", "sort_order") VALUES (?, TRUE, ?)', (name, order))
    for order, (name, unit) in enumerate(v004_facilities.V4_FACILITY_KINDS):
        db.execute_sql('INSERT INTO "facility_kind" ("name", "default_unit", "builtin", "sort_order") '
                       'VALUES (?, ?, 1, ?)', (name, unit, order))
    for order, name in enumerate(v004_facilities.V4_REQUEST_CATEGORIES):
        db.execute_sql('INSERT INTO "request_category" ("name", "builtin", "sort_order") VALUES (?, 1, ?)',
                       (name, order))


def photo_data(db: Database) -> None:
    """Version 17: the image of a facility photo in its row (server mode has no folder beside the database)."""
    db.execute_sql('ALTER TABLE "facility_photo" ADD COLUMN IF NOT EXISTS "data" BYTEA')


def record_versions(db: Database) -> None:
    """Version 18: `version` on every table edited in a form (a new database has it from the baseline)."""
    for table in v018_record_versions.VERSIONED_TABLES:
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN IF NOT EXISTS "version" INTEGER NOT NULL DEFAULT 1')


def change_notices(db: Database) -> None:
    """Version 20: every audit line, once its transaction commits, is announced to the other PCs with
    `NOTIFY desk_changes, '<table>:<record_id>:<audit id>'` (core/change_notices.py listens). Replaced whole, so
    running it again changes nothing."""
    db.execute_sql("""
        CREATE OR REPLACE FUNCTION desk_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('desk_changes',
                              NEW."table" || ':' || COALESCE(NEW."record_id"::text, '') || ':' || NEW."id"::text);
            RETURN NULL;
        END
        $$""")
    db.execute_sql('DROP TRIGGER IF EXISTS "desk_notify_change" ON "audit_log"')
    db.execute_sql('CREATE TRIGGER "desk_notify_change" AFTER INSERT ON "audit_log" FOR EACH ROW '
                   "EXECUTE FUNCTION desk_notify_change()")


def search_walk(db: Database) -> None:
    """Version 21: search keys in name order with the id and the text in the index itself, so that the first keys
    in name order are read without the table (an index-only scan: about 4 ms for 20,000 keys at 100,000
    residents), for a fragment too short for the trigram index."""
    db.execute_sql('CREATE INDEX IF NOT EXISTS "resident_search_walk" ON "resident_search" ("sort_key", "resident_id") '
                   'INCLUDE ("text")')


# (version, description, function), in version order. Append only; the first line is the baseline.
PG_MIGRATIONS: list[tuple[int, str, Callable[[Database], None]]] = [
    (BASELINE_VERSION, "PostgreSQL 基线（等同 SQLite 结构版本 15）", baseline),
    (17, "设施照片可存在数据库中（服务器模式）", photo_data),
    (18, "记录版本：两人同时修改同一条记录时不丢失修改", record_versions),
    (19, "服务器中的角色：每个账号一个登录角色，只读看脱敏视图，服务器端锁定", server_roles.apply),
    (20, "多台电脑之间的实时更新（服务器模式的变更通知）", change_notices),
    (21, "服务器上一两个字的搜索按姓名顺序读索引", search_walk),
]
