"""The differences between the two engines (issue 17): SQLite, the default file, and PostgreSQL, a server URL.

Everything else in the program is written once, in SQL both engines accept (TRUE/FALSE, `COUNT(*) FILTER`,
`ON CONFLICT … DO UPDATE/NOTHING`, `RETURNING`, `COALESCE`, `||`); what differs is here:

* `is_server_url(target)`: a `postgresql://` (or `postgres://`) URL, not a file path.
* placeholders: raw SQL is written with `?`; on PostgreSQL the connection's cursors turn it into psycopg's `%s`
  (and a literal `%` into `%%`) before the driver sees it (`pg_sql`, `TranslatingCursor`).
* rows read by raw SQL look the same on both engines: dates and times come back as ISO text and booleans as
  0/1, as SQLite stores them (`register_sqlite_shapes`); peewee's fields still turn them into date and bool.
* `glob()`, `group_concat()`, `greatest()`, `text_of()`: the SQL fragments whose spelling differs.
* `reserve_ids(table, n)`: ids for rows written in bulk with executemany, from the table's sequence on
  PostgreSQL (two PCs importing at once get different ids), MAX(id)+1… on SQLite (one writer: the lock file).
* `keep_peewee_from_drivers()`: peewee 4.x imports psycopg at its own import when it is installed (~265 ms
  instead of ~61 ms, NOTES.md). community_desk/__init__.py installs this hook, so that `import peewee` in the
  program never loads psycopg; SQLite mode starts as fast as before with the `server` extra installed.
* `load_psycopg()`: imports psycopg when a server URL is opened and gives it to peewee, as peewee's own import
  would have done.

"""
from __future__ import annotations

import sys

_DRIVERS = ("psycopg", "psycopg2", "psycopg2cffi")


def is_server_url(target) -> bool:
    return isinstance(target, str) and target.lower().startswith(("postgresql://", "postgres://"))


class _Loader:
    """Wraps peewee's own loader: while peewee's module runs, its `import psycopg` fails as if not installed."""

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        blocked = [name for name in _DRIVERS if name not in sys.modules]
        for name in blocked:
            sys.modules[name] = None  # `import name` raises ImportError
        try:
            self.loader.exec_module(module)
        finally:
            for name in blocked:
                if name in sys.modules and sys.modules[name] is None:
                    del sys.modules[name]


class _PeeweeFinder:
    def find_spec(self, name, path=None, target=None):
        if name != "peewee":
            return None
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


def keep_peewee_from_drivers() -> None:
    """Before peewee is imported: its import will not load psycopg (a no-op once peewee is loaded)."""
    if "peewee" in sys.modules or any(isinstance(finder, _PeeweeFinder) for finder in sys.meta_path):
        return
    sys.meta_path.insert(0, _PeeweeFinder())


def load_psycopg():
    """Import psycopg 3 and hand it to peewee (the names peewee's module binds when psycopg is there at its
    import). Raises ImportError when the `server` extra is not installed."""
    import peewee
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    if peewee.psycopg is None:
        peewee.psycopg = psycopg
        peewee.TransactionStatus = TransactionStatus
        peewee.Json_pg3 = Json
        peewee.Jsonb_pg3 = Jsonb
        adapter = peewee.Psycopg3Adapter
        adapter.txn_idle = TransactionStatus.IDLE
        adapter.txn_inerror = TransactionStatus.INERROR
        adapter.txn_unknown = TransactionStatus.UNKNOWN
    return psycopg


# --- which engine -------------------------------------------------------------------------------------------


def is_postgres(db=None) -> bool:
    """True when the open database (or `db`) is the PostgreSQL server."""
    if db is None:
        from .models.base import db_proxy

        db = db_proxy.obj
    return type(db).__name__ == "DeskPostgresDatabase" or getattr(db, "server_mode", False)


# --- placeholders -------------------------------------------------------------------------------------------

_PG_SQL_CACHE: dict[str, str] = {}


def pg_sql(sql: str) -> str:
    """SQLite-style raw SQL in psycopg's spelling: outside quotes `?` becomes `%s` and `:name` becomes
    `%(name)s`; every literal `%` becomes `%%`. SQL peewee generated for PostgreSQL (it already holds `%s`) is
    returned as it is."""
    done = _PG_SQL_CACHE.get(sql)
    if done is not None:
        return done
    if "%s" in sql or not any(ch in sql for ch in "?%:"):
        out = sql
    else:
        out = _translate(sql)
    if len(_PG_SQL_CACHE) < 4096:
        _PG_SQL_CACHE[sql] = out
    return out


