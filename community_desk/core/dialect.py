"""The differences between the two engines (issue 17): SQLite, the default file, and PostgreSQL, a server URL.

For now this module holds only what lets both engines share one peewee:

* `is_server_url(target)`: a `postgresql://` (or `postgres://`) URL, not a file path.
* `keep_peewee_from_drivers()`: peewee 4.x imports psycopg at its own import when it is installed (~265 ms
  instead of ~61 ms, NOTES.md). community_desk/__init__.py installs this hook, so that `import peewee` in the
  program never loads psycopg; SQLite mode starts as fast as before with the `server` extra installed.
* `load_psycopg()`: imports psycopg when a server URL is opened and gives it to peewee, as peewee's own import
  would have done.

Not yet here (see issue 17): placeholders (`?` / `%s`), text search (GLOB / pg_trgm), string aggregation,
greatest, date formatting, now.
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
