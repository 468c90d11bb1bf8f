"""Two PCs writing the same thing at the same moment on the server (issue 17: every check-then-insert reviewed
for two writers). Two real processes against the PostgreSQL test database (COMMUNITY_DESK_TEST_PG), started
together; skipped with the reason when it is not set. On SQLite the lock file lets one PC write at a time."""
from __future__ import annotations

import datetime as dt
import json
import sys

from community_desk.core import session
from community_desk.core.db import close_database, open_database
from community_desk.core.models import Resident, Volunteer
from community_desk.core.queries import communities, residents
from community_desk.core.rules.idcard import make_id

COUNT = 15

CHILD = r"""
import datetime as dt, json, sys
from community_desk.core import session
from community_desk.core.db import open_database
from community_desk.core.queries import residents, volunteers
from community_desk.core.rules.idcard import make_id
from community_desk.core.rules.resident import FormErrors

url, job, arg = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
open_database(url)
session.current = session.Session(user="录入员", role="管理员")
print("ready", flush=True)
sys.stdin.readline()
done, refused = [], []
for i, item in enumerate(arg["items"]):
    try:
        if job == "volunteer":
            done.append(volunteers.save({"resident_id": item, "kind": "老党员"}))
        else:
            number = make_id("110111", dt.date(1950, 1, 1) + dt.timedelta(days=item), 11)
            done.append(residents.save({"name": "王洋", "community_id": arg["community"], "id_number": number}))
    except FormErrors as exc:
        refused.append(next(iter(exc.errors.values())))
print(json.dumps({"done": done, "refused": refused}), flush=True)
"""


def _together(job: str, arg: dict) -> list[dict]:
    """Run the job in two processes released at the same moment; their results."""
    from tests.pg_engine import server_url

    close_database()
    from tests.together import released_together

    return released_together([[sys.executable, "-c", CHILD, server_url(), job, json.dumps(arg)]] * 2)


def _server() -> None:
    """The test database emptied, with one community, for this process (the children open their own)."""
    from tests.pg_engine import emptied_server_database

    emptied_server_database()  # skips with the reason when COMMUNITY_DESK_TEST_PG is not set
    session.current = session.Session(user="测试员", role="管理员")


def _reopen() -> None:
    from tests.pg_engine import server_url

    open_database(server_url())


def test_the_same_resident_made_a_volunteer_on_two_pcs_at_once_is_one_volunteer():
    _server()
    [cid] = communities.ensure_communities(["原乡小镇"])
    ids = [residents.save({"name": f"居民{i}", "community_id": cid}) for i in range(COUNT)]
    results = _together("volunteer", {"items": ids})
    assert sum(len(r["done"]) for r in results) == COUNT
    assert all("已登记为志愿者" in why for r in results for why in r["refused"])
    _reopen()
    try:
        assert sorted(v.resident_id for v in Volunteer.select()) == sorted(ids)
    finally:
        close_database()


def test_the_same_id_number_registered_on_two_pcs_at_once_is_one_resident():
    _server()
    [cid] = communities.ensure_communities(["原乡小镇"])
    results = _together("resident", {"items": list(range(COUNT)), "community": cid})
    assert sum(len(r["done"]) for r in results) == COUNT
    assert all("身份证号已登记给" in why for r in results for why in r["refused"])
    _reopen()
    try:
        numbers = [r.id_number for r in Resident.select()]
    finally:
        close_database()
    assert sorted(numbers) == sorted(make_id("110111", dt.date(1950, 1, 1) + dt.timedelta(days=i), 11)
                                     for i in range(COUNT))
