"""Backups: consistent copies, rotation, damaged databases, restore, the lock, the commands."""
import datetime as dt
import os
import sqlite3

import pytest

from community_desk.app import main
from community_desk.core import backup, file_peek, startup
from community_desk.core.db import close_database, raw_connection
from community_desk.core.lock import DatabaseLock, LockInfo, is_stale, read_lock
from community_desk.core.queries import residents
from tests.databases import configured_database, damage

pytestmark = pytest.mark.sqlite_only  # The SQLite file's backups, restore and lock (server backups: test_server_cli.py).


def add(community, name):
    return residents.save({"name": name, "community_id": community})


def test_backup_is_a_consistent_checked_copy(community, db_path, tmp_path):
    add(community, "王洋")
    info = backup.take_backup(raw_connection(), tmp_path / "b", "manual")
    assert info.path.exists() and backup.integrity_ok(info.path) == (True, "ok")
    with sqlite3.connect(info.path) as conn:
        assert conn.execute("SELECT name FROM resident").fetchall() == [("王洋",)]
    assert [b.reason_label for b in backup.list_backups(tmp_path / "b")] == ["手动"]


def test_rotation_keeps_last_days_and_weeks(community, tmp_path):
    folder = tmp_path / "b"
    start = dt.datetime(2026, 9, 1, 8, 0)
    for day in range(60):
        backup.take_backup(raw_connection(), folder, "daily", now=start + dt.timedelta(days=day))
    backup.take_backup(raw_connection(), folder, "import", now=start + dt.timedelta(days=59, hours=2))
    removed = backup.rotate(folder, keep_daily=7, keep_weekly=4)
    kept = backup.list_backups(folder)
    days = sorted({b.taken_at.date() for b in kept})
    assert len(removed) == 61 - len(kept)
    assert days[-7:] == [(start + dt.timedelta(days=d)).date() for d in range(53, 60)]
    assert len(days) <= 7 + 4 and any(b.reason == "import" for b in kept)


def test_with_the_clock_set_back_rotation_keeps_the_new_backups(community, tmp_path):
    """A PC whose clock went back two months: by the dates in the names each new backup was the oldest, and
    rotation deleted it as soon as it was taken. Creation order keeps it, and the newest N of those made since."""
    folder = tmp_path / "b"
    start = dt.datetime(2026, 9, 1, 8, 0)
    for day in range(30):
        backup.take_backup(raw_connection(), folder, "daily", now=start + dt.timedelta(days=day))
    backup.rotate(folder, keep_daily=7, keep_weekly=4)
    set_back = dt.datetime(2026, 7, 1, 8, 0)
    made = []
    for day in range(10):
        made.append(backup.take_backup(raw_connection(), folder, "daily", now=set_back + dt.timedelta(days=day)))
        removed = backup.rotate(folder, keep_daily=7, keep_weekly=4)
        assert made[-1].path not in removed and made[-1].path.exists()
        assert backup.list_backups(folder)[0] == made[-1]  # the last made is the newest
    kept = {b.path for b in backup.list_backups(folder)}
    assert {b.path for b in made[-7:]} <= kept  # the seven last made, one a day
    assert backup.newest_good_backup(folder) == made[-1]


def test_rotation_never_deletes_the_one_just_made(community, tmp_path):
    folder = tmp_path / "b"
    backup.take_backup(raw_connection(), folder, "daily", now=dt.datetime(2026, 9, 1, 8, 0))
    just_made = backup.take_backup(raw_connection(), folder, "daily", now=dt.datetime(2020, 1, 1, 8, 0))
    assert backup.rotate(folder, keep_daily=0, keep_weekly=0) != [] and just_made.path.exists()