def _translate(sql: str) -> str:
    parts = []
    quote = None
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if quote:
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
        elif ch == "?":
            parts.append("%s")
            i += 1
            continue
        elif ch == ":" and i + 1 < n and (sql[i + 1].isalpha() or sql[i + 1] == "_") and sql[i - 1:i] != ":":
            j = i + 1
            while j < n and (sql[j].isalnum() or sql[j] == "_"):
                j += 1
            parts.append(f"%({sql[i + 1:j]})s")
            i = j
            continue
        parts.append("%%" if ch == "%" else ch)
        i += 1
    return "".join(parts)


class TranslatingCursor:
    """A psycopg cursor that takes SQLite-style SQL in execute and executemany (see pg_sql)."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor):
        self._cursor = cursor

    def execute(self, sql, params=None, *args, **kwargs):
        self._cursor.execute(pg_sql(sql), params, *args, **kwargs)
        return self

    def executemany(self, sql, rows, *args, **kwargs):
        self._cursor.executemany(pg_sql(sql), rows, *args, **kwargs)
        return self

    def __iter__(self):
        return iter(self._cursor)

    def __getattr__(self, name):
        return getattr(self._cursor, name)


def register_sqlite_shapes(conn) -> None:
    """On a psycopg connection: dates, times and timestamps load as ISO text and booleans as 0/1, the shapes
    SQLite gives raw SQL, so that code reading raw rows is the same for both engines."""
    from psycopg.adapt import Loader
    from psycopg.types.string import TextLoader

    class BoolAsInt(Loader):
        def load(self, data):
            return 1 if bytes(data) == b"t" else 0

    for name in ("date", "time", "timestamp", "timestamptz"):
        conn.adapters.register_loader(name, TextLoader)
    conn.adapters.register_loader("bool", BoolAsInt)


# --- SQL whose spelling differs -----------------------------------------------------------------------------


def glob(column: str) -> str:
    """`column GLOB ?` on SQLite, `column LIKE ?` on PostgreSQL; bind the pattern from search_text.contains or
    starts_with, which spell it for the engine (both match case-sensitively, as the folded keys need)."""
    return f"{column} LIKE ?" if is_postgres() else f"{column} GLOB ?"


def group_concat(expression: str, separator: str) -> str:
    """The aggregate joining `expression` with `separator` (a Python string, quoted here)."""
    quoted = "'" + separator.replace("'", "''") + "'"
    if is_postgres():
        return f"string_agg(({expression})::text, {quoted})"
    return f"group_concat({expression}, {quoted})"


def greatest(*expressions: str) -> str:
    """The largest of several values (SQLite's multi-argument MAX; PostgreSQL's GREATEST). NULLs: SQLite gives
    NULL when any is NULL, PostgreSQL ignores them; callers COALESCE each argument."""
    return ("GREATEST(" if is_postgres() else "MAX(") + ", ".join(expressions) + ")"


def text_of(expression: str) -> str:
    """The value as text, for concatenation and substr (a DATE column is text on SQLite already)."""
    return f"CAST({expression} AS TEXT)" if is_postgres() else expression


def reserve_ids(table: str, count: int) -> list[int]:
    """`count` new ids for rows the caller will insert with explicit ids (bulk executemany). Call inside the
    write transaction. PostgreSQL: from the table's id sequence, so that a second writer never gets them and the
    next ordinary insert does not collide; SQLite: MAX(id)+1 onwards (one writer at a time: the lock file)."""
    from .models.base import db_proxy

    if count <= 0:
        return []
    if is_postgres():
        rows = db_proxy.execute_sql(
            f"SELECT nextval(pg_get_serial_sequence('\"{table}\"', 'id')) FROM generate_series(1, ?)",
            (count,)).fetchall()
        return [row[0] for row in rows]
    first = db_proxy.execute_sql(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"').fetchone()[0]
    return list(range(first, first + count))


def group_concat_ordered(expression: str, separator: str, order_by: str) -> str:
    """group_concat() joined in `order_by` order on both engines: PostgreSQL's string_agg(… ORDER BY …), SQLite's
    group_concat(… ORDER BY …) from SQLite 3.44; an older SQLite joins rows in the order its plan reads them,
    so pass the order of the index the lookup uses (a link table's unique (parent, child) index reads child order:
    `rt.tag_id` for resident_tag looked up by resident_id) and both engines give the same text."""
    import sqlite3

    quoted = "'" + separator.replace("'", "''") + "'"
    if is_postgres():
        return f"string_agg(({expression})::text, {quoted} ORDER BY {order_by})"
    if sqlite3.sqlite_version_info >= (3, 44):
        return f"group_concat({expression}, {quoted} ORDER BY {order_by})"
    return f"group_concat({expression}, {quoted})"


def locked(query):
    """The peewee SELECT with FOR UPDATE on PostgreSQL: the rows it reads stay locked until the transaction ends,
    so a second writer doing the same check-then-write waits, then reads what the first wrote (two PCs adding the
    same resident as a volunteer, filling the same cleaning slot). On SQLite the write transaction holds the whole
    file (one writer: the lock file) and peewee refuses FOR UPDATE: the query as it is."""
    return query.for_update() if is_postgres() else query


def binary_order(column: str) -> str:
    """A text column for ORDER BY in SQLite's BINARY order (code points): PostgreSQL's COLLATE "C", whatever the
    database's collation. For a search on PostgreSQL it also keeps the planner from walking the whole (sort_key,
    text) index to find a rare fragment's first 300 matches (80 ms at 100,000 residents for 'lt' or 张, whose keys
    sort late): the matches are found first (trigram index or one scan), then sorted."""
    return f'{column} COLLATE "C"' if is_postgres() else column


def search_costs():
    """A context for a fragment search. PostgreSQL: its own transaction in which the planner (SET LOCAL) prices
    random reads at 1.1, the usual value when the data is in memory or on SSD (with the default 4 it prices the
    trigram index's reads above a scan of every search key: 27 ms instead of 5 ms for '19460' at 100,000
    residents), and plans each search for its own pattern: psycopg prepares a statement run 5 times, and the
    server's generic plan for `text LIKE $1` cannot use the trigram index (100 ms instead of 16 for 'xu').
    SQLite: nothing."""
    from contextlib import contextmanager, nullcontext

    from .models.base import db_proxy

    if not is_postgres():
        return nullcontext()

    @contextmanager
    def cheap_random_reads():
        with db_proxy.atomic():
            db_proxy.execute_sql("SELECT set_config('random_page_cost', '1.1', TRUE), "
                                 "set_config('plan_cache_mode', 'force_custom_plan', TRUE)")
            yield

    return cheap_random_reads()


def one_writer_at_a_time(name: str) -> None:
    """Call first thing in a write transaction that checks, then inserts (find a person by ID number, then
    register them): on PostgreSQL it waits until no other connection's transaction holds the lock `name`
    (pg_advisory_xact_lock, let go at commit or rollback), so two PCs doing it at once run one after the other
    and the second, reading after the wait (READ COMMITTED), sees what the first wrote. Take it before any row
    lock of the transaction, so that no two writers wait for each other. SQLite: nothing (one writer at a time
    already: the lock file, and a write transaction holds the whole file)."""
    import zlib

    from .models.base import db_proxy

    if is_postgres():
        db_proxy.execute_sql("SELECT pg_advisory_xact_lock(?)", (zlib.crc32(name.encode()),))


def small_page_cache():
    """A context for reading a whole table once (the registry's search keys, core/queries/resident_keys.py).
    SQLite: the connection's page cache held at 1 MB meanwhile, so the read does not grow the program by the
    cache's 8 MB (db.PRAGMAS) for pages it will not read again. PostgreSQL: nothing (the server caches)."""
    from contextlib import contextmanager, nullcontext

    from .models.base import db_proxy

    if is_postgres():
        return nullcontext()

    @contextmanager
    def small():
        kept = db_proxy.execute_sql("PRAGMA cache_size").fetchone()[0]
        db_proxy.execute_sql("PRAGMA cache_size = -1000")
        try:
            yield
        finally:
            db_proxy.execute_sql(f"PRAGMA cache_size = {int(kept)}")

    return small()
