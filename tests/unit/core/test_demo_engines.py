"""The demo data on PostgreSQL is the same rows as on a SQLite file (ids, order, numbers), and the server's id
sequences are ahead of the rows it wrote with explicit ids: the next saves get fresh ids (issue 17). Runs against
the PostgreSQL test database (COMMUNITY_DESK_TEST_PG) and skips with the reason when it is not set."""
from __future__ import annotations

import datetime as dt

from peewee import DateTimeField

from community_desk.core import demo, session, vocabulary
from community_desk.core.db import close_database, model_classes, open_database
from community_desk.core.models import Community
from community_desk.core.queries import residents, service_desk

TODAY = dt.date(2026, 11, 12)


def _rows() -> dict[str, list[tuple]]:
    """Every model's rows in id order, without the clock's columns (created_at, imported_at, the audit's time)."""
    out = {}
    for model in model_classes():
        fields = [f for f in model._meta.sorted_fields if not isinstance(f, DateTimeField)]
        order = model._meta.primary_key if model._meta.primary_key else fields[0]
        out[model._meta.table_name] = list(model.select(*fields).order_by(order).tuples())
    return out


def _load() -> dict[str, list[tuple]]:
    session.current = session.Session(user="测试", role=vocabulary.ROLE_ADMIN)
    demo.load_demo_data(residents=300, today=TODAY)
    return _rows()


def _after_the_demo() -> tuple[int, str]:
    """What the next saves get: a resident's id, a request's number."""
    cid = Community.select().order_by(Community.id).first().id
    rid = residents.save({"name": "新来的", "community_id": cid, "building": "99号楼", "household_number": "新户-1",
                          "tags": ["老年人"]})
    category = service_desk.list_categories()[0][0]
    request = service_desk.take_in({"contact_name": "王秀英", "category_id": category, "description": "测试",
                                    "received_at": dt.datetime(TODAY.year, TODAY.month, TODAY.day, 9, 0)})
    return rid, service_desk.get(request)["number"]


def test_demo_data_is_the_same_on_both_engines_and_the_next_ids_are_free(tmp_path):
    from tests.pg_engine import emptied_server_database

    open_database(tmp_path / "demo.db")
    try:
        on_file = _load()
        next_on_file = _after_the_demo()
    finally:
        close_database()
    emptied_server_database()  # skips with the reason when COMMUNITY_DESK_TEST_PG is not set
    try:
        on_server = _load()
        next_on_server = _after_the_demo()
    finally:
        close_database()
    assert sum(len(rows) for rows in on_file.values()) > 2000
    for table, rows in on_file.items():
        assert on_server[table] == rows, table
    assert next_on_server == next_on_file
    assert next_on_file[0] == len(on_file["resident"]) + 1
