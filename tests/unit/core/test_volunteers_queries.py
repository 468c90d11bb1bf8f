"""Volunteer, duty, gate-entry, training and event queries against a real database file."""
import datetime as dt
from decimal import Decimal

import pytest

from community_desk.core import session
from community_desk.core.models import AuditLog, DutyShift, GateEntry, ShiftVolunteer
from community_desk.core.models.volunteers import VOLUNTEER_MODELS
from community_desk.core.queries import duty, events, gate, residents, volunteers
from community_desk.core.rules.idcard import make_id
from community_desk.core.rules.resident import FormErrors
from community_desk.core.rules.text import ValidationError
from community_desk.core.rules.volunteers import availability_code, parse_temperature

MONDAY = dt.date(2021, 8, 16)
ALL_WEEK = "1" * 21


@pytest.fixture
def team(community):
    volunteers.set_staff_names(["张敏", "李强", "王芳"])
    return volunteers.ensure_team("大爱原香", community)


def add_volunteer(team, name, kind="普通居民", availability=ALL_WEEK, **extra):
    return volunteers.save({"name": name, "kind": kind, "team_id": team, "availability": availability, **extra})


def test_migration_matches_the_models(db):
    """The frozen SQL of migration 6 has every column the models have."""
    for model in VOLUNTEER_MODELS:
        table = model._meta.table_name
        columns = {c.name for c in db.get_columns(table)}
        assert columns == {f.column_name for f in model._meta.sorted_fields}, table


def test_a_resident_volunteer_takes_name_and_phone_from_the_registry(community, team):
    rid = residents.save({"name": "王洋", "community_id": community, "phone": "13812345678", "building": "3",
                          "unit": "2", "room": "501", "id_number": make_id("110111", dt.date(1950, 1, 2), 11)})
    vid = volunteers.save({"resident_id": rid, "kind": "老党员", "team_id": team, "availability": ALL_WEEK,
                           "joined_on": "2020-02-01"})
    row = volunteers.load_rows([vid])[vid]
    assert row[:5] == ("王洋", "老党员", "大爱原香", "13812345678", "原乡小镇 3号楼2单元501")
    assert row[-1] == "0.0"
    with pytest.raises(FormErrors, match="已登记为志愿者"):
        volunteers.save({"resident_id": rid, "kind": "老党员"})
    outsider = volunteers.save({"name": "赵六", "phone": "13900001111", "kind": "其他"})
    assert volunteers.load_rows([outsider])[outsider][4] == "（非本社区居民）"
    assert volunteers.search_ids(volunteers.VolunteerFilter(text="wy")) == [vid]
    assert volunteers.search_ids(volunteers.VolunteerFilter(kind="其他")) == [outsider]


def test_volunteer_form_errors_are_specific(team):
    with pytest.raises(FormErrors) as info:
        volunteers.save({"name": "", "phone": "123", "kind": "党员"})
    errors = info.value.errors
    assert "请填写姓名" in errors["name"] and "手机号" in errors["phone"] and "老党员" in errors["kind"]


