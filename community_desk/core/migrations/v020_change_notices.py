"""Version 20: live updates between PCs (issue 18). On PostgreSQL a trigger on the audit log sends a notice to
the other PCs (core/migrations/postgres.py, change_notices); a database file has no notices (a read-only second
copy reads the audit log instead, core/change_notices.FileFollower), so here the step changes nothing: it keeps
the two engines' version numbers in step."""
from __future__ import annotations

from peewee import Database


def apply(db: Database) -> None:
    """Nothing to change in a database file."""
