"""Issue 14 items 1, 11, 12, 14 through the real command line (`main.py --db ... COMMAND` in its own process):
a read-only user cannot back up or restore; a command that writes is refused while another process holds the
window's lock, naming who; a damaged database names its newest good backup and `restore` works on it; a
mistyped --db is an error, not a new empty database."""
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from community_desk.core import backup, session
from community_desk.core.db import close_database, open_database
from community_desk.core.queries import accounts
from tests.databases import configured_database
from tests.unit.core.test_restore_14 import damaged_with_records_only_in_its_wal

ROOT = Path(__file__).resolve().parents[2]


def cli(db: Path, *args, password: str | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "COMMUNITY_DESK_PASSWORD"}
    if password is not None:
        env["COMMUNITY_DESK_PASSWORD"] = password
    return subprocess.run([sys.executable, "main.py", "--db", str(db), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def residents_in(db: Path) -> list[str]:
    with backup.read_only(db) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM resident ORDER BY id")]


@pytest.fixture
def office(tmp_path):
    """A configured database (administrator admin / secret-1, a read-only gate / gate-pass-1) with 20 residents."""
    db = tmp_path / "desk.db"
    configured_database(db)
    open_database(db)
    session.current = session.Session("测试", "管理员")
    accounts.create_account("gate", "门岗志愿者", "gate-pass-1", role="只读")
    from community_desk.core.queries import residents

    for i in range(20):
        residents.save({"name": f"居民{i:02d}", "community_id": 1})
    close_database()
    return db


# --- item 1 ---------------------------------------------------------------------------------------------------
def test_a_read_only_user_cannot_back_up_or_restore_from_the_command_line(office, tmp_path):
    out = tmp_path / "stolen.db"
    for user_args, password in (([], None), (["--user", "gate"], "gate-pass-1")):
        done = cli(office, *user_args, "backup", "--out", str(out), password=password)
        assert done.returncode == 2 and "只有管理员" in done.stderr, done.stderr
        done = cli(office, *user_args, "backup", password=password)
        assert done.returncode == 2 and "只有管理员" in done.stderr
    assert not out.exists() and not list((tmp_path / "backups").glob("*manual*"))
    made = cli(office, "--user", "admin", "backup", "--out", str(out), password="secret-1")
    assert made.returncode == 0, made.stderr
    with sqlite3.connect(out) as conn:  # the attack: be administrator in a copy ...
        conn.execute("UPDATE staff_account SET role = '管理员' WHERE username = 'gate'")
        conn.execute("DELETE FROM audit_log")
    conn.close()
    for user_args, password in (([], None), (["--user", "gate"], "gate-pass-1")):  # ... and restore it
        done = cli(office, *user_args, "restore", str(out), password=password)
        assert done.returncode == 2 and "只有管理员" in done.stderr, done.stderr
    with backup.read_only(office) as conn:
        assert conn.execute("SELECT role FROM staff_account WHERE username = 'gate'").fetchone() == ("只读",)
        actions = [a for a, in conn.execute("SELECT action FROM audit_log")]
    assert "备份" in actions and len(residents_in(office)) == 20


def test_an_administrators_restore_keeps_the_audit_log(office, tmp_path):
    out = tmp_path / "copy.db"
    assert cli(office, "--user", "admin", "backup", "--out", str(out), password="secret-1").returncode == 0
    with sqlite3.connect(out) as conn:
        conn.execute("DELETE FROM audit_log")  # a copy without history
    conn.close()
    with backup.read_only(office) as conn:
        before = conn.execute("SELECT action, summary FROM audit_log ORDER BY id").fetchall()
    done = cli(office, "--user", "admin", "restore", str(out), password="secret-1")
    assert done.returncode == 0, done.stderr
    with backup.read_only(office) as conn:
        after = conn.execute("SELECT action, summary FROM audit_log ORDER BY id").fetchall()
    assert before and all(line in after for line in before) and after[-1][0] == "恢复"


# --- item 12 --------------------------------------------------------------------------------------------------
HOLDER = """
import sys
from community_desk.core.db import open_database
from community_desk.core.lock import DatabaseLock
lock = DatabaseLock(sys.argv[1], "张敏")  # as gui/startup.start_gui takes it
assert lock.try_acquire() is None
open_database(sys.argv[1])
print("holding", flush=True)
sys.stdin.readline()
lock.release()
"""


def test_commands_that_write_are_refused_while_the_window_holds_the_database(office, tmp_path):
    copy = tmp_path / "copy.db"
    assert cli(office, "--user", "admin", "backup", "--out", str(copy), password="secret-1").returncode == 0
    with sqlite3.connect(office) as conn:  # one more resident than the backup has
        conn.execute("INSERT INTO resident (created_at, updated_at, name, community_id) "
                     "SELECT created_at, updated_at, '最新录入', community_id FROM resident LIMIT 1")
    conn.close()
    names = residents_in(office)
    ledger = tmp_path / "ledger.xlsx"
    ledger.write_bytes(b"")  # never read: the lock is refused first
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(office)], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        inode = office.stat().st_ino
        for args in (["restore", str(copy)], ["import-ledger", str(ledger)], ["demo-data", "--residents", "5"]):
            done = cli(office, "--user", "admin", *args, password="secret-1")
            assert done.returncode == 2, (args, done.stdout, done.stderr)
            assert "正在使用" in done.stderr and "张敏" in done.stderr, done.stderr
        export = cli(office, "--user", "admin", "export", "residents", "--out", str(tmp_path / "r.xlsx"),
                     password="secret-1")
        assert export.returncode == 0, export.stderr  # reading beside the window is fine
        assert office.stat().st_ino == inode and residents_in(office) == names
    finally:
        holder.communicate("\n", timeout=30)
    done = cli(office, "--user", "admin", "restore", str(copy), password="secret-1")
    assert done.returncode == 0, done.stderr  # once the window is closed
    assert "最新录入" not in residents_in(office)


# --- item 11 --------------------------------------------------------------------------------------------------
def test_a_damaged_database_names_its_good_backup_and_restore_works_on_it(tmp_path):
    db = tmp_path / "desk.db"
    good = damaged_with_records_only_in_its_wal(db)
    done = cli(db, "export", "residents", "--out", str(tmp_path / "r.xlsx"))
    assert done.returncode == 2 and "已损坏" in done.stderr
    assert f"最近的完好备份：{good.path}" in done.stderr and f"restore {good.path}" in done.stderr
    refused = cli(db, "restore", str(good.path))  # accounts exist: a read-only session
    assert refused.returncode == 2 and "只有管理员" in refused.stderr
    done = cli(db, "--user", "admin", "restore", str(good.path), password="secret-1")
    assert done.returncode == 0, done.stderr
    assert "找回 " in done.stdout and "damaged" in done.stdout
    assert set(residents_in(db)) == {"王洋", "钱多多", "孙小美", "周大福"}
    assert Path(str(db) + ".damaged-wal").exists()


# --- item 14 --------------------------------------------------------------------------------------------------
def test_a_mistyped_database_path_is_an_error_not_a_new_empty_database(office, tmp_path):
    typo = tmp_path / "dekc.db"
    done = cli(typo, "export", "residents", "--out", str(tmp_path / "r.xlsx"))
    assert done.returncode == 2 and f"找不到数据库文件：{typo}" in done.stderr
    assert not typo.exists() and not (tmp_path / "r.xlsx").exists()
    assert cli(typo, "backup").returncode == 2 and not typo.exists()
    made = cli(tmp_path / "new.db", "demo-data", "--residents", "5")  # the command that makes one
    assert made.returncode == 0 and len(residents_in(tmp_path / "new.db")) == 5
