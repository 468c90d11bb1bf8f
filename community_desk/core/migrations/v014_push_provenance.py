"""Version 14: pushes of the dispatched list (市派名单) with their provenance (issue 15).

push_batch gains the file's sha256 (a file imported twice is recognised), the sheets read and the counts of the
import; push_rejected keeps the rows a push could not import (Excel row and reason, to send back to the town);
case_field_source says which push last wrote each field of a case, so an older push never overwrites a newer one.
"""
from __future__ import annotations

from peewee import Database

V14_PUSH_PROVENANCE = [
    'ALTER TABLE "push_batch" ADD COLUMN "content_hash" VARCHAR(255) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "push_batch" ADD COLUMN "sheets" VARCHAR(255) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "push_batch" ADD COLUMN "new_count" INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE "push_batch" ADD COLUMN "updated_count" INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE "push_batch" ADD COLUMN "unchanged_count" INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE "push_batch" ADD COLUMN "rejected_count" INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE "push_batch" ADD COLUMN "conflict_count" INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE "push_batch" ADD COLUMN "hidden_rows" INTEGER NOT NULL DEFAULT 0',
    'CREATE INDEX "push_batch_content_hash" ON "push_batch" ("content_hash")',
    """CREATE TABLE "push_rejected" ("id" INTEGER NOT NULL PRIMARY KEY, "batch_id" INTEGER NOT NULL,
        "kind" VARCHAR(255) NOT NULL DEFAULT '未导入', "sheet" VARCHAR(255) NOT NULL DEFAULT '',
        "row" INTEGER NOT NULL, "name" VARCHAR(255) NOT NULL DEFAULT '',
        "id_number" VARCHAR(255) NOT NULL DEFAULT '', "reason" TEXT NOT NULL DEFAULT '',
        FOREIGN KEY ("batch_id") REFERENCES "push_batch" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "push_rejected_batch_id" ON "push_rejected" ("batch_id")',
    """CREATE TABLE "case_field_source" ("id" INTEGER NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL,
        "field" VARCHAR(255) NOT NULL, "batch_id" INTEGER NOT NULL,
        FOREIGN KEY ("case_id") REFERENCES "quarantine_case" ("id") ON DELETE CASCADE,
        FOREIGN KEY ("batch_id") REFERENCES "push_batch" ("id") ON DELETE CASCADE)""",
    'CREATE UNIQUE INDEX "case_field_source_case_id_field" ON "case_field_source" ("case_id", "field")',
]


def apply(db: Database) -> None:
    for sql in V14_PUSH_PROVENANCE:
        db.execute_sql(sql)
