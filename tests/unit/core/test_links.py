"""Links between modules: gate fever -> 自排 case, service-team volunteers and their cleaning hours,
a cleaning visit problem -> 我来办 request, and the backup before every quarantine import."""
import datetime as dt
import sqlite3
from decimal import Decimal

import pytest

from community_desk.app import main
from community_desk.core import session
from community_desk.core.backup import BackupError, list_backups
from community_desk.core.db import close_database, open_database
from community_desk.core.excel import ledger_import, ledger_preview
from community_desk.core.models import (
    AuditLog,
    GateEntry,
    QuarantineCase,
    ServiceRequest,
    ServiceTeam,
    TeamVolunteer,
    Visit,
)
from community_desk.core.models.links import LINK_MODELS
from community_desk.core.queries import (
    cleaning,
    cleaning_visits,
    communities,
    duty,
    gate,
    links,
    service_desk,
    volunteers,
)
from community_desk.core.rules import links as rules
from community_desk.core.rules.idcard import make_id
from community_desk.core.rules.text import ValidationError
from community_desk.core.startup import configured_backup_dir

from ..cleaning_data import small_round
from .test_quarantine_import import ledger, person

NOW = dt.datetime(2026, 11, 28, 8, 15)


def test_migration_9_matches_the_models(db):
    for model in LINK_MODELS:
        columns = {c.name for c in db.get_columns(model._meta.table_name)}
        assert columns == {f.column_name for f in model._meta.sorted_fields}
    columns = {c.name for c in db.get_columns("visit")}
    assert columns == {f.column_name for f in Visit._meta.sorted_fields}


# --- 1. gate fever -> 自排 case -----------------------------------------------------------------

def _gate(community):
    post = duty.save_post({"name": "东门"})
    normal = gate.save_entry({"post_id": post, "name": "快递员", "phone": "13800001111", "temperature": "36.5",
                              "checked_by": "张敏", "time_in": NOW})
    hot = gate.save_entry({"post_id": post, "name": "返京人员", "phone": "13800002222", "temperature": "37.8",
                           "id_number": make_id("420102", dt.date(1988, 5, 6), 7), "reason": "返京",
                           "checked_by": "张敏", "time_in": NOW})
    return normal, hot


def test_fever_case_values_name_the_checker_and_the_temperature():
    raw = rules.fever_case_raw({"name": "返京人员", "phone": "13800002222", "id_number": "", "post": "东门",
                                "temperature": Decimal("37.3"), "time_in": NOW, "reason": "返京", "checked_by": ""})
    assert raw["source"] == "自排" and raw["status"] == "待核实" and raw["start_date"] == NOW.date()
    assert raw["found_by"] == "东门门岗" and raw["found_how"] == "门岗测温 37.3℃（东门）"
    assert "2026-11-28 08:15 东门 体温 37.3℃，事由：返京" in raw["notes"]


def test_fever_entry_becomes_a_self_screened_case_once(community):
    normal, hot = _gate(community)
    assert [e["id"] for e in links.untaken_fever_entries()] == [hot] and links.untaken_fever_count() == 1
    case_id = links.fever_to_case(hot, today=NOW.date())
    case = QuarantineCase.get_by_id(case_id)
    assert (case.source, case.status, case.found_by) == ("自排", "待核实", "张敏")
    assert case.found_how == "门岗测温 37.8℃（东门）" and case.measure == rules.FEVER_MEASURE
    assert case.phone == "13800002222" and case.start_date == NOW.date() and case.id_number.startswith("420102")
    assert GateEntry.get_by_id(hot).case_ref == f"自排隔离#{case_id}"
    assert gate.load_rows([hot])[hot][-1] == f"发热（已转自排隔离#{case_id}）"
    assert links.untaken_fever_entries() == [] and links.untaken_fever_count() == 0
    with pytest.raises(ValidationError, match="已转为自排隔离"):
        links.fever_to_case(hot)
    with pytest.raises(ValidationError, match="体温正常"):
        links.fever_to_case(normal)
    assert QuarantineCase.select().count() == 1


