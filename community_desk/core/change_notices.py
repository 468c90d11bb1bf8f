"""Live updates between PCs (issue 18): what another PC changed, and who else is working. No Qt here.

Every write leaves a line in the audit log. On PostgreSQL a trigger on `audit_log` (migration 20) sends
`NOTIFY desk_changes, '<table>:<record_id>:<audit id>'` when the writing transaction commits; `Listener` waits for
those notices on its own autocommit connection in a background thread and hands each batch of changes to a
callback. The notice only wakes it: the changes themselves are read from the audit log (who, when, what), so a
notice and a catch-up give the same `Change`.

Missed notices (the listener's connection dropped, the PC slept) are caught up from the audit log id: the
`ChangeTracker` remembers the ids seen; on every (re)connect and on a safety timer the listener reads the lines
above the highest id seen (less an overlap: a transaction that took its id earlier may commit later) and reports
those it had not seen. A read-only second copy of a database file (SQLite has no NOTIFY) reads the audit log
with the same tracker every 2 s instead (`FileFollower`, also on its own thread).

A change this program made itself needs no second refresh: a notice carries the sender's server process id, and
`own_connections` knows this program's (core/server_db registers every connection it opens).

Who is working: each connection of a logged-in program is named after the person and the PC (application_name,
set by core/server_db at connect and by `name_this_thread` after login); `others_working` reads the others from
pg_stat_activity. The server keeps only ASCII there (PostgreSQL 15 turns 张敏 into '??????'), so the name is
`CommunityDesk 张敏@办公室1` with each Chinese part in Punycode, as domain names do: `CommunityDesk xn--e1tp1l@…`.
"""
from __future__ import annotations

import datetime as dt
import platform
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass

CHANNEL = "desk_changes"
APP_NAME = "CommunityDesk"  # application_name of 社区工作台 not yet logged in (the login window, a command)
WORKING_PREFIX = APP_NAME + " "  # … followed by "<staff name>@<PC name>" once someone has logged in
OVERLAP = 1000  # audit ids read again below the highest seen, for transactions that committed out of id order
SAFETY_SECONDS = 30.0
PRESENCE_SECONDS = 30.0
WAIT_SECONDS = 0.5  # how long the listener waits for a notice before it looks at its stop flag and its timers
RECONNECT_SECONDS = (1, 2, 5, 10, 30)
FOLLOW_SECONDS = 2.0  # a read-only copy of a file looks at the audit log this often

_COLUMNS = 'SELECT id, "table", record_id, "user", at, action FROM audit_log'


@dataclass(frozen=True)
class Change:
    """One audit line as another PC's change: which record, who, when (HH:MM text), what (新增/修改/删除 …)."""

    audit_id: int
    table: str
    record_id: int | None
    user: str = ""
    at: str = ""
    action: str = ""


def parse_notice(payload: str) -> tuple[str, int | None, int] | None:
    """'resident:12:345' -> ('resident', 12, 345); None for a payload not of that shape."""
    parts = payload.rsplit(":", 2)
    if len(parts) != 3:
        return None
    table, record, audit = parts
    try:
        return table, (int(record) if record else None), int(audit)
    except ValueError:
        return None


def _clock(value) -> str:
    if isinstance(value, dt.datetime):
        return f"{value:%H:%M}"
    text = str(value or "")
    return text[11:16] if len(text) >= 16 else text


def _change(row) -> Change:
    audit_id, table, record_id, user, at, action = row
    return Change(int(audit_id), table or "", record_id, user or "", _clock(at), action or "")


# --- which ids were seen ----------------------------------------------------------------------------------------


class ChangeTracker:
    """The audit ids already seen, from the highest at start on: `fresh` keeps the changes not seen before, and
    `catch_up_from` says from which id the audit log is to be read again."""

    def __init__(self, start_after: int = 0):
        self.floor = start_after  # history before the program started is not news
        self.highest = start_after
        self._seen: set[int] = set()
        self._lock = threading.Lock()

    def fresh(self, changes: list[Change]) -> list[Change]:
        with self._lock:
            out = []
            for change in changes:
                if change.audit_id <= self.floor or change.audit_id in self._seen:
                    continue
                self._seen.add(change.audit_id)
                out.append(change)
            if out:
                self.highest = max(self.highest, max(c.audit_id for c in out))
                low = self.catch_up_from()
                self._seen = {i for i in self._seen if i > low}
            return out

    def catch_up_from(self) -> int:
        return max(self.floor, self.highest - OVERLAP)


