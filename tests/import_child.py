"""Running `main.py import-ledger` in a child process, so that a reader that aborts the process fails the test instead
of killing pytest; the child's peak memory is measured by a small launcher whose only child is the import."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAUNCHER = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True)\n"
    "sys.stdout.buffer.write(done.stdout); sys.stderr.buffer.write(done.stderr)\n"
    "sys.stdout.write('\\nPEAK_KB %d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(done.returncode)\n")


@dataclass
class Run:
    rc: int
    out: str
    err: str
    peak_mb: float


def run_import(db: Path, *args: str, user: list[str] | None = None, timeout: int = 180) -> Run:
    command = [*(user or []), sys.executable, "-c", LAUNCHER, sys.executable, str(ROOT / "main.py"), "--db", str(db),
               "import-ledger", *args]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    out, _, peak = done.stdout.rpartition("\nPEAK_KB ")
    return Run(done.returncode, out, done.stderr, int(peak.split()[0]) / 1024 if peak.strip() else -1.0)


def new_database(path: Path, backup_dir: Path | None = None) -> Path:
    """A database with one community (原乡小镇) and no accounts (commands may write), closed again."""
    code = ("import sys, json\n"
            "from community_desk.core import session\n"
            "from community_desk.core.db import open_database, close_database\n"
            "from community_desk.core.queries import communities, settings\n"
            "open_database(sys.argv[1]); session.current = session.Session('测试员', '管理员')\n"
            "communities.ensure_communities(['原乡小镇'])\n"
            "settings.put('office_name', '长阳镇原乡小镇社区居委会')\n"
            "if sys.argv[2]: settings.put('backup_dir', sys.argv[2])\n"
            "close_database()\n")
    subprocess.run([sys.executable, "-c", code, str(path), str(backup_dir or "")], check=True, cwd=ROOT)
    return path


def counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ("quarantine_case", "push_batch", "audit_log", "nucleic_test")}
    finally:
        conn.close()


def verdict(run: Run) -> dict:
    return json.loads(run.out.strip().splitlines()[-1])
