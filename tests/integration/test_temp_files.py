"""Temporary files of exports, backups and restores (issue 14 item 19): a process killed in the middle of a large
export leaves its temporary data only in the destination's folder, under the program's temporary name, never in
the system temp folder; clean_leftovers removes such leftovers once they are old, and never the fresh file of an
export still running."""
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from openpyxl.worksheet import _writer as sheet_writer

from community_desk.core.excel.house_style import ReportMeta, Sheet, write_workbook
from community_desk.core.temp_files import MAX_AGE_S, PREFIX, clean_leftovers

WORKER = Path(__file__).with_name("crash_worker.py")
ROOT = Path(__file__).resolve().parents[2]

posix_only = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")


def start_export(out: Path, rows: int, system_temp: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), TMPDIR=str(system_temp), TEMP=str(system_temp),
               TMP=str(system_temp))
    proc = subprocess.Popen([sys.executable, str(WORKER), "export", str(out), str(rows)], stdout=subprocess.PIPE,
                            env=env, text=True)
    assert proc.stdout.readline().strip() == "READY"
    return proc


def read_until(proc: subprocess.Popen, wanted) -> str:
    while True:
        line = proc.stdout.readline()
        assert line, f"the export ended before {wanted}"
        if wanted(line.strip()):
            return line.strip()


def kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()


def age(paths, seconds: float) -> None:
    then = time.time() - seconds
    for path in paths:
        os.utime(path, (then, then))


@pytest.fixture
def folders(tmp_path):
    dest, system_temp = tmp_path / "导出", tmp_path / "system-temp"
    dest.mkdir()
    system_temp.mkdir()
    return dest, system_temp


@posix_only
def test_an_export_killed_while_writing_rows_leaves_its_data_only_beside_the_destination(folders):
    dest, system_temp = folders
    out = dest / "居民台账.xlsx"
    proc = start_export(out, 0, system_temp)  # rows without end: killed while streaming
    try:
        read_until(proc, lambda line: line == "ROWS 20000")
        running = sorted(dest.iterdir())
        assert running and all(p.name.startswith(PREFIX) for p in running), running
        assert clean_leftovers([dest]) == [], "the fresh stream of a running export was removed"
        assert sorted(dest.iterdir()) == running
    finally:
        kill(proc)
    assert list(system_temp.iterdir()) == [], "the export wrote ID numbers into the system temp folder"
    left = sorted(dest.iterdir())
    assert left and all(p.name.startswith(PREFIX) and p.name.endswith(".tmp") for p in left), left
    assert sum(p.stat().st_size for p in left) > 500_000  # the rows streamed so far: personal data
    assert clean_leftovers([dest]) == []  # minutes young: it could still be a running export's
    age(left, MAX_AGE_S + 60)
    assert sorted(clean_leftovers([dest, dest.parent / "backups", None])) == left
    assert list(dest.iterdir()) == []


@posix_only
def test_an_export_killed_while_saving_leaves_the_old_file_whole_and_its_temp_data_beside_it(folders):
    dest, system_temp = folders
    out = dest / "居民台账.xlsx"
    out.write_bytes(b"the old report")
    proc = start_export(out, 150_000, system_temp)
    try:
        read_until(proc, lambda line: line == "SAVING")
        deadline = time.monotonic() + 60
        while not any(p.name.endswith(".xlsx.tmp") and p.stat().st_size > 0 for p in dest.iterdir()):
            assert proc.poll() is None and time.monotonic() < deadline, "the save ended before it could be killed"
            time.sleep(0.005)
    finally:
        kill(proc)
    assert list(system_temp.iterdir()) == []
    assert out.read_bytes() == b"the old report"
    left = sorted(p for p in dest.iterdir() if p != out)
    assert len(left) == 2 and all(p.name.startswith(PREFIX) for p in left), left  # the sheet's stream, the zip
    age(left, MAX_AGE_S + 60)
    assert sorted(clean_leftovers([dest])) == left
    assert sorted(dest.iterdir()) == [out]


def test_a_failed_export_removes_its_temp_files_at_once(folders, monkeypatch):
    dest, system_temp = folders
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    out = dest / "居民台账.xlsx"
    out.write_bytes(b"the old report")

    def rows():
        for n in range(5000):
            yield (n, "王伟")
        raise OSError(5, "Input/output error")  # the database went away in the middle

    with pytest.raises(OSError):
        write_workbook(out, [Sheet("居民", "居民台账", ["序号", "姓名"], rows())], ReportMeta("社区", "张敏"))
    assert sorted(dest.iterdir()) == [out] and out.read_bytes() == b"the old report"
    assert list(system_temp.iterdir()) == []
    assert not [name for name in sheet_writer.ALL_TEMP_FILES if str(dest) in name]


def test_clean_leftovers_removes_only_the_programs_old_temp_files(tmp_path):
    db_folder, backups = tmp_path / "数据", tmp_path / "数据" / "backups"
    backups.mkdir(parents=True)
    old_copy = backups / f"{PREFIX}community_desk-000012-20240101-080000-daily-x1y2.db.tmp"
    old_restore = db_folder / f"{PREFIX}community_desk-k3j4.db.tmp"
    old_journal = backups / f"{PREFIX}community_desk-000013-20240102-080000-daily-a1b2.db.tmp-journal"
    fresh = db_folder / f"{PREFIX}居民台账-sheet-abcd.tmp"
    keep = [db_folder / "community_desk.db", db_folder / ".community_desk-ab12.db.tmp",  # not ours: left alone
            db_folder / f"{PREFIX}x.tmp-other",
            backups / "community_desk-000012-20240101-080000-daily.db", db_folder / f"{PREFIX}notes.txt"]
    for path in (old_copy, old_restore, old_journal, fresh, *keep):
        path.write_bytes(b"x" * 100)
    (db_folder / f"{PREFIX}folder.tmp").mkdir()
    age([old_copy, old_restore, old_journal, *keep], MAX_AGE_S + 1)
    assert sorted(clean_leftovers([db_folder, backups, db_folder, tmp_path / "gone"])) == \
        sorted([old_copy, old_restore, old_journal])
    assert fresh.exists() and all(p.exists() for p in keep) and (db_folder / f"{PREFIX}folder.tmp").is_dir()


def test_the_start_up_removes_old_temp_copies_beside_the_database_and_in_the_backups(tmp_path):
    """What a killed backup or export left is gone at the next start (core.startup.open_checked); a young one stays."""
    from community_desk.core import startup
    from community_desk.core.db import close_database

    db_path = tmp_path / "desk.db"
    startup.open_checked(db_path, daily_backup=True)
    close_database()
    backups = startup.configured_backup_dir(db_path)
    old = [tmp_path / f"{PREFIX}desk-abc.db.tmp", backups / f"{PREFIX}community_desk-xyz.db.tmp"]
    young = tmp_path / f"{PREFIX}residents-def.xlsx.tmp"
    for path in [*old, young]:
        path.write_bytes(b"110111198001011234")
    long_ago = time.time() - MAX_AGE_S - 60
    for path in old:
        os.utime(path, (long_ago, long_ago))
    startup.open_checked(db_path, daily_backup=False)
    close_database()
    assert [path.exists() for path in old] == [False, False]
    assert young.exists()
