"""Retention: released cases older than the period are anonymised in one reviewed action, counts kept."""
import datetime as dt
import json

import pytest

from community_desk.core import backup, session, startup
from community_desk.core.db import database_path, server_url
from community_desk.core.models import AuditLog, NucleicTest, QuarantineCase, SpecialNeed
from community_desk.core.queries import quarantine as q
from community_desk.core.queries import quarantine_items as items
from community_desk.core.queries import retention
from community_desk.core.queries import settings as office_settings
from community_desk.core.rules.idcard import make_id

D = dt.date
START = D(2021, 8, 5)


def _case(name, seq):
    raw = {"name": name, "id_number": make_id("110111", D(1980, 1, 1), seq), "phone": "138-0013-8000",
           "address": "3号楼2单元501", "building": "3号楼", "source": "市派", "classification": "密切接触者",
           "measure": "居家隔离", "start_date": START.isoformat(), "notes": "对青霉素过敏"}
    return q.create_case(raw, today=START)


@pytest.fixture
def cases(community):
    old = _case("王小洋", 1)
    items.add_need(old, "就医", "晚期肺癌，每周到医院复查", START + dt.timedelta(days=4))
    q.release(old, "提前解除", D(2021, 8, 10), approved_by="王主任")
    recent = _case("李娜", 2)
    q.release(recent, "提前解除", D(2026, 11, 1), approved_by="王主任")
    open_case = _case("赵敏", 3)
    return old, recent, open_case


def test_only_closed_cases_past_the_period_are_candidates(cases):
    old, recent, open_case = cases
    office_settings.put("retention_days", 180)
    found = retention.candidates(today=D(2026, 11, 28))
    assert [c.case_id for c in found] == [old]
    assert found[0].name == "王小洋"


def _backup_folder(tmp_path):
    """Where anonymise's backup goes: beside the file; on the server, the backup folder set (a pg_dump there)."""
    if server_url() is None:
        return startup.configured_backup_dir(database_path())
    office_settings.put("backup_dir", str(tmp_path / "server-backups"))
    return tmp_path / "server-backups"


def test_anonymise_removes_personal_data_and_keeps_the_counts(cases, tmp_path):
    old, recent, open_case = cases
    folder = _backup_folder(tmp_path)
    tests_before = NucleicTest.select().where(NucleicTest.case == old).count()
    assert retention.anonymise([old, recent, open_case]) == 1  # only the reviewed, eligible case
    case = QuarantineCase.get_by_id(old)
    assert (case.name, case.id_number, case.phone, case.notes) == ("王某", None, "", "")
    assert case.address in ("3号楼", "") and case.anonymised_at is not None
    assert (case.classification, case.measure, case.status, case.start_date) == ("密切接触者", "居家隔离", "已解除", START)
    assert NucleicTest.select().where(NucleicTest.case == old).count() == tests_before
    assert SpecialNeed.get(SpecialNeed.case == old).content == "（已匿名化）"
    for entry in AuditLog.select().where((AuditLog.table == "quarantine_case") & (AuditLog.record_id == old)):
        assert "王小洋" not in entry.summary and json.loads(entry.changes) == {}
    assert QuarantineCase.get_by_id(open_case).name == "赵敏"  # untouched
    assert AuditLog.select().where(AuditLog.action == "匿名化").count() == 1
    assert [b.reason for b in backup.list_backups(folder)] == ["anonymise"]
    assert retention.candidates(today=D(2026, 11, 28)) == []  # not offered twice


def test_only_an_administrator_may_anonymise(cases):
    old, _recent, _open = cases
    session.current = session.Session("工作人员甲", "工作人员")
    with pytest.raises(session.PermissionDenied):
        retention.anonymise([old])
    assert QuarantineCase.get_by_id(old).name == "王小洋"
