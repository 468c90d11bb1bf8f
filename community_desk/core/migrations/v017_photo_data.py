"""Version 17: a facility photo may hold its image (issue 17). In server mode there is no folder beside the
database, so the bytes are stored in the row; on a file they stay NULL and the image stays in `photos/` beside it."""
from __future__ import annotations

from peewee import Database

V17_PHOTO_DATA = ['ALTER TABLE "facility_photo" ADD COLUMN "data" BLOB']


def apply(db: Database) -> None:
    for sql in V17_PHOTO_DATA:
        db.execute_sql(sql)