# --- reading the audit log --------------------------------------------------------------------------------------


def highest_audit_id(execute: Callable) -> int:
    return execute('SELECT COALESCE(MAX(id), 0) FROM audit_log', ()).fetchone()[0]


def read_changes(execute: Callable, after_id: int, placeholder: str = "?") -> list[Change]:
    """The audit lines above `after_id`, in id order. `execute(sql, params)` returns a cursor: the models'
    database (`?`) or a psycopg connection (`placeholder='%s'`)."""
    rows = execute(f"{_COLUMNS} WHERE id > {placeholder} ORDER BY id", (after_id,)).fetchall()
    return [_change(row) for row in rows]


# --- this program's own connections and its name ----------------------------------------------------------------


class OwnConnections:
    """The server process ids of this program's connections (one per thread, and each worker job's), kept a minute
    after a connection is gone: its last write's notice may arrive after a worker closed it."""

    KEEP_SECONDS = 60.0

    def __init__(self):
        self._alive: dict[int, weakref.ref] = {}
        self._gone: dict[int, float] = {}
        self._lock = threading.Lock()

    def register(self, conn) -> None:
        pid = conn.info.backend_pid

        def gone(_ref, pid=pid) -> None:
            with self._lock:
                if self._alive.get(pid) is _ref:
                    del self._alive[pid]
                    self._gone[pid] = time.monotonic()

        with self._lock:
            self._alive[pid] = weakref.ref(conn, gone)
            self._forget_old()
            self._gone.pop(pid, None)

    def is_own(self, pid: int) -> bool:
        with self._lock:
            if pid in self._alive:
                return self._alive[pid]() is not None
            self._forget_old()
            return pid in self._gone

    def _forget_old(self) -> None:
        now = time.monotonic()
        if any(now - t >= self.KEEP_SECONDS for t in self._gone.values()):
            self._gone = {p: t for p, t in self._gone.items() if now - t < self.KEEP_SECONDS}


own_connections = OwnConnections()
_working_as: tuple[str, str] | None = None  # (staff name, PC name) once someone logged in


def pc_name() -> str:
    return platform.node() or "本机"


def _ascii(part: str) -> str:
    """The server keeps only printable ASCII in application_name (PostgreSQL 15 turns the rest into '?'): a part
    in other letters is written as in a domain name (xn-- and Punycode), an ASCII one as it is. An '@' inside a
    name becomes '＠': the one '@' left parts the person from the PC."""
    part = part.replace("@", "＠")
    if part.isascii() and part.isprintable() and not part.startswith("xn--"):
        return part
    return "xn--" + part.encode("punycode").decode("ascii")


def _unascii(part: str) -> str:
    if part.startswith("xn--"):
        try:
            return part[4:].encode("ascii").decode("punycode")
        except (UnicodeError, ValueError):
            return part
    return part


def application_name() -> str:
    """`CommunityDesk 张敏@办公室1` in the server's ASCII (logged in), or `CommunityDesk` (not yet: the login window,
    a command). The server keeps 63 bytes: long names are shortened, the PC's first."""
    if _working_as is None:
        return APP_NAME
    user, pc = _working_as
    while True:
        name = f"{WORKING_PREFIX}{_ascii(user)}@{_ascii(pc)}"
        if len(name) <= 63:
            return name
        if len(pc) > 4:
            pc = pc[:-1]
        else:
            user = user[:-1]


def who_from(app_name: str) -> str:
    """The application_name of a logged-in program read back: '张敏@办公室1'."""
    user, _, pc = app_name[len(WORKING_PREFIX):].partition("@")
    return f"{_unascii(user)}@{_unascii(pc)}"


