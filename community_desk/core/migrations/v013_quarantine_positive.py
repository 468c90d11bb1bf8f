"""Version 13: a positive result and its transfer (阳性待转运 -> 已转运) on the quarantine case, and the
household contacts added from it: the sampling date of the positive, the transfer date, the receiving
site (集中隔离地点) and, on a contact's case, the positive case it came from."""
from __future__ import annotations

from peewee import Database

V13_QUARANTINE_POSITIVE = [
    'ALTER TABLE "quarantine_case" ADD COLUMN "positive_date" DATE',
    'ALTER TABLE "quarantine_case" ADD COLUMN "transfer_date" DATE',
    """ALTER TABLE "quarantine_case" ADD COLUMN "transfer_site" VARCHAR(255) NOT NULL DEFAULT ''""",
    'ALTER TABLE "quarantine_case" ADD COLUMN "contact_of" INTEGER',
    'CREATE INDEX "quarantine_case_positive_date" ON "quarantine_case" ("positive_date")',
    'CREATE INDEX "quarantine_case_contact_of" ON "quarantine_case" ("contact_of")',
]


def apply(db: Database) -> None:
    for sql in V13_QUARANTINE_POSITIVE:
        db.execute_sql(sql)