def test_hours_are_summed_from_attended_shifts_events_and_registered_sources(team, monkeypatch):
    a = add_volunteer(team, "李娜")
    b = add_volunteer(team, "王强")
    post = duty.save_post({"name": "东门", "min_volunteers": 2, "parts": "上午下午"})
    plan = duty.build_roster(MONDAY)
    assert plan.gaps == [] and len(plan.shifts) == 14
    grid = duty.week_grid(MONDAY)[1]
    first, second = grid[(post, "上午", 0)], grid[(post, "下午", 0)]
    assert {v for v, _n in first.volunteers} == {a, b}
    duty.save_log(first.shift_id, {"attended_ids": [a, b], "people_checked": "35", "remarks": "正常"})
    duty.save_log(second.shift_id, {"attended_ids": [a], "people_checked": 12})
    # 上午 08:00-12:00 = 4 h, 下午 12:00-18:00 = 6 h; b missed the second
    hours = volunteers.hours_for([a, b])
    assert hours == {a: Decimal("10.0"), b: Decimal("4.0")}
    events.save_event({"title": "文明祭扫宣传", "date": "2021-08-21", "place": "加州商业广场",
                       "volunteers": [(a, "2.5"), (b, 3)], "leaflets": "300", "letters": "200"})
    assert volunteers.hours_for([a, b]) == {a: Decimal("12.5"), b: Decimal("7.0")}
    # another module (e.g. window-cleaning visits) adds its own source
    monkeypatch.setattr(volunteers, "HOUR_SOURCES", list(volunteers.HOUR_SOURCES))
    volunteers.register_hour_source("擦玻璃服务", lambda ids: {a: Decimal("1.5")} if a in ids else {})
    assert volunteers.hours_for([a, b]) == {a: Decimal("14.0"), b: Decimal("7.0")}
    assert volunteers.hours_by_source([a])[a] == {"门岗值守": Decimal("10.0"), "宣传活动": Decimal("2.5"),
                                                  "擦玻璃服务": Decimal("1.5")}
    assert volunteers.load_rows([a])[a][-1] == "14.0"
    ids = volunteers.search_ids(volunteers.VolunteerFilter(sort_key="hours"))
    assert ids == [a, b]
    assert post


def test_rebuilding_is_refused_once_a_shift_is_logged(team):
    add_volunteer(team, "李娜")
    duty.save_post({"name": "东门", "min_volunteers": 1})
    duty.build_roster(MONDAY)
    duty.build_roster(MONDAY + dt.timedelta(days=3))  # the same week again: replaced, not doubled
    assert DutyShift.select().count() == 21
    duty.save_log(duty.week_shifts(MONDAY)[0].shift_id, {"attended_ids": [], "people_checked": 0})
    with pytest.raises(ValidationError, match="不能重新排班"):
        duty.build_roster(MONDAY)


def test_hand_edit_refuses_a_volunteer_in_two_places_at_once(team):
    a = add_volunteer(team, "李娜")
    b = add_volunteer(team, "王强")
    c = add_volunteer(team, "赵敏")
    east = duty.save_post({"name": "东门", "min_volunteers": 1, "parts": "上午"})
    west = duty.save_post({"name": "西门", "min_volunteers": 1, "parts": "上午"})
    duty.build_roster(MONDAY)
    posts, grid = duty.week_grid(MONDAY)
    assert [p.name for p in posts] == ["东门", "西门"]
    east_cell, west_cell = grid[(east, "上午", 0)], grid[(west, "上午", 0)]
    on_west = west_cell.volunteers[0][0]
    with pytest.raises(FormErrors) as info:
        duty.save_shift(east_cell.shift_id, {"start_time": "08:00", "end_time": "12:00", "lead": east_cell.lead,
                                             "volunteer_ids": [on_west]})
    assert "同一时间已在 西门" in info.value.errors["volunteer_ids"]
    with pytest.raises(FormErrors, match="带班"):
        duty.save_shift(east_cell.shift_id, {"start_time": "08:00", "end_time": "12:00", "lead": west_cell.lead,
                                             "volunteer_ids": []})
    # a time that does not overlap is fine; so is someone free
    free = ({a, b, c} - {v for v, _ in east_cell.volunteers} - {on_west}).pop()
    duty.save_shift(east_cell.shift_id, {"start_time": "07:00", "end_time": "08:30", "lead": "张敏",
                                         "volunteer_ids": [free, *(v for v, _ in east_cell.volunteers)]})
    edited = duty.get_shift(east_cell.shift_id)
    assert (edited.start_time, edited.end_time, edited.lead) == ("07:00", "08:30", "张敏")
    assert DutyShift.get_by_id(east_cell.shift_id).minutes == 90
    assert AuditLog.select().where((AuditLog.table == "duty_shift") & (AuditLog.action == "修改")).count() == 1
    with pytest.raises(FormErrors, match="晚于"):
        duty.save_shift(east_cell.shift_id, {"start_time": "09:00", "end_time": "08:00", "volunteer_ids": []})