def working_as(user: str | None) -> str:
    """After a login: this program's connections are named after the person and this PC (None: nobody)."""
    global _working_as
    _working_as = (user, pc_name()) if user else None
    return application_name()


def name_connection(conn) -> None:
    """Name a psycopg connection (idle, as core/server_db has it when it opens one) with application_name()."""
    if conn.autocommit:
        conn.execute("SELECT set_config('application_name', %s, false)", (application_name(),))
        return
    conn.autocommit = True  # the SET on its own, not the start of a transaction peewee does not know of
    try:
        conn.execute("SELECT set_config('application_name', %s, false)", (application_name(),))
    finally:
        conn.autocommit = False


def name_this_thread() -> None:
    """After a login: the calling thread's open connection takes the new name (the others are workers' connections,
    opened and named per job)."""
    from .models.base import db_proxy

    db = db_proxy.obj
    if db is not None and getattr(db, "server_mode", False) and not db.is_closed() and not db.in_transaction():
        name_connection(db.connection())


def others_working(execute: Callable, placeholder: str = "%s") -> list[str]:
    """Who else has the program open on this database: ['张敏@办公室1', …] (this PC's own person left out)."""
    rows = execute(f"SELECT DISTINCT application_name FROM pg_stat_activity WHERE datname = current_database() "
                   f"AND starts_with(application_name, {placeholder}) AND application_name <> {placeholder} "
                   "ORDER BY 1", (WORKING_PREFIX, application_name())).fetchall()
    return [who_from(name) for (name,) in rows]


# --- the threads that watch ---------------------------------------------------------------------------------------


class _Watcher:
    """A daemon thread running `_run` until `stop()` (which returns at once, or waits `wait` seconds for it)."""

    def __init__(self, name: str):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self, wait: float = 0.0) -> None:
        self._stop.set()
        if wait:
            self._thread.join(wait)

    def _run(self) -> None:
        raise NotImplementedError


class FileFollower(_Watcher):
    """A read-only second copy of a database file (SQLite has no notices): reads the audit lines the other copy
    wrote every `interval` seconds, on its own thread and connection (the models' database gives each thread
    one), and hands the new ones to `on_changes(list[Change])`."""

    def __init__(self, on_changes: Callable[[list[Change]], None], interval: float = FOLLOW_SECONDS):
        super().__init__("desk-file-follower")
        self.on_changes = on_changes
        self.interval = interval
        self.tracker: ChangeTracker | None = None
        self.started = threading.Event()

    def _run(self) -> None:
        from .models.base import db_proxy

        try:
            self.tracker = ChangeTracker(highest_audit_id(db_proxy.execute_sql))
            self.started.set()
            while not self._stop.wait(self.interval):
                try:
                    changes = self.tracker.fresh(read_changes(db_proxy.execute_sql, self.tracker.catch_up_from()))
                except Exception:  # noqa: BLE001 - the file busy or gone: the next look tries again
                    continue
                if changes:
                    self.on_changes(changes)
        finally:
            if db_proxy.obj is not None and not db_proxy.obj.is_closed():
                db_proxy.obj.close()  # this thread's connection


