"""Kill the process (SIGKILL) at random points during imports and bursts of edits, 50 times.

After each kill the database must pass integrity_check and hold each transaction whole or not at all.
"""
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from community_desk.core.db import close_database, open_database
from community_desk.core.queries import communities, residents

WORKER = Path(__file__).with_name("crash_worker.py")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")


def kill_during(mode: str, db_path: Path, delay: float) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, str(WORKER), mode, str(db_path)], stdout=subprocess.PIPE, env=env)
    assert proc.stdout.readline().strip() == b"READY"
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def check(db_path: Path) -> tuple[int, set]:
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        bulk = conn.execute("SELECT notes, COUNT(*) FROM resident WHERE notes LIKE 'bulk-%' GROUP BY notes").fetchall()
        pair = {row[0] for row in conn.execute("SELECT notes FROM resident WHERE id IN (1, 2)")}
    assert all(count == 10_000 for _notes, count in bulk), bulk  # every import whole or absent
    return len(bulk), pair


def test_sigkill_during_imports_and_edits_never_leaves_half_a_transaction(tmp_path):
    db_path = tmp_path / "crash.db"
    open_database(db_path)
    [cid] = communities.ensure_communities(["原乡小镇"])
    residents.save({"name": "王洋", "community_id": cid})
    residents.save({"name": "李娜", "community_id": cid})
    close_database()
    rng = random.Random(11)
    imports_seen = 0
    edited = False
    for round_no in range(50):
        mode = "import" if round_no % 2 == 0 else "edits"
        kill_during(mode, db_path, rng.uniform(0.02, 0.5))
        imports, pair = check(db_path)
        assert imports >= imports_seen  # committed imports never vanish
        imports_seen = imports
        assert len(pair) == 1, f"the two edits of one transaction diverged: {pair}"
        edited = edited or pair != {""}
    assert imports_seen > 0 and edited, "the workers never committed anything: the test proved nothing"
