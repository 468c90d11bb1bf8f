"""Cleaning service queries on a real database: members, surveys, auto-schedule, visits, figures."""
from __future__ import annotations

import datetime as dt

import pytest

from community_desk.core.models import AuditLog, Visit
from community_desk.core.queries import cleaning, cleaning_visits
from community_desk.core.rules.resident import FormErrors
from community_desk.core.rules.text import ValidationError
from tests.unit.cleaning_data import END, START, person, small_round


def _survey(rnd, rid, **extra):
    raw = {"contact_method": "上门", "result": "需要", "windows": "4", **extra}
    return cleaning.save_survey(rnd, rid, raw)


def test_eligible_members_with_reasons_and_hand_added(community):
    d = small_round(community)
    added = cleaning.add_eligible(d["round"])
    assert added == 5
    rows = cleaning.load_member_rows(cleaning.member_ids(d["round"]))
    reasons = {row[0]: row[7] for row in rows.values()}
    assert reasons["王大洋"] == "86岁老人"
    assert reasons["赵建国"] == "残疾人（听力）"
    assert reasons["钱淑珍"] == "住6层"
    assert reasons["孙德福"] == "独居老人"
    assert "周子轩" not in reasons
    assert cleaning.add_eligible(d["round"]) == 0  # nobody twice
    with pytest.raises(ValidationError, match="原因"):
        cleaning.add_member(d["round"], d["young"], " ")
    cleaning.add_member(d["round"], d["young"], "腿骨折，家属申请")
    rows = cleaning.load_member_rows(cleaning.member_ids(d["round"]))
    assert ("周子轩", "手动添加") in {(r[0], r[8]) for r in rows.values()}
    # households: the couple is one household
    assert len(cleaning.household_ids(d["round"])) == 5
    assert cleaning.load_round_rows([d["round"]])[d["round"]][4] == 5


def test_survey_per_household_and_phone_refused_for_deaf(community):
    d = small_round(community)
    cleaning.add_eligible(d["round"])
    form = cleaning.get_survey_form(d["round"], d["zhao"])
    assert form["contact_method"] == "上门" and "听力残疾" in form["phone_forbidden"]
    with pytest.raises(FormErrors) as err:
        cleaning.save_survey(d["round"], d["zhao"], {"contact_method": "电话", "result": "需要", "windows": "3"})
    assert "听力残疾，不能电话联系" in err.value.errors["contact_method"]
    sid = _survey(d["round"], d["wang"], preferred_dates="11-17", preferred_slot="上午", notes="家有小狗")
    # the wife belongs to the same household: her survey is the same row
    assert cleaning.get_survey_form(d["round"], d["wang_wife"])["survey_id"] == sid
    rows = cleaning.load_household_rows(d["round"], [d["wang"]])
    assert rows[d["wang"]][2] == "王大洋等2人" and rows[d["wang"]][6] == "11月17日"
    assert cleaning.household_ids(d["round"], "未统计") == sorted(
        [d["zhao"], d["qian"], d["sun"]], key=lambda i: cleaning.load_household_rows(d["round"], [i])[i][0])


def test_auto_schedule_places_or_explains_everyone(community):
    d = small_round(community, capacity=1)
    cleaning.add_eligible(d["round"])
    _survey(d["round"], d["wang"], preferred_dates="11-16", preferred_slot="上午")
    _survey(d["round"], d["zhao"], preferred_dates="11-16", preferred_slot="上午")
    _survey(d["round"], d["qian"], result="不需要", windows="")
    report = cleaning_visits.run_auto_schedule(d["round"])
    assert report.placed == 1
    reasons = {name: reason for _addr, name, reason in report.unplaced}
    assert set(reasons) == {"赵建国", "钱淑珍", "孙德福"} or set(reasons) == {"王大洋", "钱淑珍", "孙德福"}
    assert any("各服务队均已排满" in r for r in reasons.values())
    assert reasons["钱淑珍"] == "统计结果为不需要" and reasons["孙德福"] == "尚未前期统计"
    visits = list(Visit.select())
    assert len(visits) == 1 and visits[0].date == START and visits[0].slot == "上午"
    assert "（1层）" in visits[0].address or "（3层）" in visits[0].address
    # a second run keeps the existing visit and does not double-book
    again = cleaning_visits.run_auto_schedule(d["round"])
    assert again.placed == 0 and again.already == 1 and Visit.select().count() == 1