def test_a_refused_case_leaves_the_entry_offered(community):
    _normal, hot = _gate(community)
    links.fever_to_case(hot, today=NOW.date())
    # the same person at the gate again while the first case is open: refused, nothing marked
    again = gate.save_entry({"name": "返京人员", "temperature": "38.1", "time_in": NOW,
                             "id_number": make_id("420102", dt.date(1988, 5, 6), 7)})
    with pytest.raises(ValidationError, match="已有在管记录"):
        links.fever_to_case(again, today=NOW.date())
    assert GateEntry.get_by_id(again).case_ref == "" and QuarantineCase.select().count() == 1


def test_read_only_user_cannot_take_up_a_fever_entry(community, monkeypatch):
    _normal, hot = _gate(community)
    monkeypatch.setattr(session, "current", session.Session(user="访客", role="只读"))
    with pytest.raises(session.PermissionDenied):
        links.fever_to_case(hot)
    assert GateEntry.get_by_id(hot).case_ref == ""


# --- 2. service-team volunteers and their hours ------------------------------------------------

def test_visit_hours_rule():
    assert rules.visit_minutes("09:00", "10:10") == 70
    assert rules.visit_minutes("", "10:10") == 120 and rules.visit_minutes("09:00", "") == 120  # default 2 h
    assert rules.visit_minutes("10:00", "09:00") == 120
    assert rules.minutes_to_hours(70) == Decimal("1.2")


def _done_visits(community):
    """Two visits by the round's one team: one 09:00-10:10, one done without times."""
    d = small_round(community)
    cleaning.add_eligible(d["round"])
    for rid in (d["wang"], d["zhao"], d["qian"]):
        cleaning.save_survey(d["round"], rid, {"contact_method": "上门", "result": "需要", "windows": "4"})
    cleaning_visits.run_auto_schedule(d["round"])
    v1 = Visit.get(Visit.resident == d["wang"]).id
    v2 = Visit.get(Visit.resident == d["zhao"]).id
    cleaning_visits.record_visit(v1, {"done": True, "started_at": "9:00", "finished_at": "10:10",
                                      "problems": "北卧窗户玻璃有裂纹"})
    cleaning_visits.record_visit(v2, {"done": True})
    return d, v1, v2


def test_team_volunteers_get_the_hours_of_done_visits(community):
    d, _v1, _v2 = _done_visits(community)
    team_id = d["teams"][0]
    vt = volunteers.ensure_team("大爱原香", community)
    a = volunteers.save({"name": "李娜", "team_id": vt, "availability": "1" * 21})
    b = volunteers.save({"name": "王强", "team_id": vt, "availability": "1" * 21})
    c = volunteers.save({"name": "赵敏", "team_id": vt, "availability": "1" * 21})
    links.save_team({**cleaning.get_team(team_id)}, team_id, [a, b])
    assert [name for _id, name in links.team_volunteers(team_id)] == ["李娜", "王强"]
    assert cleaning.get_team(team_id)["members"] == "刘强、陈静"  # staff text kept
    # 70 min + default 120 min (the second visit has no times); the undone third visit counts nothing
    assert volunteers.hours_by_source([a])[a]["擦玻璃服务"] == Decimal("3.2")
    assert volunteers.hours_for([a, b, c]) == {a: Decimal("3.2"), b: Decimal("3.2"), c: Decimal("0")}
    links.set_team_volunteers(team_id, [b, c])
    assert TeamVolunteer.select().count() == 2
    assert volunteers.hours_for([a, b, c]) == {a: Decimal("0"), b: Decimal("3.2"), c: Decimal("3.2")}
    log = AuditLog.select().where(AuditLog.table == "service_team").order_by(AuditLog.id.desc()).first()
    assert "加入：赵敏" in log.summary and "退出：李娜" in log.summary
    volunteers.delete([c])  # a deleted volunteer leaves the team
    assert links.team_volunteers(team_id) == [(b, "王强")]
    with pytest.raises(ValidationError, match="已不在志愿者名册"):
        links.set_team_volunteers(team_id, [c])


