"""Version 2: settings stored in the database and the audit log (操作日志)."""
from __future__ import annotations

from peewee import Database

V2_SETTINGS_AUDIT = [
    'CREATE TABLE "setting" ("key" VARCHAR(255) NOT NULL PRIMARY KEY, "value" TEXT NOT NULL)',
    """CREATE TABLE "audit_log" ("id" INTEGER NOT NULL PRIMARY KEY, "at" DATETIME NOT NULL,
        "user" VARCHAR(255) NOT NULL DEFAULT '', "action" VARCHAR(255) NOT NULL, "table" VARCHAR(255) NOT NULL,
        "record_id" INTEGER, "summary" VARCHAR(255) NOT NULL DEFAULT '', "changes" TEXT NOT NULL DEFAULT '')""",
    'CREATE INDEX "audit_log_at" ON "audit_log" ("at")',
    'CREATE INDEX "audit_log_table" ON "audit_log" ("table")',
    'CREATE INDEX "audit_log_record_id" ON "audit_log" ("record_id")',
    # The registry filtered by community and sorted by name (pinyin order) uses this index.
    'CREATE INDEX "resident_community_pinyin" ON "resident" ("community_id", "name_pinyin")',
]


def apply(db: Database) -> None:
    for sql in V2_SETTINGS_AUDIT:
        db.execute_sql(sql)
