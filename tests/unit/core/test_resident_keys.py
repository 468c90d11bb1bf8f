"""The registry's search keys in memory (core/queries/resident_keys.py, issue 19) answer exactly as SQL does: the
same ids in the same order, for every kind of fragment, both directions, with and without a limit. Runs on both
engines (DESK_TEST_ENGINE=postgres: the throwaway server)."""
from __future__ import annotations

import datetime as dt
import random

from community_desk.core.db import transaction
from community_desk.core.demo.residents import add as add_residents
from community_desk.core.models import db_proxy
from community_desk.core.queries import residents
from community_desk.core.queries.resident_keys import SearchKeys

RESIDENTS = 1500


def _fragments(rng: random.Random) -> list[str]:
    """What people type: initials, pinyin, pieces of ID numbers, phones, names and addresses, a mix of kinds,
    folded or not as typed, and fragments nobody has."""
    rows = db_proxy.execute_sql("SELECT name, name_initials, name_pinyin, id_number, phone, address FROM resident "
                                "ORDER BY id").fetchall()
    picked = rng.sample(rows, 25)
    out = ["w", "x", "1", "9", "号", "wq", "zh", "13", "19", "郭", "单元", "3号楼", "1单元5", "qzz", "zzzz", "0000000",
           "王 洋", "WY", "１３８", "138-0", "(", "_", "%", "*", "?", "[", "9x", "x1", "1x", "号楼3", "a1"]
    for name, initials, pinyin, id_number, phone, address in picked:
        out += [initials, initials[:2], pinyin[:4], id_number[6:12], id_number[-4:], phone[3:8], name, name[-1:],
                address[:4] if address else "楼"]
    return [fragment for fragment in out if fragment]


def test_the_keys_find_what_sql_finds(community):
    rng = random.Random(19)
    with transaction():
        add_residents(rng, dt.date(2026, 12, 6), RESIDENTS)
    keys = SearchKeys.load()
    assert len(keys) == db_proxy.execute_sql("SELECT COUNT(*) FROM resident").fetchone()[0] >= RESIDENTS
    checked = 0
    for fragment in _fragments(rng):
        for descending in (False, True):
            flt = residents.ResidentFilter(text=fragment, descending=descending)
            for limit in (300, 7, None):
                expected = residents.search_ids(flt, limit=limit)
                assert keys.find(fragment, limit, descending) == expected, (fragment, descending, limit)
                assert residents.search_ids(flt, limit=limit, keys=keys) == expected
                checked += bool(expected)
    assert checked > 300  # most fragments found somebody: the comparison was not of empty lists


def test_the_keys_are_looked_in_only_for_a_text_alone_in_name_order(community, monkeypatch):
    with transaction():
        add_residents(random.Random(7), dt.date(2026, 12, 6), 200)
    keys = SearchKeys.load()
    asked = []
    monkeypatch.setattr(keys, "find", lambda *args: asked.append(args) or [])
    residents.search_ids(residents.ResidentFilter(text="w"), limit=300, keys=keys)
    assert len(asked) == 1
    for flt in (residents.ResidentFilter(text="w", community_id=community),
                residents.ResidentFilter(text="w", sort_key="age"), residents.ResidentFilter()):
        assert residents.search_ids(flt, limit=300, keys=keys) == residents.search_ids(flt, limit=300)
    within = residents.search_ids(residents.ResidentFilter(text="w"))
    narrowed = residents.ResidentFilter(text="wa")
    assert residents.search_ids(narrowed, within=within, keys=keys) == residents.search_ids(narrowed)
    assert len(asked) == 1  # another filter, another order, no text, or a narrowed search: SQL answered


def test_keys_read_before_a_change_do_not_know_of_it(community):
    """Why a page drops its keys on every change (gui/windows/residents/window.py)."""
    keys = SearchKeys.load()
    residents.save({"name": "欧阳娜娜", "community_id": community, "building": "3", "unit": "2", "room": "501"})
    assert keys.find("oyn") == []
    assert SearchKeys.load().find("oyn") == residents.search_ids(residents.ResidentFilter(text="oyn")) != []
