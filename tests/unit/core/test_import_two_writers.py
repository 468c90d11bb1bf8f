"""Two PCs importing the dispatched list at the same moment leave one open case per ID number (issue 17). Two real
processes against the PostgreSQL test database: each reads the list first (both find nobody), then both commit at
once. The import waits for the other writer (dialect.one_writer_at_a_time) and reads the cases again after the
wait: the same file is imported once, another file naming the same people updates them.

It runs in the PostgreSQL pass (DESK_TEST_ENGINE=postgres, the `db` fixture's server database) and skips with the
reason when COMMUNITY_DESK_TEST_PG is not set. On SQLite the lock file lets one PC write at a time."""
from __future__ import annotations

import datetime as dt
import json
import os
import sys

import pytest
from openpyxl import Workbook

from community_desk.core.db import close_database
from community_desk.core.models import PushBatch, QuarantineCase, db_proxy
from community_desk.core.queries import quarantine as q
from community_desk.core.rules.idcard import make_id

pytestmark = pytest.mark.skipif(os.environ.get("DESK_TEST_ENGINE", "sqlite") != "postgres",
                                reason="two writers at once need the server: runs in the PostgreSQL pass "
                                       "(DESK_TEST_ENGINE=postgres); on SQLite the lock file lets one PC write")

PEOPLE = 40
HEADER = ["序号", "姓名", "身份证号码", "手机号", "现居住地址", "所属社区", "来京日期", "出发地", "管控措施"]

CHILD = r"""
import json, sys
from community_desk.core import session
from community_desk.core.db import open_database
from community_desk.core.excel import ledger_import, ledger_preview
from community_desk.core.rules.text import ValidationError

url, path, user = sys.argv[1], sys.argv[2], sys.argv[3]
open_database(url)
session.current = session.Session(user=user, role="管理员")
if path.endswith(".json"):  # a colleague registering people by hand (the case form), one save each
    people = json.load(open(path, encoding="utf-8"))
    print(json.dumps({"ready": len(people)}), flush=True)
    sys.stdin.readline()
    from community_desk.core.queries import quarantine
    from community_desk.core.rules.resident import FormErrors
    done = refused = 0
    for raw in people:
        try:
            quarantine.create_case(raw)
            done += 1
        except FormErrors:  # 该身份证号已有在管记录: the import registered them first
            refused += 1
    print(json.dumps({"registered": done, "refused": refused}), flush=True)
    sys.exit(0)
result = ledger_preview.preview(path)  # both PCs read the list before either writes
print(json.dumps({"ready": len(result.new)}), flush=True)
sys.stdin.readline()  # go: both commit at once
try:
    print(json.dumps(ledger_import.commit(result)), flush=True)
except ValidationError as exc:
    print(json.dumps({"refused": exc.message}), flush=True)
"""


def _pid(seq: int) -> str:
    return make_id("110111", dt.date(1980, 1, 1), seq)


def _workbook(path, phone: str):
    wb = Workbook()
    ws = wb.active
    ws.title = "返京人员"
    ws.append(["推送单位：房山区疫情防控办  推送日期：2021年8月5日"])
    ws.append(HEADER)
    for seq in range(1, PEOPLE + 1):
        ws.append([seq, f"王{seq}", _pid(seq), phone, f"原乡小镇{seq % 9 + 1}号楼2单元501", "原乡小镇",
                   dt.date(2021, 8, 1), "云南省瑞丽市", "居家隔离"])
    wb.save(path)
    return path


def _import_at_once(paths) -> list[dict]:
    from tests.pg_engine import server_url

    url = server_url()
    close_database()  # the children write; this process only looks afterwards
    from tests.together import released_together

    def ready(line: str) -> None:
        assert line.startswith('{"ready"'), line
        assert json.loads(line)["ready"] == PEOPLE  # each preview found everybody new (or: people to enter)

    return released_together([[sys.executable, "-c", CHILD, url, str(path), f"工作人员{i}"]
                              for i, path in enumerate(paths)], timeout=180, ready=ready)


def _one_open_case_per_id_number():
    doubled = db_proxy.execute_sql("SELECT id_number, COUNT(*) FROM quarantine_case GROUP BY id_number "
                                   "HAVING COUNT(*) > 1").fetchall()
    assert doubled == []
    assert QuarantineCase.select().count() == PEOPLE


def test_the_same_list_imported_on_two_pcs_at_once_is_imported_once(db, community, tmp_path):
    path = _workbook(tmp_path / "返京人员推送表.xlsx", "13800138000")
    results = _import_at_once([path, path])
    done = [r for r in results if "new" in r]
    refused = [r for r in results if "refused" in r]
    assert len(done) == 1 and done[0]["new"] == PEOPLE, results
    assert len(refused) == 1 and "导入过" in refused[0]["refused"], results
    _one_open_case_per_id_number()
    assert PushBatch.select().count() == 1


def test_two_lists_naming_the_same_people_at_once_update_instead_of_doubling(db, community, tmp_path):
    first = _workbook(tmp_path / "a.xlsx", "13800138000")
    second = _workbook(tmp_path / "b.xlsx", "13911112222")
    results = _import_at_once([first, second])
    assert sorted(r["new"] for r in results) == [0, PEOPLE], results  # the later one found them registered
    later = next(r for r in results if r["new"] == 0)
    assert later["updated"] + later["unchanged"] + later["conflicts"] >= 1
    _one_open_case_per_id_number()
    assert PushBatch.select().count() == 2
    # the ids came from the sequence: a case registered by hand afterwards does not collide with them
    new_id = q.create_case({"name": "张强", "id_number": _pid(PEOPLE + 1), "phone": "13800138000",
                            "address": "3号楼501", "measure": "居家隔离", "start_date": "2021-08-05"},
                           today=dt.date(2021, 8, 5))
    assert new_id == max(c.id for c in QuarantineCase.select(QuarantineCase.id))


def test_a_list_imported_while_a_colleague_registers_the_same_people_by_hand(db, community, tmp_path):
    listed = _workbook(tmp_path / "a.xlsx", "13800138000")
    by_hand = tmp_path / "by_hand.json"
    by_hand.write_text(json.dumps([{"name": f"王{seq}", "id_number": _pid(seq), "phone": "13911112222",
                                    "address": "3号楼501", "measure": "居家隔离", "start_date": "2021-08-05"}
                                   for seq in range(PEOPLE, 0, -1)], ensure_ascii=False), encoding="utf-8")
    imported, registered = _import_at_once([listed, by_hand])
    assert registered["registered"] + registered["refused"] == PEOPLE, (imported, registered)
    assert imported["new"] + registered["registered"] == PEOPLE, (imported, registered)  # each person once
    _one_open_case_per_id_number()
