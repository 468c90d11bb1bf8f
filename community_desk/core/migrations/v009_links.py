"""Version 9: links between modules — volunteers as members of a window-cleaning service team, and
the 我来办 request made from a problem found on a cleaning visit."""
from __future__ import annotations

from peewee import Database

V9_LINKS = [
    """CREATE TABLE "team_volunteer" ("id" INTEGER NOT NULL PRIMARY KEY, "team_id" INTEGER NOT NULL,
        "volunteer_id" INTEGER NOT NULL,
        FOREIGN KEY ("team_id") REFERENCES "service_team" ("id") ON DELETE CASCADE,
        FOREIGN KEY ("volunteer_id") REFERENCES "volunteer" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "team_volunteer_team_id" ON "team_volunteer" ("team_id")',
    'CREATE INDEX "team_volunteer_volunteer_id" ON "team_volunteer" ("volunteer_id")',
    'CREATE UNIQUE INDEX "team_volunteer_team_id_volunteer_id" ON "team_volunteer" ("team_id", "volunteer_id")',
    """ALTER TABLE "visit" ADD COLUMN "request_number" VARCHAR(255) NOT NULL DEFAULT ''""",
]


def apply(db: Database) -> None:
    for sql in V9_LINKS:
        db.execute_sql(sql)
