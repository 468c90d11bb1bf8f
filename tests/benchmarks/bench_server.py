"""The registry search on PostgreSQL (issue 17), for run.py's table: the same black-box keystroke timing as the
SQLite figure (_child.py search), on 100,000 demo residents loaded into a server database.

The server: $COMMUNITY_DESK_BENCH_PG when set (an emptied database: its public schema is dropped), else a
throwaway cluster started for the figure with tools/pg_throwaway.sh and removed afterwards (on the slow PC it is
pinned to the figure's one core with everything else). Without PostgreSQL the figure says why."""
from __future__ import annotations

import os
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
THROWAWAY = ROOT / "tools" / "pg_throwaway.sh"


@contextmanager
def server_database():
    """The URL of an empty server database for the figure, and the cluster stopped afterwards if started here."""
    given = os.environ.get("COMMUNITY_DESK_BENCH_PG")
    if given:
        import psycopg

        with psycopg.connect(given, autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
        yield given
        return
    started = subprocess.run(["bash", str(THROWAWAY), "start"], capture_output=True, text=True)
    values = dict(line.removeprefix("export ").split("=", 1) for line in started.stdout.splitlines()
                  if line.startswith("export "))
    url = values.get("COMMUNITY_DESK_TEST_PG", "").strip("'")
    if started.returncode != 0 or not url:
        raise RuntimeError(f"no PostgreSQL: {started.stderr.strip() or 'pg_throwaway failed'}")
    try:
        yield url
    finally:
        subprocess.run(["bash", str(THROWAWAY), "stop", values["DESK_PG_DIR"]], capture_output=True)


def load_demo(url: str, residents: int) -> float:
    """demo-data into the server database; returns the seconds it took."""
    from community_desk.core import demo, session
    from community_desk.core.db import close_database, open_database

    open_database(url)
    session.current = session.Session(user="测评", role="管理员")
    started = time.perf_counter()
    demo.load_demo_data(residents=residents)
    took = time.perf_counter() - started
    from community_desk.core.models.base import db_proxy

    db_proxy.execute_sql("VACUUM ANALYZE")  # what the server's autovacuum does soon after 100,000 new rows
    close_database()
    return took
