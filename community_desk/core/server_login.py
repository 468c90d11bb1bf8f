"""Logging in to the server as the person (issue 18): each staff account is a PostgreSQL login role
(core/server_roles.py), and the login opens the program's database connection as that role.

The `postgresql://` URL names the server and the database; its user is the owner's, for server-init and the
commands an administrator runs on the server. A PC logs in like this:

1. `desk_gate` (a role any PC may log in as, which can only call the login functions) asks
   `desk_login_check(username)`: the login role's name, and whether it is locked and for how long. A lock that
   has run out is lifted there (the role's `VALID UNTIL` back to infinity).
2. The program connects as the login role with the typed password; PostgreSQL checks it (scram-sha-256).
3. Refused: `desk_login_failed(username)` counts it; the fifth in a row locks the role on the server
   (`VALID UNTIL '-infinity'`: the right password is refused as well, to any client) for 5 minutes. A right
   password of a disabled account (NOLOGIN) hears 已停用, as in a file.
4. Accepted: `desk_login_ok()` clears the count, records the login in the audit log and says who it is and
   in which group; the models are bound to this connection.

Passwords for a login role are sent to the server as SCRAM verifiers made on this PC (libpq's
PQencryptPasswordConn, as psql's \\password does), never as text.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from .errors import DatabaseError
from .server_roles import GATE_PASSWORD, GATE_ROLE, GROUPS

_base_url: str | None = None
# the server's refusal, in English or with lc_messages in Chinese (libpq passes the server's words on)
DISABLED_WORDS = ("not permitted to log in", "不允许登录")
REFUSED_WORDS = ("authentication failed", "认证失败", *DISABLED_WORDS)
LOGIN_PREFIXES = ("desk_u_", "desk_h_")  # server_roles' desk_login_role: a staff account's role, not the owner


class Refused(Exception):
    """The server refused the login: `failures` counted so far (with `locked_seconds`, this one locked it), or
    `locked_seconds` left of a lock from before (failures 0), or `disabled`."""

    def __init__(self, failures: int = 0, locked_seconds: int = 0, disabled: bool = False):
        super().__init__(f"login refused ({failures}, {locked_seconds}, {disabled})")
        self.failures = failures
        self.locked_seconds = locked_seconds
        self.disabled = disabled


@dataclass
class Account:
    id: int
    username: str
    display_name: str
    role: str  # vocabulary.ROLES, from the login role's group


def use_server(url: str) -> None:
    """The server this program logs in to (the start-up's URL, before any data connection)."""
    global _base_url
    _base_url = url


def base_url() -> str | None:
    """The server's URL when the program works on one (the start-up's, else the open database's), else None."""
    if _base_url:
        return _base_url
    from .dialect import is_postgres
    from .models.base import db_proxy

    if db_proxy.obj is not None and is_postgres():
        return str(db_proxy.obj.database)
    return None


def role_url(url: str, role: str, password: str) -> str:
    """The URL with another user and password (the server, database and options kept)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{quote(role, safe='')}:{quote(password, safe='')}@{host}"))


def _gate(url: str):
    import psycopg

    try:
        return psycopg.connect(role_url(url, GATE_ROLE, GATE_PASSWORD), autocommit=True)
    except psycopg.Error as exc:
        raise DatabaseError(f"无法连接数据库服务器：{exc}") from exc


def server_state(url: str) -> tuple[int, bool]:
    """(schema version, whether it has accounts), asked as desk_gate: the start-up's question before a login;
    (0, False) for a database not made ready for roles yet. DatabaseError when the gate cannot connect."""
    import psycopg

    with _gate(url) as gate:
        try:
            return gate.execute("SELECT * FROM desk_server_state()").fetchone()
        except psycopg.errors.UndefinedFunction:  # the roles are in the cluster, this database is older or empty
            return 0, False


def open_as(url: str, username: str, password: str):
    """Log in as the account's login role, after the gate's checks (the module docstring), and return (database,
    Account): the database the models are bound to from now on. Raises Refused, or DatabaseError when the server
    cannot be reached or is older than this program.

    The window (use_server was called) works on the person's own connection. A command run with the owner's URL
    (on the server: a scheduled backup, `--user` naming the administrator) keeps the owner's connection: the
    password is checked on a connection of the login role's own. So does the idle lock's login, which keeps the
    window's connection when it is already the person's."""
    import psycopg

    from .migrations import LATEST_VERSION

    with _gate(url) as gate:
        role, locked_seconds = gate.execute("SELECT * FROM desk_login_check(%s)", (username,)).fetchone()
        if locked_seconds:
            raise Refused(locked_seconds=locked_seconds)
        try:
            database = _database_for(url, role, password)
            check = psycopg.connect(role_url(url, role, password), autocommit=True) if database else None
        except (DatabaseError, psycopg.Error) as exc:
            said = str(exc)
            if any(words in said for words in DISABLED_WORDS):
                raise Refused(disabled=True) from None
            if not any(words in said for words in REFUSED_WORDS):
                raise DatabaseError(f"无法连接数据库服务器：{exc}") from exc  # gone meanwhile: no wrong password
            failures, locked_seconds = gate.execute("SELECT * FROM desk_login_failed(%s)", (username,)).fetchone()
            raise Refused(failures=failures, locked_seconds=locked_seconds) from None
    if check is None:  # the person's own new connection, bound to the models
        from .models.base import db_proxy

        database = db_proxy.obj
        version = database.execute_sql('SELECT MAX("version") FROM "schema_version"').fetchone()[0] or 0
        if version != LATEST_VERSION:
            database.close()
            if version > LATEST_VERSION:
                raise DatabaseError(f"服务器上的数据库由更新版本的社区工作台创建（结构版本 {version}，本程序支持到 "
                                    f"{LATEST_VERSION}），请升级这台电脑上的程序")
            raise DatabaseError(f"服务器上的数据库结构版本是 {version}，本程序需要 {LATEST_VERSION}：请管理员在服务器上用"
                                "数据库所有者的地址运行一次 main.py --db postgresql://所有者@服务器/数据库 server-upgrade")
        row = database.execute_sql("SELECT * FROM desk_login_ok()").fetchone()
    else:
        with check:
            row = check.execute("SELECT * FROM desk_login_ok()").fetchone()
    account_id, name, display_name, group = row
    role_of = {g: r for r, g in GROUPS.items()}
    return database, Account(account_id, name, display_name, role_of[group])


def _database_for(url: str, role: str, password: str):
    """The open database to keep (the owner's for a command, the window's when it is already this role's), or
    None once a new connection as `role` is open and bound to the models."""
    from .models.base import db_proxy
    from .server_db import open_server_database

    current = db_proxy.obj
    if current is not None and getattr(current, "server_mode", False):
        user = urlsplit(str(current.database)).username
        if user == role or (not _base_url and not (user or "").startswith(LOGIN_PREFIXES)):
            return current
    open_server_database(role_url(url, role, password), create_schema=False)
    return None


def login_role(username: str) -> str:
    """The login role's name of a user name (the server's desk_login_role decides)."""
    from .models.base import db_proxy

    return db_proxy.execute_sql("SELECT desk_login_role(?)", (username,)).fetchone()[0]


def verifier(username: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of a login role's password, made here (the server receives no plain text)."""
    from .models.base import db_proxy

    role = login_role(username)
    conn = db_proxy.obj.connection()
    return conn.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256").decode()


def keep_login_role(username: str, role: str, active: bool, password: str | None = None) -> None:
    """Create or change the account's login role to match the account (its group, enabled or not, and a new
    password when given); in the caller's transaction."""
    from .models.base import db_proxy

    db_proxy.execute_sql("SELECT desk_account_login(?, ?, ?, ?)",
                         (username, GROUPS[role], active, verifier(username, password) if password else None))