def test_week_gaps_follow_hand_edits(team):
    add_volunteer(team, "李娜", availability=availability_code({(2, "下午")}))
    post = duty.save_post({"name": "东门", "min_volunteers": 1, "parts": "下午"})
    duty.build_roster(MONDAY)
    gaps = duty.week_gaps(MONDAY)
    assert "周一 下午 东门 缺 1 人" in gaps and "周三 下午 东门 缺 1 人" not in gaps
    wednesday = duty.week_grid(MONDAY)[1][(post, "下午", 2)]
    duty.save_shift(wednesday.shift_id, {"start_time": "12:00", "end_time": "18:00", "lead": "",
                                         "volunteer_ids": []})
    gaps = duty.week_gaps(MONDAY)
    assert "周三 下午 东门 缺 1 人" in gaps and "周三 下午 东门 缺带班" in gaps


def test_gate_entry_flags_fever_and_the_quarantine_hook_reads_it(team):
    post = duty.save_post({"name": "东门"})
    ok = gate.save_entry({"post_id": post, "name": "快递员", "phone": "13800001111", "temperature": "36.5",
                          "reason": "送快递", "checked_by": "张敏"})
    hot = gate.save_entry({"post_id": post, "name": "返京人员", "phone": "13800002222", "temperature": "37.3",
                           "id_number": make_id("420102", dt.date(1988, 5, 6), 7), "reason": "返京"})
    assert GateEntry.get_by_id(ok).fever is False and GateEntry.get_by_id(hot).fever is True
    offered = gate.fever_entries()
    assert [e["id"] for e in offered] == [hot]
    assert offered[0]["temperature"] == Decimal("37.3") and offered[0]["post"] == "东门"
    assert gate.load_rows([hot])[hot][-1] == "发热"
    gate.mark_taken_up(hot, "自排")
    assert gate.fever_entries() == [] and len(gate.fever_entries(include_taken_up=True)) == 1
    assert gate.search_ids(gate.GateFilter(fever_only=True)) == [hot]
    with pytest.raises(FormErrors) as info:
        gate.save_entry({"name": "某人", "temperature": "39.9.1", "id_number": "110101199001011234"})
    assert "体温" in info.value.errors["temperature"] and "校验位" in info.value.errors["id_number"]


def test_temperature_rounding_and_limits():
    assert parse_temperature("３７．２５") == Decimal("37.3")
    assert parse_temperature("36.5℃") == Decimal("36.5")
    for bad in ("", "abc", "25", "45"):
        with pytest.raises(ValidationError):
            parse_temperature(bad)


def test_who_missed_the_latest_training_on_a_topic(team):
    events.save_training({"date": "2021-08-01", "topic": "疫情防控最新要求", "trainer": "镇防控办",
                          "attendees": ["张敏"]})
    events.save_training({"date": "2021-08-10", "topic": "疫情防控最新要求", "trainer": "镇防控办",
                          "attendees": ["张敏", "李强"]})
    events.save_training({"date": "2021-08-12", "topic": "消防安全", "attendees": ["王芳"]})
    latest, missing = events.not_attended_latest("疫情防控最新要求")
    assert latest["date"] == dt.date(2021, 8, 10) and missing == ["王芳"]
    assert events.not_attended_latest("消防安全")[1] == ["张敏", "李强"]
    assert events.topics() == ["消防安全", "疫情防控最新要求"]
    with pytest.raises(FormErrors) as info:
        events.save_training({"date": "", "topic": ""})
    assert set(info.value.errors) == {"date", "topic"}


