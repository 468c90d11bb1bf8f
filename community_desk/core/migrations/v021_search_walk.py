"""Version 21: a one- or two-character search on PostgreSQL reads the first search keys in name order from an
index that holds everything it needs (core/migrations/postgres.py, search_walk; core/queries/residents.py,
_first_in_name_order). A database file's (sort_key, text) index of version 11 already serves SQLite's search, so
here the step changes nothing: it keeps the two engines' version numbers in step."""
from __future__ import annotations

from peewee import Database


def apply(db: Database) -> None:
    """Nothing to change in a database file."""
