"""A look into a database file before the program opens it: a read-only connection, and whether the first
start's questions were answered. Kept light on purpose: the window's start imports it before the login window is
shown (backup, the model layer and the start-up checks load while the password is typed)."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to a database file, closed afterwards. The URI is made from the absolute path with
    its characters escaped, so that a folder named like "备份 #2" or "100%" opens that file and no other."""
    conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        yield conn
    finally:
        conn.close()


def looks_configured(db_path: Path) -> bool:
    """Whether the first-start questions were answered (an office name, a community, an account), read from the
    file without opening it for writing or loading the model layer. The same test as settings.is_configured()."""
    if not db_path.exists():
        return False
    try:
        with read_only(db_path) as conn:
            row = conn.execute("SELECT value FROM setting WHERE key = 'office_name'").fetchone()
            return (bool(row and json.loads(row[0]))
                    and conn.execute("SELECT 1 FROM community LIMIT 1").fetchone() is not None
                    and conn.execute("SELECT 1 FROM staff_account LIMIT 1").fetchone() is not None)
    except (sqlite3.Error, ValueError):
        return False
