"""The registry search on PostgreSQL finds a fragment of 3 characters or more through the trigram index
(resident_search_text_trgm), in the name order and with other filters, instead of walking the sorted index or
scanning every search key (issue 17). Runs against the PostgreSQL test database (COMMUNITY_DESK_TEST_PG) and skips
with the reason when it is not set."""
from __future__ import annotations

import datetime as dt
import random

import pytest

from community_desk.core import session
from community_desk.core.db import close_database, transaction
from community_desk.core.demo.residents import add as add_residents
from community_desk.core.dialect import search_costs
from community_desk.core.models import db_proxy
from community_desk.core.queries import residents

RESIDENTS = 12_000


@pytest.fixture(scope="module")
def registry():
    from tests.pg_engine import emptied_server_database

    database = emptied_server_database()  # skips with the reason when COMMUNITY_DESK_TEST_PG is not set
    session.current = session.Session(user="测试员", role="管理员")
    with transaction():
        add_residents(random.Random(2026), dt.date(2026, 11, 12), RESIDENTS)
    database.execute_sql("ANALYZE")
    yield database
    close_database()


def _plan(flt: residents.ResidentFilter, monkeypatch) -> tuple[list[int], str]:
    """The ids search_ids gives and the plan of the statement it ran (EXPLAIN under the same settings)."""
    ran = []
    execute = db_proxy.obj.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        if "resident_search" in sql and "SELECT" in sql and "set_config" not in sql:
            ran.append((sql, params))
        return execute(sql, params, *args, **kwargs)

    monkeypatch.setattr(db_proxy.obj, "execute_sql", spy)
    ids = residents.search_ids(flt, limit=300)
    monkeypatch.undo()
    [(sql, params)] = ran
    with search_costs():
        plan = "\n".join(row[0] for row in db_proxy.execute_sql("EXPLAIN " + sql, params).fetchall())
    return ids, plan


def test_a_fragment_is_found_through_the_trigram_index(registry, monkeypatch):
    wanted = db_proxy.execute_sql("SELECT id, phone FROM resident WHERE phone != '' ORDER BY id "
                                  "LIMIT 1 OFFSET 5000").fetchone()
    fragment = wanted[1][3:9]  # six digits from the middle of a phone number
    for flt in (residents.ResidentFilter(text=fragment),
                residents.ResidentFilter(text=fragment, community_id=1, sort_key="address")):
        ids, plan = _plan(flt, monkeypatch)
        assert wanted[0] in ids or len(ids) == 300
        assert "resident_search_text_trgm" in plan, plan


def test_the_first_page_is_the_same_as_the_whole_result_sorted(registry):
    """The pages are cut from the result in name order, as on SQLite (sort_key in code-point order, then id)."""
    whole = residents.search_ids(residents.ResidentFilter(text="wan"))
    first = residents.search_ids(residents.ResidentFilter(text="wan"), limit=300)
    assert len(whole) > 300 and first == whole[:300]
    keys = dict(db_proxy.execute_sql("SELECT resident_id, sort_key FROM resident_search").fetchall())
    assert whole == sorted(whole, key=lambda rid: (keys[rid].encode(), rid))


def _statements(monkeypatch, flt, limit):
    """The ids search_ids gives and how many statements it ran on resident_search."""
    ran = []
    execute = db_proxy.obj.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        if "FROM resident_search" in sql:
            ran.append(sql)
        return execute(sql, params, *args, **kwargs)

    monkeypatch.setattr(db_proxy.obj, "execute_sql", spy)
    ids = residents.search_ids(flt, limit=limit)
    monkeypatch.undo()
    return ids, len(ran)


@pytest.mark.parametrize("descending", [False, True])
def test_a_short_fragment_is_answered_from_the_first_keys_in_name_order_when_they_hold_enough(
        registry, monkeypatch, descending):
    """One or two characters (no trigram): the first keys in name order answer when they hold `limit` matches
    (one statement); else the scan answers (two). Either way the same ids as the scan alone gives."""
    common = residents.ResidentFilter(text="1", descending=descending)  # every ID number has a 1
    rare = residents.ResidentFilter(text=db_proxy.execute_sql(
        "SELECT name FROM resident ORDER BY name_pinyin DESC, id DESC LIMIT 1").fetchone()[0][:2],
        descending=descending)
    monkeypatch.setattr(residents, "WALK_KEYS", 0)  # the scan alone
    expected = {name: residents.search_ids(flt, limit=40) for name, flt in (("common", common), ("rare", rare))}
    monkeypatch.setattr(residents, "WALK_KEYS", 200)
    assert _statements(monkeypatch, common, 40) == (expected["common"], 1)
    assert len(expected["rare"]) < 40  # a name's two characters: a few residents, sorting late
    monkeypatch.setattr(residents, "WALK_KEYS", 200)
    assert _statements(monkeypatch, rare, 40) == (expected["rare"], 2)