def test_backups_named_before_numbering_count_as_older(community, tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    for name in ("community_desk-20261130-080000-daily.db", "community_desk-20261130-080000-manual-2.db"):
        backup.backup_database(raw_connection(), folder / name)
    new = backup.take_backup(raw_connection(), folder, "import", now=dt.datetime(2026, 1, 1, 8, 0))
    listed = backup.list_backups(folder)
    assert [(b.seq, b.reason) for b in listed] == [(1, "import"), (0, "manual"), (0, "daily")]
    assert listed[0] == new and new.path.name == "community_desk-000001-20260101-080000-import.db"


def test_first_start_of_a_day_takes_one_daily_backup(db_path):
    report = startup.open_checked(db_path)
    assert [b.reason for b in report.backups_taken] == ["daily"]
    close_database()
    again = startup.open_checked(db_path)
    assert again.backups_taken == []
    close_database()


def test_migration_is_preceded_by_a_backup(db_path):
    from community_desk.core.db import open_database

    open_database(db_path, upto=1)
    close_database()
    report = startup.open_checked(db_path, daily_backup=False)
    assert report.migrated and [b.reason for b in report.backups_taken] == ["migration"]
    close_database()


def test_damaged_database_is_not_opened_and_a_good_backup_is_offered(db_path):
    startup.open_checked(db_path)  # makes the daily backup
    close_database()
    damage(db_path)
    with pytest.raises(startup.DamagedDatabase) as err:
        startup.open_checked(db_path)
    assert "已损坏" in str(err.value)
    assert err.value.good_backup is not None and err.value.good_backup.reason == "daily"


def test_quick_check_started_early_finds_the_damage(db_path):
    startup.open_checked(db_path)
    close_database()
    damage(db_path)
    check = backup.QuickCheck(db_path)  # as start-up runs it: on its own thread, joined when opening
    with pytest.raises(startup.DamagedDatabase):
        startup.open_checked(db_path, check=check)
    assert check.result()[0] is False


def test_quick_check_of_a_new_file_is_no_check(tmp_path):
    check = backup.QuickCheck(tmp_path / "new.db")
    assert check.result() == (True, "ok") and not (tmp_path / "new.db").exists()


def test_restore_backs_up_the_current_database_first(community, db_path, tmp_path):
    add(community, "王洋")
    saved = startup.backup_now(db_path, "manual")
    add(community, "李娜")
    safety = startup.restore_backup(db_path, saved.path)
    assert residents.count_all() == 1
    with sqlite3.connect(safety.path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM resident").fetchone()[0] == 2


def test_restore_refuses_a_file_that_is_not_a_database(community, db_path, tmp_path):
    add(community, "王洋")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(backup.BackupError, match="不能恢复"):
        startup.restore_backup(db_path, junk)
    assert residents.count_all() == 1


def test_backup_and_restore_commands(tmp_path, capsys):
    db_path = tmp_path / "x.db"
    assert main(["--db", str(db_path), "demo-data", "--residents", "20"]) == 0
    out = tmp_path / "copy.db"
    assert main(["--db", str(db_path), "backup", "--out", str(out)]) == 0
    assert backup.integrity_ok(out)[0]
    assert main(["--db", str(db_path), "restore", str(tmp_path / "missing.db")]) == 2
    assert main(["--db", str(db_path), "restore", str(out)]) == 0
    assert "已从" in capsys.readouterr().out


def test_second_copy_is_told_who_has_the_database(tmp_path):
    db_path = tmp_path / "x.db"
    first = DatabaseLock(db_path, "张敏")
    assert first.try_acquire() is None
    holder = LockInfo(**{**read_lock(db_path).__dict__, "pid": os.getppid()})  # another live process
    import json

    from community_desk.core.atomic import write_text
    write_text(str(db_path) + ".lock", json.dumps(holder.__dict__))
    second = DatabaseLock(db_path, "李娜")
    found = second.try_acquire()
    assert found is not None and "张敏" in found.describe()


def test_stale_lock_of_a_crashed_run_is_taken_over(tmp_path):
    db_path = tmp_path / "x.db"
    import json
    import socket

    from community_desk.core.atomic import write_text
    now = dt.datetime.now().replace(microsecond=0).isoformat()
    write_text(str(db_path) + ".lock", json.dumps(
        {"user": "张敏", "host": socket.gethostname(), "pid": 2**22 + 12345, "since": now, "heartbeat": now}))
    assert is_stale(read_lock(db_path))
    lock = DatabaseLock(db_path, "李娜")
    assert lock.try_acquire() is None
    assert read_lock(db_path).user == "李娜"
    lock.release()
    assert read_lock(db_path) is None


def test_a_folder_named_with_uri_characters_is_read_as_it_is(tmp_path):
    """quick_check and the raw reads build a file: URI; '#', '%' and '?' in a folder name cut the path there, and
    SQLite then checked (and read "configured" from) an empty database of the cut name instead of this file."""
    folder = tmp_path / "社区 #2 100%?"
    folder.mkdir()
    db_path = folder / "desk.db"
    configured_database(db_path)
    assert file_peek.looks_configured(db_path) is True
    damage(db_path)
    assert backup.integrity_ok(db_path, quick=True)[0] is False
