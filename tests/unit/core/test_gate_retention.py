"""Issue 14 item 21: gate entries (temperature, fever, ID number) are kept as long as quarantine records, under
the same setting, and anonymised by the same action."""
import datetime as dt

import pytest

from community_desk.core import session
from community_desk.core.db import db_proxy
from community_desk.core.dialect import is_postgres
from community_desk.core.models import AuditLog, GateEntry
from community_desk.core.queries import gate, retention
from community_desk.core.queries import settings as office_settings
from community_desk.core.rules.idcard import make_id

D = dt.date
TODAY = D(2026, 11, 28)


def _entry(name, when, seq, temperature="36.6"):
    return gate.save_entry({"name": name, "phone": "13700001111", "id_number": make_id("110111", D(1990, 2, 2), seq),
                            "temperature": temperature, "reason": "探望父母", "time_in": when})


@pytest.fixture
def entries(community):
    office_settings.put("retention_days", 180)
    old = _entry("王小洋", dt.datetime(2021, 8, 5, 9, 30), 1, "38.1")
    recent = _entry("李娜", dt.datetime(2026, 11, 1, 9, 30), 2)
    return old, recent


def test_old_gate_entries_are_candidates_under_the_quarantine_setting(entries):
    old, _recent = entries
    assert retention.gate_candidates(today=TODAY) == [old]
    office_settings.put("retention_days", 3650)
    assert retention.gate_candidates(today=TODAY) == []


def test_anonymise_reduces_old_gate_entries_and_keeps_recent_ones_and_the_counts(entries):
    old, recent = entries
    if not is_postgres():  # SQLite: old values are overwritten in the file (the server's storage is its own)
        assert db_proxy.execute_sql("PRAGMA secure_delete").fetchone()[0] == 1
    assert gate.day_counts(D(2021, 8, 5)) == (1, 1)
    retention.anonymise([], backup=False, today=TODAY)  # no case is due: the gate entries still are
    e = GateEntry.get_by_id(old)
    assert (e.name, e.phone, e.id_number, e.reason) == ("王某", "", None, "")
    assert e.fever and str(e.temperature) == "38.1" and e.time_in == dt.datetime(2021, 8, 5, 9, 30)
    assert gate.day_counts(D(2021, 8, 5)) == (1, 1)  # the day's figures are unchanged
    kept = GateEntry.get_by_id(recent)
    assert kept.name == "李娜" and kept.id_number and kept.phone == "13700001111"
    line = AuditLog.select().where((AuditLog.table == "gate_entry") & (AuditLog.record_id == old)).get()
    assert "王小洋" not in line.summary and line.changes == "{}"
    assert "李娜" in AuditLog.select().where((AuditLog.table == "gate_entry") & (AuditLog.record_id == recent)).get().summary
    assert AuditLog.select().where((AuditLog.action == "匿名化") & (AuditLog.table == "gate_entry")).exists()
    assert retention.gate_candidates(today=TODAY) == []  # not offered twice


def test_only_an_administrator_may_anonymise_gate_entries(entries):
    old, _recent = entries
    session.current = session.Session(user="李娜", role="工作人员")
    with pytest.raises(session.PermissionDenied):
        retention.anonymise([], backup=False, today=TODAY)
    with pytest.raises(session.PermissionDenied):
        retention.set_retention_days(30)
    assert GateEntry.get_by_id(old).name == "王小洋"
