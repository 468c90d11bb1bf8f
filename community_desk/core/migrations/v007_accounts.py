"""Version 7: staff accounts (工作人员账号)."""
from __future__ import annotations

from peewee import Database

V7_ACCOUNTS = [
    """CREATE TABLE "staff_account" ("id" INTEGER NOT NULL PRIMARY KEY, "created_at" DATETIME NOT NULL,
        "updated_at" DATETIME NOT NULL, "username" VARCHAR(255) NOT NULL, "display_name" VARCHAR(255) NOT NULL,
        "role" VARCHAR(255) NOT NULL DEFAULT '工作人员', "password_hash" VARCHAR(255) NOT NULL,
        "failed_attempts" INTEGER NOT NULL DEFAULT 0, "locked_until" DATETIME, "active" INTEGER NOT NULL DEFAULT 1,
        "last_login" DATETIME)""",
    'CREATE UNIQUE INDEX "staff_account_username" ON "staff_account" ("username")',
]


def apply(db: Database) -> None:
    for sql in V7_ACCOUNTS:
        db.execute_sql(sql)
