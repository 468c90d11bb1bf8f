"""Version 10: when a released quarantine case was anonymised (保存期满匿名化)."""
from __future__ import annotations

from peewee import Database

V10_RETENTION = [
    'ALTER TABLE "quarantine_case" ADD COLUMN "anonymised_at" DATETIME',
    'CREATE INDEX "quarantine_case_anonymised_at" ON "quarantine_case" ("anonymised_at")',
]


def apply(db: Database) -> None:
    for sql in V10_RETENTION:
        db.execute_sql(sql)
