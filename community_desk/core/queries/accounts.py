"""Staff accounts: the first administrator, adding staff, logging in, locking after wrong passwords.

Roles are enforced here, not by hiding buttons: only an administrator manages accounts, and the
session that a login returns carries the role that every write path checks.

In server mode (issue 18) the server enforces them too: every account is a PostgreSQL login role in the group of
its role (core/server_roles.py), kept in step here on every change (core/server_login.keep_login_role), and the
login connects as that role (server_login.open_as), the lock-out counted and enforced by the server. The password
lives in PostgreSQL (scram-sha-256): `password_hash` holds a scrypt hash in a database file only and is empty on a
server.
"""
from __future__ import annotations

import datetime as dt
import threading

from peewee import IntegrityError

from .. import server_login, session, vocabulary
from ..db import transaction
from ..dialect import is_postgres, locked
from ..models import StaffAccount
from ..rules.passwords import check_strength, hash_password, verify_against_dummy, verify_password
from ..rules.text import ValidationError, clean_text
from . import audit

TABLE = "staff_account"
MAX_FAILURES = 5
LOCK_MINUTES = 5


class LoginFailed(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def has_accounts() -> bool:
    return StaffAccount.select().exists()


def _require_admin() -> None:
    if session.current.role != vocabulary.ROLE_ADMIN:
        raise session.PermissionDenied("只有管理员可以管理账号")


def create_account(username: str, display_name: str, password: str, role: str = vocabulary.ROLE_STAFF) -> int:
    """Create an account. The very first account is always an administrator and needs no login."""
    first = not has_accounts()
    if not first:
        _require_admin()
    username = clean_text(username, max_length=30, field_label="用户名")
    display_name = clean_text(display_name, max_length=30, field_label="姓名") or username
    if not username:
        raise ValidationError("请填写用户名")
    if role not in session.ROLES:
        raise ValidationError(f"角色只能是 {' / '.join(session.ROLES)}")
    check_strength(password)
    if StaffAccount.select().where(StaffAccount.username == username).exists():
        raise ValidationError(f"用户名“{username}”已被使用")
    server = is_postgres()
    with transaction():
        try:
            with transaction():  # a savepoint: another PC may take the same user name at this moment
                account = StaffAccount.create(username=username, display_name=display_name,
                                              role=vocabulary.ROLE_ADMIN if first else role,
                                              password_hash="" if server else hash_password(password))
        except IntegrityError:
            raise ValidationError(f"用户名“{username}”已被使用") from None
        if server:  # the login role, in this transaction: no account without its role, nor a role without one
            server_login.keep_login_role(username, account.role, True, password)
        audit.record("新增", TABLE, account.id, f"新增账号 {username}（{account.role}）")
    return account.id


def _locked_message(locked_until: dt.datetime, now: dt.datetime) -> str:
    minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
    return f"密码连续输错 {MAX_FAILURES} 次，账号已锁定，请 {minutes} 分钟后再试"


def _failure_message(failures: int) -> str:
    """The refusal after a wrong password: the same words whether or not the name exists."""
    if failures >= MAX_FAILURES:
        return f"密码连续输错 {MAX_FAILURES} 次，账号已锁定 {LOCK_MINUTES} 分钟"
    return f"用户名或密码不正确，还可以再试 {MAX_FAILURES - failures} 次"


class _UnknownNames:
    """Wrong-password counts and locks for names that are no account, kept in memory only.

    They make a made-up name answer exactly as a real one would ("还可以再试 3 次", then locked),
    so the login cannot be used to find out which user names exist."""

    LIMIT = 1000  # names remembered; the oldest are forgotten first

    def __init__(self):
        self._lock = threading.Lock()
        self._state: dict[str, tuple[int, dt.datetime | None]] = {}

    def fail(self, username: str, now: dt.datetime) -> str:
        with self._lock:
            failures, locked_until = self._state.pop(username, (0, None))
            if locked_until and locked_until > now:
                self._state[username] = (failures, locked_until)
                return _locked_message(locked_until, now)
            failures += 1
            locked = failures >= MAX_FAILURES
            self._state[username] = (0, now + dt.timedelta(minutes=LOCK_MINUTES)) if locked else (failures, None)
            while len(self._state) > self.LIMIT:
                del self._state[next(iter(self._state))]
            return _failure_message(failures)


_unknown_names = _UnknownNames()


def _count_failure(account: StaffAccount, now: dt.datetime) -> str:
    """One wrong password, counted atomically: 16 at once lock the account as 5 in a row do.

    The increment is one UPDATE (no read-modify-write), skipped while the account is locked, and the
    lock is decided from the row as it is after that update, inside the same write transaction."""
    with transaction():  # committed before the refusal is raised
        counted = StaffAccount.update(failed_attempts=StaffAccount.failed_attempts + 1).where(
            (StaffAccount.id == account.id)
            & (StaffAccount.locked_until.is_null() | (StaffAccount.locked_until <= now))).execute()
        row = StaffAccount.get_by_id(account.id)
        if not counted:  # another attempt locked it meanwhile
            return _locked_message(row.locked_until, now)
        failures = row.failed_attempts
        locked = failures >= MAX_FAILURES
        if locked:
            StaffAccount.update(failed_attempts=0, locked_until=now + dt.timedelta(minutes=LOCK_MINUTES)).where(
                StaffAccount.id == account.id).execute()
        audit.record("登录失败", TABLE, account.id, f"{account.username} 密码错误" + ("，账号已锁定" if locked else ""))
    return _failure_message(failures)


def login(username: str, password: str, now: dt.datetime | None = None) -> session.Session:
    """Check the password; on success make it the current session. Raises LoginFailed with the reason.

    Until the password is right, an unknown name, a disabled account and a wrong password get the same
    answer after the same scrypt work; only the right password for a disabled account hears 已停用."""
    now = now or dt.datetime.now()
    username = (username or "").strip()
    url = server_login.base_url()
    if url:
        return _login_on_server(url, username, password or "", now)
    account = StaffAccount.get_or_none(StaffAccount.username == username)
    if account is None:
        verify_against_dummy(password or "")
        raise LoginFailed(_unknown_names.fail(username, now))
    if account.locked_until and account.locked_until > now:
        verify_against_dummy(password or "")  # as long as an unknown name's locked answer
        raise LoginFailed(_locked_message(account.locked_until, now))
    if not verify_password(password or "", account.password_hash):
        raise LoginFailed(_count_failure(account, now))
    if not account.active:
        raise LoginFailed("该账号已停用，请联系管理员")
    before = session.current
    session.current = session.Session(user=account.display_name, role=account.role, username=account.username)
    try:
        with transaction():  # the login and its line in the audit log (which names the session): one commit
            StaffAccount.update(failed_attempts=0, locked_until=None, last_login=now).where(
                StaffAccount.id == account.id).execute()
            audit.record("登录", TABLE, account.id, f"{account.display_name} 登录")
    except Exception:
        session.current = before
        raise
    return session.current


def _login_on_server(url: str, username: str, password: str, now: dt.datetime) -> session.Session:
    """The login as the account's PostgreSQL login role (server_login.open_as): the server checks the password,
    counts the failures and keeps the lock; the answers are the file's."""
    try:
        _database, account = server_login.open_as(url, username, password)
    except server_login.Refused as refused:
        if refused.disabled:
            raise LoginFailed("该账号已停用，请联系管理员") from None
        if refused.locked_seconds and refused.failures < MAX_FAILURES:  # locked before this try
            raise LoginFailed(_locked_message(now + dt.timedelta(seconds=refused.locked_seconds), now)) from None
        raise LoginFailed(_failure_message(refused.failures)) from None  # counted (the fifth: locked now)
    session.current = session.Session(user=account.display_name, role=account.role, username=account.username)
    return session.current


def list_accounts() -> list[dict]:
    return [{"id": a.id, "username": a.username, "display_name": a.display_name, "role": a.role, "active": a.active,
             "last_login": a.last_login, "locked": bool(a.locked_until and a.locked_until > dt.datetime.now())}
            for a in StaffAccount.select().order_by(StaffAccount.id)]


def reset_password(account_id: int, new_password: str) -> None:
    _require_admin()
    check_strength(new_password)
    server = is_postgres()
    with transaction():
        StaffAccount.update(password_hash="" if server else hash_password(new_password), failed_attempts=0,
                            locked_until=None, updated_at=dt.datetime.now()).where(StaffAccount.id == account_id).execute()
        if server:  # the new password, and the lock lifted, on the server
            account = StaffAccount.get_by_id(account_id)
            server_login.keep_login_role(account.username, account.role, account.active, new_password)
        audit.record("修改", TABLE, account_id, "重置密码")


def set_active(account_id: int, active: bool) -> None:
    _require_admin()
    with transaction():
        account = StaffAccount.get_by_id(account_id)
        if not active and account.role == vocabulary.ROLE_ADMIN:
            # the active administrators locked: two administrators stopping each other at once cannot both succeed
            admins = locked(StaffAccount.select(StaffAccount.id).where(
                (StaffAccount.role == vocabulary.ROLE_ADMIN) & (StaffAccount.active == True)))  # noqa: E712
            if not [a for a in admins if a.id != account_id]:
                raise ValidationError("不能停用最后一个管理员账号")
        StaffAccount.update(active=active, updated_at=dt.datetime.now()).where(StaffAccount.id == account_id).execute()
        if is_postgres():  # NOLOGIN: the server refuses the account's logins
            server_login.keep_login_role(account.username, account.role, active)
        audit.record("修改", TABLE, account_id, ("启用" if active else "停用") + f"账号 {account.username}",
                     {"active": (account.active, active)})


def set_role(account_id: int, role: str) -> None:
    _require_admin()
    if role not in session.ROLES:
        raise ValidationError(f"角色只能是 {' / '.join(session.ROLES)}")
    account = StaffAccount.get_by_id(account_id)
    with transaction():
        StaffAccount.update(role=role, updated_at=dt.datetime.now()).where(StaffAccount.id == account_id).execute()
        if is_postgres():  # the login role moves to the role's group
            server_login.keep_login_role(account.username, role, account.active)
        audit.record("修改", TABLE, account_id, f"账号 {account.username} 角色改为 {role}", {"role": (account.role, role)})
