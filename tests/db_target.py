"""What `--db` names for a test's database: its file (db_path), or the PostgreSQL test database's URL when the
core suite runs on the server (DESK_TEST_ENGINE=postgres, the `db` fixture's database then)."""
from __future__ import annotations

import os


def db_target(db_path) -> str:
    if os.environ.get("DESK_TEST_ENGINE", "sqlite") == "postgres":
        return os.environ["COMMUNITY_DESK_TEST_PG"]
    return str(db_path)