class Listener(_Watcher):
    """LISTEN desk_changes on its own connection in a daemon thread; hands each batch of other PCs' changes to
    `on_changes(list[Change])` and who else is working to `on_others(list[str])` (both called on its thread).

    Reconnects with a growing pause when the server goes away, and catches up from the audit log then and every
    `safety_seconds`. `stop()` returns at once; the thread ends within WAIT_SECONDS."""

    def __init__(self, url: str, on_changes: Callable[[list[Change]], None],
                 on_others: Callable[[list[str]], None] | None = None, *,
                 safety_seconds: float = SAFETY_SECONDS, presence_seconds: float = PRESENCE_SECONDS,
                 tracker: ChangeTracker | None = None, connect_params: dict | None = None):
        super().__init__("desk-change-listener")
        self.url = url
        self.connect_params = dict(connect_params or {})  # as the program's own connections are made (user, password)
        self.on_changes = on_changes
        self.on_others = on_others
        self.safety_seconds = safety_seconds
        self.presence_seconds = presence_seconds
        self.tracker = tracker
        self.connected = threading.Event()
        self.connections = 0  # how many times it has connected (tests: a reconnect happened)
        self.conn = None

    def _connect(self):
        import psycopg

        params = {**self.connect_params, "autocommit": True, "application_name": application_name(),
                  "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3,
                  "tcp_user_timeout": 20_000}  # a dead network is found in seconds, not after the TCP default
        conn = psycopg.connect(self.url, **params)
        conn.execute(f"LISTEN {CHANNEL}")
        return conn

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                self.conn = self._connect()
            except Exception:  # noqa: BLE001 - server off or unreachable: try again after a pause
                self._stop.wait(RECONNECT_SECONDS[min(failures, len(RECONNECT_SECONDS) - 1)])
                failures += 1
                continue
            failures = 0
            self.connections += 1
            try:
                self._serve(self.conn)
            except Exception:  # noqa: BLE001 - the connection dropped: reconnect, then catch up
                pass
            finally:
                self.connected.clear()
                try:
                    self.conn.close()
                except Exception:  # noqa: BLE001
                    pass
                self.conn = None

    @staticmethod
    def _readable(read: Callable, otherwise):
        """What `read()` returns, or `otherwise` when this login may not read the audit log (a role kept to masked
        views): the notices alone then say which record changed, without who or when, and nothing is caught up."""
        from psycopg.errors import InsufficientPrivilege

        try:
            return read()
        except InsufficientPrivilege:
            return otherwise

    def _serve(self, conn) -> None:
        if self.tracker is None:
            self.tracker = ChangeTracker(self._readable(lambda: highest_audit_id(conn.execute), 0))
        self._catch_up(conn)  # what happened while it was away (nothing the first time)
        self._tell_others(conn)
        self.connected.set()
        next_safety = time.monotonic() + self.safety_seconds
        next_presence = time.monotonic() + self.presence_seconds
        while not self._stop.is_set():
            heard: dict[int, Change] = {}
            for notice in conn.notifies(timeout=WAIT_SECONDS):
                heard.update(self._heard(notice))
                break  # the first one woke it: take the rest already there without waiting
            if heard:
                for notice in conn.notifies(timeout=0.001):
                    heard.update(self._heard(notice))
                self._deliver(conn, heard)
                next_presence = 0  # a login or a first save elsewhere: look who is there now
            now = time.monotonic()
            if now >= next_safety:
                self._catch_up(conn)
                next_safety = now + self.safety_seconds
            if now >= next_presence:
                self._tell_others(conn)
                next_presence = now + self.presence_seconds

    def _heard(self, notice) -> dict[int, Change]:
        """{audit id: the change as the notice names it} for another program's notice; this program's own are
        marked seen (a catch-up skips them) and left out."""
        parsed = parse_notice(notice.payload)
        if parsed is None:
            return {}
        table, record_id, audit_id = parsed
        if own_connections.is_own(notice.pid):
            self.tracker.fresh([Change(audit_id, table, record_id)])
            return {}
        return {audit_id: Change(audit_id, table, record_id)}

    def _deliver(self, conn, heard: dict[int, Change]) -> None:
        """The heard changes with who and when from the audit log (as the notices name them if it is not readable)."""
        rows = self._readable(lambda: conn.execute(f"{_COLUMNS} WHERE id = ANY(%s) ORDER BY id",
                                                   (sorted(heard),)).fetchall(), None)
        changes = [_change(row) for row in rows] if rows is not None else [heard[i] for i in sorted(heard)]
        self._hand_over(self.tracker.fresh(changes))

    def _catch_up(self, conn) -> None:
        missed = self._readable(lambda: read_changes(conn.execute, self.tracker.catch_up_from(), "%s"), [])
        self._hand_over(self.tracker.fresh(missed))

    def _hand_over(self, changes: list[Change]) -> None:
        if changes:
            self.on_changes(changes)

    def _tell_others(self, conn) -> None:
        if self.on_others is not None:
            self.on_others(others_working(conn.execute))
