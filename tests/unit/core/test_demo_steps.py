"""The demo data is one explicit, ordered list of steps, and a seed, a day and a count always give the same rows."""
from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import sqlite3

from community_desk.core import demo, session, vocabulary
from community_desk.core.db import close_database, open_database


def test_every_step_module_is_in_the_list_in_its_order():
    assert [step.__name__.rsplit(".", 1)[1] for step in demo.STEPS] == [
        "facilities", "quarantine", "volunteers", "cleaning", "links"]
    for info in pkgutil.iter_modules(demo.__path__):
        module = importlib.import_module(f"{demo.__name__}.{info.name}")
        assert callable(module.add), info.name
        assert module in demo.STEPS or info.name == "residents", f"{info.name} is not in demo.STEPS"


def _rows(path) -> list[tuple]:
    """Every row but the clock's (created_at/updated_at/audit times differ from run to run)."""
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        rows = []
        for table in tables:
            columns = [c[1] for c in conn.execute(f'PRAGMA table_info("{table}")')
                       if not c[1].endswith("_at") and c[1] not in ("at", "when")]
            selected = ", ".join(f'"{c}"' for c in columns)
            rows += [(table, *r) for r in conn.execute(f'SELECT {selected} FROM "{table}" ORDER BY rowid')]
        return rows


def test_the_same_seed_gives_the_same_database(tmp_path):
    figures = []
    for name in ("a.db", "b.db"):
        open_database(tmp_path / name)
        session.current = session.Session(user="测试", role=vocabulary.ROLE_ADMIN)
        figures.append(demo.load_demo_data(residents=120, today=dt.date(2021, 8, 16)))
        close_database()
    assert figures[0] == figures[1] and figures[0]["residents"] == 120 and figures[0]["communities"] == 4
    first, second = _rows(tmp_path / "a.db"), _rows(tmp_path / "b.db")
    assert len(first) > 1000 and first == second
