"""Roles in the server (issue 18), on a real PostgreSQL ($COMMUNITY_DESK_TEST_PG; .ci/run's throwaway cluster
checks the passwords of every role but postgres with scram-sha-256): what the server itself refuses to a client
that connects as a staff account's login role, whatever the client is. Roles are cluster-wide: the user names
here (rt18…) are this module's own."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from community_desk.core import server_login, session, vocabulary
from community_desk.core.rules.masking import mask_id, mask_phone

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("COMMUNITY_DESK_TEST_PG", "")
pytestmark = pytest.mark.skipif(not PG_URL, reason=os.environ.get("COMMUNITY_DESK_TEST_PG_SKIP")
                                or "COMMUNITY_DESK_TEST_PG is not set: no PostgreSQL for this run")
PASSWORDS = {"rt18admin": "Admin-pw-18", "rt18staff": "Staff-pw-18", "rt18gate": "Gate-pw-18"}
ID, PHONE = "110111199001011234", "13812345678"


@pytest.fixture
def server():
    """An emptied server with an administrator, a staff member and a read-only gate volunteer, and one resident;
    the lock-out shortened to 3 seconds. Yields the URL (its user is the superuser: the owner's work)."""
    pytest.importorskip("psycopg")
    from community_desk.core.db import close_database, open_database
    from community_desk.core.models import Community, Resident
    from community_desk.core.queries import accounts
    from tests.server_scratch import scratch_server_url

    url = scratch_server_url()
    database = open_database(url)
    before = session.current
    session.current = session.Session(user="测试", role=vocabulary.ROLE_ADMIN)
    accounts.create_account("rt18admin", "张敏", PASSWORDS["rt18admin"], vocabulary.ROLE_ADMIN)
    accounts.create_account("rt18staff", "李娜", PASSWORDS["rt18staff"], vocabulary.ROLE_STAFF)
    accounts.create_account("rt18gate", "门岗王师傅", PASSWORDS["rt18gate"], vocabulary.ROLE_READ_ONLY)
    community = Community.create(name="原乡小镇")
    Resident.create(name="王洋", id_number=ID, phone=PHONE, community=community)
    database.execute_sql("UPDATE desk_login_rules SET lock_seconds = 3")
    try:
        yield url
    finally:
        server_login.use_server("")
        session.current = before
        close_database()
        database.close()


def connect_as(url: str, username: str, password: str | None = None):
    """A client that is not the program: psycopg straight to the login role (a modified client)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as owner:
        role = owner.execute("SELECT desk_login_role(%s)", (username,)).fetchone()[0]
    return psycopg.connect(server_login.role_url(url, role, password or PASSWORDS[username]), autocommit=True)


def refused(conn, sql: str) -> bool:
    import psycopg

    try:
        conn.execute(sql)
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


def test_a_read_only_role_reads_masked_views_and_the_server_refuses_it_the_tables(server):
    import psycopg

    with psycopg.connect(server) as owner:
        owner.execute("INSERT INTO audit_log (\"at\", \"user\", action, \"table\", record_id, summary, changes) "
                      "VALUES (now(), '张敏', '修改', 'resident', 1, %s, %s)",
                      (f"王洋 {ID}", json.dumps({"phone": [PHONE, "13900000000"]})))
    with connect_as(server, "rt18gate") as gate:
        assert refused(gate, "SELECT summary FROM public.audit_log")
        assert gate.execute("SELECT summary, changes FROM audit_log WHERE summary LIKE '王洋%'").fetchone() == (
            "王洋 110111********1234", '{"phone": ["138****5678", "139****0000"]}')
        assert refused(gate, "SELECT id_number, phone FROM public.resident")  # permission denied, by the server
        assert refused(gate, "SELECT * FROM public.staff_account")
        assert refused(gate, "UPDATE public.resident SET phone = '1'")
        assert refused(gate, "UPDATE resident SET name = '1'")  # the view: read only as well
        assert refused(gate, "INSERT INTO audit_log (action, \"table\") VALUES ('删除', 'resident')")
        assert refused(gate, "SELECT desk_account_login('rt18gate', 'desk_admin', TRUE)")
        assert gate.execute("SELECT name, id_number, phone FROM resident").fetchall() == [  # the program's query
            ("王洋", "110111********1234", "138****5678")]
        assert gate.execute("SELECT count(*) FROM desk_ro.resident_search WHERE text LIKE '%1234%'"
                            ).fetchone()[0] == 0  # no ID number or phone through the search keys either
        assert gate.execute("SELECT password_hash FROM staff_account").fetchall() == [("",)] * 3


def test_the_masks_on_the_server_are_the_programs(server):
    import psycopg

    samples = ["110111199001011234", "11011119900101123X", "110111900101123", "G12345678", "1234", "",
               "110111********1234", "13812345678", "010-6789012", "138****5678", "12", "１３８"]
    with psycopg.connect(server) as conn:
        for value in samples:
            assert conn.execute("SELECT desk_mask_id(%s), desk_mask_phone(%s)", (value, value)).fetchone() == (
                mask_id(value), mask_phone(value)), value


def test_a_staff_role_writes_the_tables_but_cannot_read_password_hashes_or_manage_accounts(server):
    with connect_as(server, "rt18staff") as staff:
        assert refused(staff, "SELECT password_hash FROM staff_account")
        assert refused(staff, "SELECT * FROM staff_account")
        assert staff.execute("SELECT username FROM staff_account ORDER BY id").fetchall() == [
            ("rt18admin",), ("rt18staff",), ("rt18gate",)]
        assert staff.execute("SELECT id_number FROM resident").fetchone() == (ID,)
        staff.execute("UPDATE resident SET phone = '13900000000'")
        assert refused(staff, "UPDATE staff_account SET role = '管理员'")
        assert refused(staff, "SELECT desk_account_login('rt18staff', 'desk_admin', TRUE)")
        assert refused(staff, "SELECT * FROM desk_login_guard")
        assert refused(staff, "DELETE FROM audit_log")
        assert refused(staff, "UPDATE audit_log SET \"user\" = '张敏'")
    with connect_as(server, "rt18admin") as admin:
        admin.execute("SELECT password_hash FROM staff_account")  # an administrator's pg_dump reads every column
        assert admin.execute("SELECT DISTINCT password_hash FROM staff_account").fetchall() == [("",)]


def test_audit_lines_carry_the_session_user_whatever_the_client_claims(server):
    from community_desk.core.models.base import db_proxy
    from community_desk.core.queries import accounts, audit

    with connect_as(server, "rt18staff") as staff:
        staff.execute("INSERT INTO audit_log (\"at\", \"user\", action, \"table\", record_id, summary, changes) "
                      "VALUES ('2000-01-01', '张敏', '删除', 'resident', 1, '冒名', '{}')")
    server_login.use_server(server)
    accounts.login("rt18staff", PASSWORDS["rt18staff"])  # the program, as the person logs in
    session.current = session.Session(user="张敏", role=vocabulary.ROLE_STAFF, username="rt18staff")  # a lie
    with db_proxy.atomic():
        audit.record("修改", "resident", 1, "改电话")
    rows = db_proxy.execute_sql('SELECT "user", action, summary, "at" > \'2020-01-01\' FROM audit_log '
                                "WHERE \"table\" = 'resident' ORDER BY id").fetchall()
    assert rows == [("李娜", "删除", "冒名", True), ("李娜", "修改", "改电话", True)]


def test_the_lock_out_holds_on_the_server_with_two_pcs_trying_at_once(server, tmp_path):
    import psycopg

    from community_desk.core.queries import accounts

    go = tmp_path / "go"
    children = [subprocess.Popen([sys.executable, str(ROOT / "tests" / "server_login_child.py"), server, "rt18admin",
                                  str(go), "wrong-1", "wrong-2", "wrong-3"],
                                 cwd=str(ROOT), env={**os.environ, "PYTHONPATH": str(ROOT)},
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    time.sleep(1.0)  # both have imported the program and wait for the word
    go.touch()
    said = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        said += out.splitlines()
    counted = [line for line in said if "还可以再试" in line]
    locked = [line for line in said if "锁定" in line]
    assert len(counted) == 4 and len(locked) == 2, said  # 5 failures in all lock it, the 6th is not counted
    with psycopg.connect(server) as owner:  # each counted failure is in the audit log, written by the server
        assert owner.execute("SELECT count(*) FROM audit_log WHERE action = '登录失败' AND summary LIKE 'rt18admin%%'"
                             ).fetchone() == (5,)
    server_login.use_server(server)
    with pytest.raises(accounts.LoginFailed, match="锁定"):
        accounts.login("rt18admin", PASSWORDS["rt18admin"])  # the right password, refused
    with pytest.raises(psycopg.OperationalError):  # even to a client that skips the program's checks
        connect_as(server, "rt18admin")
    time.sleep(3.2)
    assert accounts.login("rt18admin", PASSWORDS["rt18admin"]).role == vocabulary.ROLE_ADMIN  # the time has passed
    with pytest.raises(accounts.LoginFailed, match="还可以再试 4 次"):  # counting starts again
        accounts.login("rt18admin", "wrong-4")


def test_account_changes_follow_the_login_role(server):
    from community_desk.core.models import StaffAccount
    from community_desk.core.queries import accounts

    gate_id = StaffAccount.get(StaffAccount.username == "rt18gate").id
    staff_id = StaffAccount.get(StaffAccount.username == "rt18staff").id
    accounts.set_role(gate_id, vocabulary.ROLE_STAFF)
    with connect_as(server, "rt18gate") as promoted:
        assert promoted.execute("SELECT id_number FROM resident").fetchone() == (ID,)
    accounts.set_role(staff_id, vocabulary.ROLE_READ_ONLY)
    with connect_as(server, "rt18staff") as demoted:
        assert refused(demoted, "SELECT id_number FROM public.resident")
    accounts.reset_password(staff_id, "New-pw-2018")
    connect_as(server, "rt18staff", "New-pw-2018").close()
    accounts.set_active(staff_id, False)
    server_login.use_server(server)
    with pytest.raises(accounts.LoginFailed, match="已停用"):
        accounts.login("rt18staff", "New-pw-2018")
    with pytest.raises(accounts.LoginFailed, match="用户名或密码不正确"):  # a wrong one hears nothing of it
        accounts.login("rt18staff", "Wrong-pw-2018")
    with pytest.raises(accounts.LoginFailed, match="用户名或密码不正确，还可以再试 4 次"):
        accounts.login("rt18nobody", "whatever")  # a name that is no account answers alike


def test_a_user_name_that_is_no_plain_identifier_gets_a_safe_role_name(server):
    from community_desk.core.queries import accounts

    accounts.create_account("Wang Wei'; DROP ROLE x;--", "王伟", "Odd-pw-2018", vocabulary.ROLE_STAFF)
    role = server_login.login_role("Wang Wei'; DROP ROLE x;--")
    assert role.startswith("desk_h_") and len(role) == 31
    assert server_login.login_role("张敏") != server_login.login_role("张敏 ")
    server_login.use_server(server)
    assert accounts.login("Wang Wei'; DROP ROLE x;--", "Odd-pw-2018").user == "王伟"


def test_the_idle_locks_login_checks_the_password_and_keeps_the_windows_connection(server):
    from community_desk.core.models.base import db_proxy
    from community_desk.core.queries import accounts

    server_login.use_server(server)
    accounts.login("rt18staff", PASSWORDS["rt18staff"])
    window_database = db_proxy.obj
    with pytest.raises(accounts.LoginFailed, match="还可以再试 4 次"):
        accounts.login("rt18staff", "wrong-again")  # checked by the server on a connection of its own
    assert accounts.login("rt18staff", PASSWORDS["rt18staff"]).user == "李娜"
    assert db_proxy.obj is window_database
    accounts.login("rt18gate", PASSWORDS["rt18gate"])  # another person: their own connection
    assert db_proxy.obj is not window_database


def test_a_server_of_another_version_is_said_not_taken_for_a_wrong_password(server):
    import psycopg

    from community_desk.core.errors import DatabaseError
    from community_desk.core.migrations import LATEST_VERSION
    from community_desk.core.queries import accounts

    with psycopg.connect(server) as owner:
        owner.execute("INSERT INTO schema_version (version) VALUES (%s)", (LATEST_VERSION + 1,))
    server_login.use_server(server)
    with pytest.raises(DatabaseError, match="请升级这台电脑上的程序"):
        accounts.login("rt18staff", PASSWORDS["rt18staff"])
    with pytest.raises(accounts.LoginFailed, match="还可以再试 4 次"):  # the password is still checked first
        accounts.login("rt18staff", "wrong-pw")


def test_migration_19_run_again_changes_nothing(server):
    from community_desk.core import server_roles
    from community_desk.core.models.base import db_proxy

    with db_proxy.atomic():
        server_roles.apply(db_proxy.obj)  # the groups, functions, trigger, grants and views: all there already
    with connect_as(server, "rt18gate") as gate:
        assert refused(gate, "SELECT id_number FROM public.resident")
        assert gate.execute("SELECT id_number FROM resident").fetchone() == ("110111********1234",)
    with connect_as(server, "rt18staff") as staff:
        assert refused(staff, "SELECT password_hash FROM staff_account")