def test_events_filter_by_date_and_rows(community, team):
    a = add_volunteer(team, "李娜")
    eid = events.save_event({"title": "文明祭扫", "date": "2021-08-21", "place": "加州商业广场",
                             "community_id": community, "volunteers": [(a, 2)], "leaflets": 500, "letters": 300,
                             "residents_reached": 260})
    events.save_event({"title": "垃圾分类宣传", "date": "2021-09-05", "place": "小区广场"})
    ids = events.event_ids(events.EventFilter(dt.date(2021, 8, 1), dt.date(2021, 8, 31)))
    assert ids == [eid]
    assert events.load_event_rows(ids)[eid] == ("2021-08-21", "文明祭扫", "加州商业广场", "原乡小镇", "李娜", "2.0",
                                                500, 300, 260, "")
    with pytest.raises(FormErrors) as info:
        events.save_event({"title": "x", "date": "2021-08-21", "leaflets": "-3", "volunteers": [(a, "两小时")]})
    assert "leaflets" in info.value.errors and "不是数字" in info.value.errors["volunteers"]


def test_read_only_user_cannot_write(team, monkeypatch):
    monkeypatch.setattr(session, "current", session.Session(user="访客", role="只读"))
    with pytest.raises(session.PermissionDenied):
        add_volunteer(team, "李娜")
    with pytest.raises(session.PermissionDenied):
        gate.save_entry({"name": "x", "temperature": "36.5"})


def test_deleting_a_volunteer_drops_their_shift_places(team):
    a = add_volunteer(team, "李娜")
    duty.save_post({"name": "东门", "min_volunteers": 1})
    duty.build_roster(MONDAY)
    assert ShiftVolunteer.select().count() == 21
    volunteers.delete([a])
    assert ShiftVolunteer.select().count() == 0
    assert DutyShift.select().count() == 21  # the shifts stay


def test_shift_editor_lists_those_on_the_shift_then_the_free_then_the_rest(team):
    a = add_volunteer(team, "李娜")
    b = add_volunteer(team, "王强", availability=availability_code({(0, "下午")}))
    c = add_volunteer(team, "赵敏")
    east = duty.save_post({"name": "东门", "min_volunteers": 1, "parts": "上午"})
    west = duty.save_post({"name": "西门", "min_volunteers": 1, "parts": "上午"})
    duty.build_roster(MONDAY)
    grid = duty.week_grid(MONDAY)[1]
    east_cell, west_cell = grid[(east, "上午", 0)], grid[(west, "上午", 0)]
    [(on_east, _)] = east_cell.volunteers
    [(on_west, _)] = west_cell.volunteers
    assert {on_east, on_west} == {a, c}
    choices = duty.shift_choices(east_cell.shift_id)
    assert choices[0] == (on_east, f"{volunteers.names([on_east])[on_east]}（普通居民）", True)
    labels = {vid: label for vid, label, _ in choices}
    assert labels[b].endswith("不在可服务时间") and labels[on_west].endswith("同时在西门")
    assert [vid for vid, _l, _c in choices] == [on_east, b, on_west]


def test_an_empty_cell_opened_and_cancelled_leaves_no_shift(team):
    post = duty.save_post({"name": "东门", "min_volunteers": 1})
    sid = duty.ensure_shift(MONDAY, "晚上", post)
    assert duty.ensure_shift(MONDAY, "晚上", post) == sid
    assert duty.discard_empty_shift(sid) is True
    assert DutyShift.select().count() == 0
    sid = duty.ensure_shift(MONDAY, "晚上", post)
    duty.save_shift(sid, {"start_time": "18:00", "end_time": "22:00", "lead": "张敏", "volunteer_ids": []})
    assert duty.discard_empty_shift(sid) is False


def test_a_volunteer_is_found_by_every_reading_of_the_name(team):
    """王长春 is typed wcc or wzc, as in the registry: the second reading starts a later key."""
    vid = add_volunteer(team, "王长春")
    other = add_volunteer(team, "刘重庆")
    for typed in ("wcc", "wzc", "wangchangchun", "wangzhangchun"):
        assert volunteers.search_ids(volunteers.VolunteerFilter(text=typed)) == [vid], typed
    assert volunteers.search_ids(volunteers.VolunteerFilter(text="lcq")) == [other]
    assert volunteers.search_ids(volunteers.VolunteerFilter(text="zc")) == []  # not from the middle of a key
