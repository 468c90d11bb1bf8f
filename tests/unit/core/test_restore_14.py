"""Issue 14, backup and restore under faults and hostile users (items 1, 5, 10, 11, 13, 14), on real files:
a read-only account cannot back up or restore; a restore keeps the audit log; a full disk or a read-only folder
is not "damaged"; a damaged database keeps its WAL and gives back what it still holds; only this program's
databases of a version it can open are restored; a write to a vanished database file is refused."""
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from community_desk.core import backup, faults, session, startup
from community_desk.core.db import close_database, open_database, raw_connection
from community_desk.core.errors import DatabaseError
from community_desk.core.migrations import LATEST_VERSION
from community_desk.core.queries import residents
from tests.databases import configured_database
from tests.small_disk import fill, small_disk

ROOT = Path(__file__).resolve().parents[3]


def _audit(path: Path) -> list[tuple]:
    with backup.read_only(path) as conn:
        return conn.execute('SELECT "action", "summary" FROM "audit_log" ORDER BY "id"').fetchall()


def _count(path: Path, table: str = "resident") -> int:
    with backup.read_only(path) as conn:
        return conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]


# --- item 1: backup and restore are an administrator's -------------------------------------------------------
def test_a_read_only_session_can_neither_back_up_by_hand_nor_restore(community, db_path, tmp_path):
    residents.save({"name": "王洋", "community_id": community})
    saved = startup.backup_now(db_path, "manual")
    session.current = session.Session("门岗志愿者", "只读")
    with pytest.raises(session.PermissionDenied, match="只有管理员"):
        startup.backup_now(db_path, "manual", tmp_path / "stolen.db")
    with pytest.raises(session.PermissionDenied, match="只有管理员"):
        startup.backup_now(db_path, "manual")
    with pytest.raises(session.PermissionDenied, match="只有管理员"):
        startup.restore_backup(db_path, saved.path)
    session.current = session.Session("工作人员甲", "工作人员")
    with pytest.raises(session.PermissionDenied):
        startup.restore_backup(db_path, saved.path)
    assert not (tmp_path / "stolen.db").exists()
    assert startup.backup_now(db_path, "import").path.exists()  # the program's own backups run for everybody


# --- item 5: a restore cannot erase history ------------------------------------------------------------------
@pytest.mark.sqlite_only
def test_a_restore_keeps_the_audit_lines_written_since_the_backup_and_records_itself(community, db_path):
    residents.save({"name": "王洋", "community_id": community})
    saved = startup.backup_now(db_path, "manual")
    residents.save({"name": "李娜", "community_id": community})
    residents.save({"name": "赵磊", "community_id": community})
    before = _audit(db_path)
    report = startup.restore_backup(db_path, saved.path)
    assert residents.count_all() == 1  # the data is the backup's
    after = _audit(db_path)
    assert [line for line in before if "李娜" in line[1] or "赵磊" in line[1]]
    for line in before:
        assert line in after, line  # every line written before the restore is still there
    assert report.audit_kept >= 2
    assert after[-1][0] == "恢复" and saved.path.name in after[-1][1] and report.path.name in after[-1][1]
    assert any(action == "备份" for action, _ in after)


# --- item 13: only this program's databases, of a version it can open ----------------------------------------
@pytest.mark.sqlite_only
def test_restore_refuses_a_foreign_database_and_a_newer_one_and_changes_nothing(community, db_path, tmp_path):
    residents.save({"name": "王洋", "community_id": community})
    inode = db_path.stat().st_ino
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    with pytest.raises(backup.BackupError, match="不是社区工作台的数据库"):
        startup.restore_backup(db_path, foreign)
    newer = startup.backup_now(db_path, "manual").path
    with sqlite3.connect(newer) as conn:
        conn.execute('INSERT INTO "schema_version" VALUES (99)')
    conn.close()
    with pytest.raises(backup.BackupError, match=f"结构版本为 99.*1 至 {LATEST_VERSION}"):
        startup.restore_backup(db_path, newer)
    assert db_path.stat().st_ino == inode and residents.count_all() == 1
    assert residents.save({"name": "李娜", "community_id": community})  # still open and writable


# --- item 10: a machine fault is not damage --------------------------------------------------------------------
def _closed_configured(folder: Path) -> Path:
    db = folder / "desk.db"
    configured_database(db)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()  # the last connection: the -wal and -shm go
    return db


def test_a_full_disk_is_said_as_such_and_offers_no_restore(tmp_path):
    with small_disk(tmp_path / "disk", size_kb=4096) as folder:
        db = _closed_configured(folder)
        startup.open_checked(db, daily_backup=True)  # a good backup in the folder
        close_database()
        fill(folder, 0)
        with pytest.raises(startup.DatabaseError) as err:
            startup.open_checked(db, daily_backup=False)
        assert not isinstance(err.value, startup.DamagedDatabase)
        assert isinstance(err.value, startup.DatabaseUnavailable) and faults.DISK_FULL in str(err.value)
        assert "损坏" not in str(err.value)


