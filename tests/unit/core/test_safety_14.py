"""Issue 14 (data safety under hostile users): lock-out under concurrency, logins that do not tell which
names exist, --mask on every export, secure_delete, and LIKE wildcards searched literally."""
import datetime as dt
import re
import threading

import pytest

from community_desk.core.models import AuditLog, StaffAccount
from community_desk.core.models.base import db_proxy
from community_desk.core.queries import accounts


@pytest.fixture
def admin(db):
    accounts.create_account("admin", "张敏", "s3cret-pw")
    accounts.login("admin", "s3cret-pw")
    return "admin"


def test_sixteen_wrong_passwords_at_once_lock_the_account(admin, db_path):
    """Each thread has its own connection to the same database file (Peewee keeps one per thread)."""
    start = threading.Barrier(16)
    answers, errors = [], []

    def attempt():
        try:
            start.wait(timeout=60)
            accounts.login("admin", "wrong-pw")
        except accounts.LoginFailed as exc:
            answers.append(exc.message)
        except Exception as exc:  # noqa: BLE001 - a lock error must fail the test, not vanish in a thread
            errors.append(exc)
        finally:
            db_proxy.obj.close()

    threads = [threading.Thread(target=attempt) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors and len(answers) == 16
    account = StaffAccount.get(StaffAccount.username == "admin")
    assert account.locked_until and account.locked_until > dt.datetime.now()
    assert sum("账号已锁定" in a for a in answers) == 16 - (accounts.MAX_FAILURES - 1)
    with pytest.raises(accounts.LoginFailed, match="分钟后再试"):
        accounts.login("admin", "s3cret-pw")  # even the right password waits out the lock


@pytest.mark.sqlite_only  # the program checks the password (scrypt) in a file; on a server PostgreSQL does: tests/integration/test_server_roles.py
def test_unknown_disabled_and_wrong_password_get_the_same_answers(admin, monkeypatch):
    gate = accounts.create_account("gate", "门岗", "gate-pass", role="只读")
    accounts.set_active(gate, False)
    scrypt_runs = []
    real = accounts.verify_password
    monkeypatch.setattr(accounts, "verify_password", lambda p, h: scrypt_runs.append(1) or real(p, h))
    from community_desk.core.rules import passwords
    real_dummy = passwords.verify_password
    monkeypatch.setattr(passwords, "verify_password", lambda p, h: scrypt_runs.append(1) or real_dummy(p, h))
    now = dt.datetime(2026, 12, 1, 9, 0)
    answers = {}
    for name in ("admin", "gate", "nobody"):
        scrypt_runs.clear()
        answers[name] = []
        for _ in range(accounts.MAX_FAILURES + 1):
            with pytest.raises(accounts.LoginFailed) as refused:
                accounts.login(name, "wrong-pw", now=now)
            answers[name].append(refused.value.message)
        assert len(scrypt_runs) == accounts.MAX_FAILURES + 1, name  # one scrypt check per attempt, for each
    assert answers["admin"] == answers["gate"] == answers["nobody"]
    assert answers["admin"][0] == "用户名或密码不正确，还可以再试 4 次"
    assert "已锁定" in answers["admin"][-1]
    # the right password is the only thing that tells a disabled account apart (once its lock is over)
    with pytest.raises(accounts.LoginFailed, match="停用"):
        accounts.login("gate", "gate-pass", now=now + dt.timedelta(minutes=10))


def _cells(path):
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    return [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None]


def _full_phones(path) -> list[str]:
    return [v for v in _cells(path) if re.fullmatch(r"1\d{10}", v)]


@pytest.mark.parametrize("what", ["volunteers", "service-requests"])
def test_export_mask_masks_every_phone_in_the_written_workbook(tmp_path, what):
    from community_desk.app import main
    from community_desk.core.db import close_database

    def run(*args):
        code = main(["--db", str(tmp_path / "desk.db"), *args])
        close_database()
        return code

    assert run("demo-data", "--residents", "200") == 0
    period = ["--from", "2000-01-01", "--to", "2100-12-31"] if what == "service-requests" else []
    assert run("export", what, "--out", str(tmp_path / "full.xlsx"), *period) == 0
    assert run("export", what, "--out", str(tmp_path / "masked.xlsx"), *period, "--mask") == 0
    full = _full_phones(tmp_path / "full.xlsx")
    assert full  # the demo data has phones: without --mask they are written whole
    assert _full_phones(tmp_path / "masked.xlsx") == []
    masked = [v for v in _cells(tmp_path / "masked.xlsx") if re.fullmatch(r"1\d{2}\*{4}\d{4}", v)]
    assert len(masked) == len(full)


@pytest.mark.sqlite_only
def test_secure_delete_is_on_for_every_connection(db, monkeypatch):
    """Set by the program, not left to the SQLite build (Debian's is compiled with it on, others are not):
    the statements a worker thread's new connection runs are traced."""
    import peewee

    traced = []
    connect = peewee.sqlite3.connect

    def traced_connect(*args, **kwargs):
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(traced.append)
        return conn

    monkeypatch.setattr(peewee.sqlite3, "connect", traced_connect)
    assert db.execute_sql("PRAGMA secure_delete").fetchone()[0] == 1
    seen = []

    def worker():
        try:
            seen.append(db_proxy.obj.execute_sql("PRAGMA secure_delete").fetchone()[0])
        finally:
            db_proxy.obj.close()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(timeout=60)
    assert seen == [1]  # a worker thread's own connection has it too
    assert any(re.fullmatch(r"PRAGMA secure_delete = (1|on);?", sql.strip(), re.I) for sql in traced), traced


def test_percent_and_underscore_are_searched_literally(community):
    from community_desk.core.queries import audit, facilities, service_desk

    kind = facilities.list_kinds()[0][0]

    def add(name, notes=""):
        return facilities.save({"kind_id": kind, "name": name, "quantity": "1", "unit": "个", "status": "已完工",
                                "installed_date": dt.date.today().isoformat(), "community_id": community,
                                "notes": notes})

    f_plain = add("健身器材", "完好率 95")
    f_percent = add("路灯", "亮灯率 100%")
    f_under = add("自行车棚_东")
    assert facilities.search_ids(facilities.FacilityFilter(text="100%")) == [f_percent]
    assert facilities.search_ids(facilities.FacilityFilter(text="_")) == [f_under]
    assert facilities.search_ids(facilities.FacilityFilter(text="%")) == [f_percent]
    assert f_plain in facilities.search_ids(facilities.FacilityFilter(text="健身"))

    [cat] = [c for c, _name in service_desk.list_categories()][:1]
    r_percent = service_desk.take_in({"contact_name": "王秀英", "category_id": cat, "description": "水压只有 50%"})
    r_under = service_desk.take_in({"contact_name": "李娜", "category_id": cat, "description": "门牌 3_2 看不清"})
    service_desk.take_in({"contact_name": "刘伟", "category_id": cat, "description": "楼道灯坏了"})
    flt = service_desk.RequestFilter
    assert service_desk.search_ids(flt(text="50%")) == [r_percent]
    assert service_desk.search_ids(flt(text="_")) == [r_under]

    audit.record("修改", "facility", f_percent, "亮灯率改为 100%")
    audit.record("修改", "facility", f_under, "改名 自行车棚_东")
    for typed in ("100%", "_"):
        found = set(audit.search_ids(text=typed))
        holding = {line.id for line in AuditLog.select()
                   if typed in f"{line.summary}{line.user}{line.changes or ''}"}
        assert found == holding, typed
        assert found and len(found) < AuditLog.select().count(), typed  # lines without it are not found
