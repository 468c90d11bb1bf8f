"""Kill the process (SIGKILL) at random points during imports of a 10,000-row dispatched list and during
bursts of edits, 50 times. After each kill the database must pass integrity_check and hold each
transaction whole or not at all."""
import datetime as dt
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import Workbook

from community_desk.core.db import close_database, open_database
from community_desk.core.queries import communities, residents
from community_desk.core.rules.idcard import make_id

WORKER = Path(__file__).with_name("crash_worker.py")
ROOT = Path(__file__).resolve().parents[2]
ROWS = 10_000

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")


def write_ledger(path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("返京人员")
    ws.append(["长阳镇返京人员信息推送表"])
    ws.append(["序号", "姓名", "身份证号", "联系电话", "现居住地址", "所属社区", "返京日期", "管控措施"])
    for n in range(ROWS):
        ws.append([n + 1, "王伟", make_id("110111", dt.date(1950, 1, 1) + dt.timedelta(days=n), n % 1000),
                   "13800138000", "3号楼2单元501", "原乡小镇", dt.date(2021, 8, 1), "居家隔离"])
    wb.save(path)


def kill_during(args: list[str], delay: float) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, str(WORKER), *args], stdout=subprocess.PIPE, env=env)
    assert proc.stdout.readline().strip() == b"READY"
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def state(db_path: Path) -> tuple[tuple, set, list]:
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = tuple(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                       for t in ("quarantine_case", "nucleic_test", "follow_up"))
        pair = {row[0] for row in conn.execute("SELECT notes FROM resident WHERE id IN (1, 2)")}
        batches = [row[0] for row in conn.execute("SELECT row_count FROM push_batch")]
    return counts, pair, batches


def test_sigkill_during_imports_and_edits_never_leaves_half_a_transaction(tmp_path):
    db_path, ledger = tmp_path / "crash.db", tmp_path / "ledger.xlsx"
    write_ledger(ledger)
    open_database(db_path)
    [cid] = communities.ensure_communities(["原乡小镇"])
    residents.save({"name": "王洋", "community_id": cid})
    residents.save({"name": "李娜", "community_id": cid})
    close_database()
    rng = random.Random(11)
    imported: tuple | None = None
    batches_seen = 0
    edited = False
    for round_no in range(50):
        if round_no % 2 == 0:
            kill_during(["import", str(db_path), str(ledger)], rng.uniform(0.1, 3.0))
        else:
            kill_during(["edits", str(db_path)], rng.uniform(0.02, 0.5))
        counts, pair, batches = state(db_path)
        assert counts[0] in (0, ROWS), counts  # the first import is whole or absent
        if counts[0]:
            imported = imported or counts
            assert counts == imported  # later imports update in place: schedules neither lost nor doubled
        assert all(n == ROWS for n in batches), batches  # every committed import counted all its rows
        assert len(batches) >= batches_seen  # committed imports never vanish
        batches_seen = len(batches)
        assert len(pair) == 1, f"the two edits of one transaction diverged: {pair}"
        edited = edited or pair != {""}
    assert imported is not None and batches_seen >= 2 and edited, "nothing was committed: the test proved nothing"