def test_a_restore_on_a_full_disk_fails_before_the_good_database_is_touched(tmp_path):
    with small_disk(tmp_path / "disk", size_kb=4096) as folder:
        db = _closed_configured(folder)
        open_database(db)
        session.current = session.Session("测试员", "管理员")
        [community] = [c for c, in raw_connection().execute("SELECT id FROM community")]
        residents.save({"name": "王洋", "community_id": community})
        outside = tmp_path / "outside"
        saved = backup.take_backup(raw_connection(), outside, "manual")
        residents.save({"name": "李娜", "community_id": community})
        close_database()
        content = db.read_bytes()
        inode = db.stat().st_ino
        fill(folder, 0)
        with pytest.raises(backup.BackupError, match="数据库没有改变"):
            startup.restore_backup(db, saved.path)
        close_database()
        assert db.stat().st_ino == inode and db.read_bytes() == content  # not moved aside, not replaced
        (folder / "filler.bin").unlink()
        assert _count(db) == 2


def test_a_read_only_folder_is_said_as_such(tmp_path):
    with small_disk(tmp_path / "disk", size_kb=4096) as folder:
        db = _closed_configured(folder)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        with pytest.raises(startup.DatabaseUnavailable) as err:
            startup.open_checked(db, daily_backup=False)
        assert faults.NO_WRITE_PERMISSION in str(err.value)


# --- item 11: a damaged database keeps its WAL, and what it still holds comes back ---------------------------
CHILD_WRITES = """
import os, sys
from community_desk.core import session
from community_desk.core.db import open_database, raw_connection
from community_desk.core.queries import residents
open_database(sys.argv[1])
raw_connection().execute("PRAGMA wal_autocheckpoint=0")
session.current = session.Session("张敏", "管理员")
for name in ("钱多多", "孙小美", "周大福"):
    residents.save({"name": name, "community_id": 1})
os._exit(0)  # committed, never checkpointed: the records are only in the WAL
"""


def damaged_with_records_only_in_its_wal(db: Path) -> backup.BackupInfo:
    """A configured database with a good backup, three residents committed after it that are only in the WAL,
    and the main file's page of the settings table overwritten (the file fails quick_check)."""
    configured_database(db)
    open_database(db)
    session.current = session.Session("张敏", "管理员")
    residents.save({"name": "王洋", "community_id": 1})
    good = backup.take_backup(raw_connection(), startup.configured_backup_dir(db), "daily")
    close_database()
    subprocess.run([sys.executable, "-c", CHILD_WRITES, str(db)], cwd=ROOT, check=True, timeout=60)
    wal = Path(str(db) + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    with backup.read_only(db) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'setting'").fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    with open(db, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xa5" * page_size)
    assert backup.integrity_ok(db, quick=True)[0] is False
    return good


def test_recovering_a_damaged_database_keeps_its_wal_and_salvages_the_records_only_there(tmp_path):
    db = tmp_path / "desk.db"
    good = damaged_with_records_only_in_its_wal(db)
    wal_before = Path(str(db) + "-wal").read_bytes()
    with pytest.raises(startup.DamagedDatabase) as err:
        startup.open_checked(db, daily_backup=False)
    assert err.value.good_backup.path == good.path
    report = startup.recover_damaged(db)
    try:
        assert report.damaged and report.salvaged.get("resident") == 3 and report.salvaged_total >= 3
        names = {name for name, in raw_connection().execute("SELECT name FROM resident")}
        assert names == {"王洋", "钱多多", "孙小美", "周大福"}
        # the damaged copy is whole with its WAL: a technician opens it and sees the three
        assert report.path.exists() and Path(str(report.path) + "-wal").read_bytes() == wal_before
        assert backup.check_file(db)[0] == backup.OK
        assert "找回" in _audit(db)[-1][1]
    finally:
        close_database()


def test_recover_refuses_a_database_that_is_not_damaged(db_path):
    startup.open_checked(db_path)
    close_database()
    with pytest.raises(backup.BackupError, match="没有损坏"):
        startup.recover_damaged(db_path)


# --- item 14: a vanished database file is not silently replaced ----------------------------------------------
@pytest.mark.sqlite_only
def test_a_write_after_the_database_file_was_deleted_is_refused(community, db_path):
    residents.save({"name": "王洋", "community_id": community})
    os.remove(db_path)
    with pytest.raises(DatabaseError, match="不在原处") as err:
        residents.save({"name": "李娜", "community_id": community})
    assert faults.describe_fault(err.value) == str(err.value)  # a command says it in one line, exit 2
    from community_desk.core.db import vanished

    assert "不在原处" in vanished()  # what the window's heartbeat asks, to say it before the next save


@pytest.mark.sqlite_only
def test_restore_onto_a_missing_database_puts_the_backup_there(community, db_path, tmp_path):
    residents.save({"name": "王洋", "community_id": community})
    saved = startup.backup_now(db_path, "manual", tmp_path / "copy.db")
    close_database()
    os.remove(db_path)
    from community_desk.app import main

    assert main(["--db", str(db_path), "export", "residents", "--out", str(tmp_path / "r.xlsx")]) == 2
    assert not db_path.exists()
    assert main(["--db", str(db_path), "restore", str(saved.path)]) == 0
    close_database()
    assert _count(db_path) == 1


@pytest.mark.sqlite_only
def test_a_write_after_the_database_file_was_replaced_is_refused(community, db_path, tmp_path):
    residents.save({"name": "王洋", "community_id": community})
    other = tmp_path / "other.db"
    backup.backup_database(raw_connection(), other)
    os.replace(other, db_path)
    with pytest.raises(DatabaseError, match="替换"):
        residents.save({"name": "李娜", "community_id": community})
