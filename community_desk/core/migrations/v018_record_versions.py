"""Version 18: two people, one record (issue 18). Every table edited in a form gets `version`, the count of the
record's changes: a form's save writes only if the record is still at the version the form loaded, and otherwise
merges or shows the clash (core/queries/record_versions.py). Existing records start at 1."""
from __future__ import annotations

from peewee import Database

VERSIONED_TABLES = ("resident", "volunteer", "duty_shift", "facility", "service_request", "quarantine_case",
                    "service_team", "service_round", "survey", "visit")

V18_RECORD_VERSIONS = [f'ALTER TABLE "{table}" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1'
                       for table in VERSIONED_TABLES]


def apply(db: Database) -> None:
    for sql in V18_RECORD_VERSIONS:
        db.execute_sql(sql)
