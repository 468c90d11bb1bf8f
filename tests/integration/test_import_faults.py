"""Faults of the machine during `import-ledger` (issue 14 item 8), in child processes on real files: a folder given as
the file, a file the user may not read, a database another program is writing, a full disk during the import and
during the backup taken before it. Each is exit 2 with the cause in Chinese, no traceback, nothing imported."""
import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from community_desk.core.rules.idcard import make_id
from tests.hostile_xlsx import people_rows, write_xlsx
from tests.import_child import ROOT, counts, new_database, run_import
from tests.small_disk import fill, small_disk


def ledger(path, n=20):
    return write_xlsx(path, people_rows([[i, f"王{i}", make_id("110111", dt.date(1980, 1, 1 + i // 500), i % 500), "13800138000",
                                          "原乡小镇3号楼501", "原乡小镇", "2021-08-01", "居家隔离"]
                                         for i in range(1, n + 1)]))


def import_onto_a_full_disk(disk, db):
    """Fills the disk, then imports a list of 20: (the run, the table counts before it)."""
    path = ledger(disk.parent / "a.xlsx")
    before = counts(db)
    fill(disk)
    return run_import(db, str(path), "--push-date", "2021-08-05"), before


def refused(run, *words):
    assert run.rc == 2, (run.rc, run.out[-500:], run.err[-2000:])
    assert "Traceback" not in run.err, run.err[-2000:]
    for word in words:
        assert word in run.err, run.err


def test_a_folder_as_the_file(tmp_path):
    db = new_database(tmp_path / "desk.db")
    (tmp_path / "名单.xlsx").mkdir()
    before = counts(db)
    refused(run_import(db, str(tmp_path / "名单.xlsx")), "文件夹")
    assert counts(db) == before


def test_a_file_the_user_may_not_read(tmp_path):
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root to run the import as another user (root reads a chmod 000 file)")
    folder = Path(tempfile.mkdtemp(prefix="desk-perm-"))
    try:
        folder.chmod(0o777)
        db = new_database(folder / "desk.db")
        for item in folder.iterdir():
            item.chmod(0o666)
        path = ledger(folder / "secret.xlsx")
        path.chmod(0o000)
        before = counts(db)
        user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        if subprocess.run([*user, sys.executable, "-c", "import community_desk"], cwd=ROOT,
                          capture_output=True).returncode != 0:
            pytest.skip("the other user (nobody) cannot run this checkout's Python (a venv under a private folder)")
        run = run_import(db, str(path), user=user)
        if run.rc != 2 and "Permission denied" in run.err and "bin/python" in run.err:
            pytest.skip("the other user (nobody) cannot run this checkout's Python (a venv under a private folder)")
        refused(run, "没有读取该文件的权限")
        assert counts(db) == before
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_database_another_program_is_writing(tmp_path):
    db = new_database(tmp_path / "desk.db")
    path = ledger(tmp_path / "a.xlsx")
    before = counts(db)
    other = sqlite3.connect(db, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        run = run_import(db, str(path), "--push-date", "2021-08-05")
    finally:
        other.execute("ROLLBACK")
        other.close()
    refused(run, "数据库正被另一台电脑")
    assert counts(db) == before


def test_a_full_disk_during_the_import(tmp_path):
    with small_disk(tmp_path / "disk", size_kb=2048) as disk:
        db = new_database(disk / "desk.db", backup_dir=tmp_path / "backups")
        path = ledger(tmp_path / "a.xlsx", n=1000)
        before = counts(db)
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        fill(disk, leave_bytes=256 * 1024)  # room for the lock file (core/lock.py) and -shm, not for 1,000 people
        run = run_import(db, str(path), "--push-date", "2021-08-05")
        refused(run, "磁盘已满")
        os.remove(disk / "filler.bin")
        assert counts(db) == before


def test_a_full_disk_during_the_backup_before_the_import(tmp_path):
    with small_disk(tmp_path / "disk", size_kb=256) as disk:
        db = new_database(tmp_path / "desk.db", backup_dir=disk / "backups")
        run, before = import_onto_a_full_disk(disk, db)
        refused(run, "导入前备份失败", "磁盘已满")
        assert counts(db) == before


def test_a_disk_too_full_even_for_the_lock_file(tmp_path):
    """The writing command cannot take the window's lock: one Chinese line, exit 2, and no empty lock file left
    behind that the next start would take for someone's."""
    with small_disk(tmp_path / "disk", size_kb=2048) as disk:
        db = new_database(disk / "desk.db", backup_dir=tmp_path / "backups")
        run, before = import_onto_a_full_disk(disk, db)
        refused(run, "占用标记", "磁盘已满")
        assert not Path(str(db) + ".lock").exists() and not list(disk.glob("*.lock"))
        os.remove(disk / "filler.bin")
        assert counts(db) == before
