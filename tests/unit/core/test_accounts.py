"""Staff accounts: the first administrator, salted slow hashes, lock-out, roles enforced in the domain layer."""
import datetime as dt
import sqlite3

import pytest

from community_desk.core import session
from community_desk.core.excel.residents_export import export_residents
from community_desk.core.models import AuditLog, StaffAccount
from community_desk.core.queries import accounts, residents
from community_desk.core.rules.passwords import hash_password, verify_password
from community_desk.core.rules.text import ValidationError
from community_desk.core.session import PermissionDenied


@pytest.mark.sqlite_only  # the program checks the password (scrypt) in a file; on a server PostgreSQL does: tests/integration/test_server_roles.py
def test_passwords_are_salted_scrypt_hashes_never_clear(db, db_path):
    accounts.create_account("admin", "张敏", "s3cret-pw")
    stored = StaffAccount.get().password_hash
    assert stored.startswith("scrypt$") and "s3cret-pw" not in stored
    assert hash_password("s3cret-pw") != hash_password("s3cret-pw")  # salted
    assert verify_password("s3cret-pw", stored) and not verify_password("wrong", stored)
    with sqlite3.connect(db_path) as conn:
        dump = "\n".join(conn.iterdump())
    assert "s3cret-pw" not in dump


def test_first_account_is_administrator_and_then_only_admins_add(db):
    accounts.create_account("admin", "张敏", "s3cret-pw", role="只读")
    assert StaffAccount.get().role == "管理员"
    session.current = session.Session("门岗", "工作人员")
    with pytest.raises(PermissionDenied):
        accounts.create_account("li", "李娜", "another-pw")
    accounts.login("admin", "s3cret-pw")
    accounts.create_account("gate", "门岗志愿者", "gate-pass", role="只读")
    with pytest.raises(ValidationError, match="已被使用"):
        accounts.create_account("gate", "x", "gate-pass")
    with pytest.raises(ValidationError, match="至少 6 位"):
        accounts.create_account("short", "x", "12345")


@pytest.mark.sqlite_only  # the program checks the password (scrypt) in a file; on a server PostgreSQL does: tests/integration/test_server_roles.py
def test_five_wrong_passwords_lock_the_account_for_a_few_minutes(db):
    accounts.create_account("admin", "张敏", "s3cret-pw")
    now = dt.datetime(2026, 11, 28, 9, 0)
    for attempt in range(1, 5):
        with pytest.raises(accounts.LoginFailed, match=f"还可以再试 {5 - attempt} 次"):
            accounts.login("admin", "wrong", now=now)
    with pytest.raises(accounts.LoginFailed, match="已锁定"):
        accounts.login("admin", "wrong", now=now)
    with pytest.raises(accounts.LoginFailed, match="分钟后再试"):
        accounts.login("admin", "s3cret-pw", now=now + dt.timedelta(minutes=1))
    assert accounts.login("admin", "s3cret-pw", now=now + dt.timedelta(minutes=6)).role == "管理员"


def test_disabled_account_cannot_log_in_and_last_admin_stays(db):
    accounts.create_account("admin", "张敏", "s3cret-pw")
    accounts.login("admin", "s3cret-pw")
    gate = accounts.create_account("gate", "门岗", "gate-pass", role="只读")
    accounts.set_active(gate, False)
    with pytest.raises(accounts.LoginFailed, match="停用"):
        accounts.login("gate", "gate-pass")
    with pytest.raises(ValidationError, match="最后一个管理员"):
        accounts.set_active(StaffAccount.get(StaffAccount.username == "admin").id, False)


def test_read_only_session_cannot_write_or_export_through_the_domain_api(community, tmp_path):
    rid = residents.save({"name": "王洋", "community_id": community, "phone": "13812345678"})
    accounts.create_account("admin", "张敏", "s3cret-pw")
    accounts.login("admin", "s3cret-pw")
    accounts.create_account("gate", "门岗志愿者", "gate-pass", role="只读")
    accounts.login("gate", "gate-pass")
    assert session.current.role == "只读"
    with pytest.raises(PermissionDenied):
        residents.save({"name": "李娜", "community_id": community})
    with pytest.raises(PermissionDenied):
        residents.delete([rid])
    with pytest.raises(PermissionDenied):
        export_residents(tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()
    assert not residents.full_ids_shown()
    assert residents.mask_row(residents.load_rows([rid])[rid])[4] == "138****5678"


def test_logins_and_account_changes_are_in_the_audit_log(db):
    accounts.create_account("admin", "张敏", "s3cret-pw")
    accounts.login("admin", "s3cret-pw")
    actions = [(a.action, a.summary) for a in AuditLog.select().order_by(AuditLog.id)]
    assert actions[0][0] == "新增" and actions[1] == ("登录", "张敏 登录")


def test_read_only_session_cannot_export_any_report(community, tmp_path):
    import datetime as dt

    from community_desk.core.excel.facilities_export import export_facilities
    from community_desk.core.excel.quarantine_daily import export_daily
    from community_desk.core.excel.volunteers_export import export_volunteers

    session.current = session.Session("门岗志愿者", "只读")
    for export in (lambda p: export_daily(p, dt.date(2021, 8, 5)), export_facilities, export_volunteers):
        out = tmp_path / "x.xlsx"
        with pytest.raises(PermissionDenied):
            export(out)
        assert not out.exists()