def test_move_visit_checks_capacity_and_dates(community):
    d = small_round(community, capacity=1, teams=2)
    cleaning.add_eligible(d["round"])
    _survey(d["round"], d["wang"], preferred_dates="11-16", preferred_slot="上午")
    _survey(d["round"], d["sun"], preferred_dates="11-16", preferred_slot="上午")
    cleaning_visits.run_auto_schedule(d["round"])
    v1, v2 = cleaning_visits.visit_ids(d["round"])
    team1 = cleaning_visits.get_visit(v1)["team_id"]
    with pytest.raises(ValidationError, match="达到每队每时段上限"):
        cleaning_visits.move_visit(v2, {"date": "2026-11-16", "slot": "上午", "team_id": team1})
    with pytest.raises(FormErrors) as err:
        cleaning_visits.move_visit(v2, {"date": "2026-11-30", "slot": "上午", "team_id": team1})
    assert "本批次" in err.value.errors["date"]
    cleaning_visits.move_visit(v2, {"date": "2026-11-18", "slot": "下午", "team_id": team1})
    moved = cleaning_visits.get_visit(v2)
    assert (moved["date"], moved["slot"], moved["team_id"]) == (END, "下午", team1)


def test_visit_completion_and_follow_up(community):
    d = small_round(community)
    cleaning.add_eligible(d["round"])
    _survey(d["round"], d["wang"], windows="6")
    _survey(d["round"], d["zhao"], windows="3")
    cleaning_visits.run_auto_schedule(d["round"])
    v_wang = Visit.get(Visit.resident == d["wang"]).id
    with pytest.raises(FormErrors):
        cleaning_visits.record_visit(v_wang, {"done": False, "satisfaction": "满意"})
    cleaning_visits.record_visit(v_wang, {
        "done": True, "slippers": True, "glass": True, "screens": True, "sills": True, "railings": False,
        "started_at": "9:00", "finished_at": "10:10", "windows_cleaned": "6", "problems": "北卧窗户把手坏了",
        "satisfaction": "满意", "feedback": "小伙子们很细心", "followed_up_on": "2026-11-20"})
    stored = cleaning_visits.get_visit(v_wang)
    assert stored["done"] and stored["glass"] and not stored["railings"]
    assert stored["followed_up_on"] == dt.date(2026, 11, 20) and stored["problems"] == "北卧窗户把手坏了"
    v_zhao = Visit.get(Visit.resident == d["zhao"]).id
    cleaning_visits.record_visit(v_zhao, {"done": True, "glass": True, "windows_cleaned": "3"})
    assert cleaning_visits.visit_ids(d["round"], state="待回访") == [v_zhao]
    assert cleaning_visits.visit_ids(d["round"], state="已回访") == [v_wang]
    assert cleaning_visits.visit_ids(d["round"], state="未完成") == []
    cleaning_visits.record_visit(v_zhao, {"done": False})
    stats = cleaning_visits.round_stats(d["round"])
    assert stats["served"] == 1 and stats["windows"] == 6 and stats["satisfaction"]["满意"] == 1
    assert stats["scheduled"] == 2 and stats["households"] == 4
    assert AuditLog.select().where(AuditLog.summary.contains("回访满意")).exists()
    # a done visit cannot be cancelled; a changed mind cancels an open visit
    with pytest.raises(ValidationError):
        cleaning_visits.cancel_visit(v_wang)
    cleaning.save_survey(d["round"], d["zhao"], {"contact_method": "短信", "result": "改期"})
    assert not Visit.select().where(Visit.resident == d["zhao"]).exists()


def test_roster_sections_notes_for_deaf(community):
    d = small_round(community, teams=2)
    cleaning.add_eligible(d["round"])
    _survey(d["round"], d["zhao"], preferred_dates="11-17", notes="钥匙在邻居家")
    _survey(d["round"], d["sun"], preferred_dates="11-17")
    person(community, "吴文", 90, "401", tags=["老年人"])
    cleaning_visits.run_auto_schedule(d["round"])
    sections = cleaning_visits.roster(d["round"], day=dt.date(2026, 11, 17))
    rows = [row for s in sections for row in s.rows]
    assert len(rows) == 2
    deaf = next(r for r in rows if r[3] == "赵建国")
    assert deaf[6] == "勿打电话，请敲门；钥匙在邻居家" and deaf[4] == "上门"
    assert cleaning_visits.roster(d["round"], day=START) == []


def test_round_form_errors_and_delete(community):
    with pytest.raises(FormErrors) as err:
        cleaning.save_round({"name": "", "start_date": "2026-11-20", "end_date": "2026-11-10"})
    assert set(err.value.errors) == {"name", "end_date"}
    d = small_round(community)
    cleaning.add_eligible(d["round"])
    _survey(d["round"], d["wang"], preferred_dates="11-18")
    cleaning_visits.run_auto_schedule(d["round"])
    with pytest.raises(FormErrors, match="新日期范围之外"):
        cleaning.save_round({"name": "x", "start_date": "2026-11-16", "end_date": "2026-11-17",
                             "team_ids": d["teams"]}, d["round"])
    cleaning.delete_round(d["round"])
    assert cleaning.round_ids() == []