# --- 3. cleaning visit problem -> 我来办 request -------------------------------------------------

def test_visit_problem_becomes_a_repair_request_once(community):
    d, v1, v2 = _done_visits(community)
    number = links.visit_to_request(v1, now=NOW)
    request = ServiceRequest.get(ServiceRequest.number == number)
    assert (request.type, request.category.name, request.channel) == ("诉求", "维修", "来访")
    assert request.resident_id == d["wang"] and request.contact_name == "王大洋" and request.status == "待受理"
    assert request.description.startswith("擦玻璃服务上门时发现：北卧窗户玻璃有裂纹（2026年11月擦玻璃服务，")
    assert request.address == Visit.get_by_id(v1).address
    assert links.visit_request_number(v1) == number and service_desk.get(request.id)["number"] == number
    with pytest.raises(ValidationError, match=f"已转我来办工单 {number}"):
        links.visit_to_request(v1, now=NOW)
    with pytest.raises(ValidationError, match="写明问题"):
        links.visit_to_request(v2, now=NOW)
    # the text in the open form (not saved yet) is what is sent
    second = links.visit_to_request(v2, "纱窗破损", now=NOW)
    assert "纱窗破损" in ServiceRequest.get(ServiceRequest.number == second).description
    assert ServiceRequest.select().count() == 2


# --- 4. backup before import --------------------------------------------------------------------

def _import_backups(db_path):
    return [b for b in list_backups(configured_backup_dir(db_path)) if b.reason == "import"]


def test_import_ledger_command_backs_up_before_writing_and_not_on_a_dry_run(tmp_path, capsys):
    db_path = tmp_path / "desk.db"
    open_database(db_path)
    communities.ensure_communities(["原乡小镇"])
    close_database()
    path = ledger(tmp_path / "a.xlsx", [person(1), person(2, name="李娜")])
    assert main(["--db", str(db_path), "import-ledger", str(path), "--dry-run"]) == 0
    assert "预览（未写入）" in capsys.readouterr().out
    assert _import_backups(db_path) == []
    assert main(["--db", str(db_path), "import-ledger", str(path)]) == 0
    assert "已导入" in capsys.readouterr().out
    [taken] = _import_backups(db_path)
    assert taken.reason_label == "导入前"
    with sqlite3.connect(taken.path) as conn:  # the backup is the database as it was before the import
        assert conn.execute("SELECT COUNT(*) FROM quarantine_case").fetchone()[0] == 0
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM quarantine_case").fetchone()[0] == 2


@pytest.mark.sqlite_only  # the backup of the database file before an import
def test_commit_from_the_preview_dialog_path_backs_up_and_refuses_without_a_backup(db, community, db_path,
                                                                                   tmp_path, monkeypatch):
    result = ledger_preview.preview(ledger(tmp_path / "a.xlsx", [person(1)]))
    assert _import_backups(db_path) == []  # the preview takes none

    def no_space(*_a, **_k):
        raise BackupError("备份失败：磁盘已满")

    monkeypatch.setattr(ledger_import, "backup_now", no_space)
    with pytest.raises(ValidationError, match="导入前备份失败，未导入任何数据"):
        ledger_import.commit(result)
    assert QuarantineCase.select().count() == 0
    monkeypatch.undo()
    ledger_import.commit(result)
    assert len(_import_backups(db_path)) == 1 and QuarantineCase.select().count() == 1


def test_demo_links_volunteers_to_teams_and_a_problem_to_a_request(db):
    from community_desk.core import demo

    demo.load_demo_data(residents=400, today=dt.date(2026, 11, 20))
    linked = [t.volunteer_id for t in TeamVolunteer.select()]
    assert len(linked) == 3 * ServiceTeam.select().count() > 0
    assert all(h.get("擦玻璃服务") for h in volunteers.hours_by_source(linked).values())
    [visit] = Visit.select().where(Visit.request_number != "")
    assert ServiceRequest.get(ServiceRequest.number == visit.request_number).resident_id == visit.resident_id
