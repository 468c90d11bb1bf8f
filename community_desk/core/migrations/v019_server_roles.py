"""Version 19: roles in the server (issue 18). On PostgreSQL each staff account becomes a login role in a group
(desk_admin, desk_staff, desk_readonly), read-only seats read masked views, the audit log names the session's user
and the lock-out is kept by the server (core/server_roles.py). A database file has one user at a time and keeps
its accounts in staff_account (core/queries/accounts.py), so here the step changes nothing: it keeps the two
engines' version numbers in step."""
from __future__ import annotations

from peewee import Database


def apply(db: Database) -> None:
    """Nothing to change in a database file."""
