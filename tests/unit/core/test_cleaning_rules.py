"""Rules of the cleaning service: eligibility reasons, contact methods, survey checks, the scheduler."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from community_desk.core.rules.cleaning import (
    Criteria,
    allowed_contact_methods,
    clean_survey,
    clean_visit_record,
    default_contact_method,
    eligibility_reasons,
    parse_preferred_dates,
    phone_forbidden,
)
from community_desk.core.rules.cleaning_schedule import Request, auto_schedule
from community_desk.core.rules.resident import FormErrors
from community_desk.core.rules.text import ValidationError

START, END = dt.date(2026, 11, 16), dt.date(2026, 11, 18)


def test_eligibility_reasons_name_each_rule():
    c = Criteria(min_age=80, high_floor=5, high_floor_age=60)
    assert eligibility_reasons({"老年人"}, 86, 1, "", c) == ["86岁老人"]
    assert eligibility_reasons({"老年人"}, 79, 1, "", c) == []
    assert eligibility_reasons({"残疾人"}, 40, 2, "听力", c) == ["残疾人（听力）"]
    assert eligibility_reasons({"独居老人", "低保户"}, 70, 2, "", c) == ["独居老人", "低保户"]
    assert eligibility_reasons(set(), 65, 6, "", c) == ["住6层"]
    assert eligibility_reasons(set(), 50, 12, "", c) == []  # high floor but young
    assert eligibility_reasons({"特困人员"}, 50, 1, "", Criteria(tags=["残疾人"], high_floor=None)) == []
    assert "80岁以上老年人" in c.describe()
    assert Criteria.from_json(c.to_json()) == c


@pytest.mark.parametrize("preference,disability", [("电话", "听力"), ("短信", "言语"), ("上门", ""), ("电话", "言语")])
def test_phone_forbidden_presets_visit(preference, disability):
    assert phone_forbidden(preference, disability)
    assert default_contact_method(preference, disability) == "上门"
    assert "电话" not in allowed_contact_methods(preference, disability)
    with pytest.raises(FormErrors) as err:
        clean_survey({"contact_method": "电话", "result": "需要", "windows": "4"}, START, END, preference, disability)
    assert "请选择上门或短信" in err.value.errors["contact_method"]


def test_phone_fine_for_others():
    assert phone_forbidden("电话", "肢体") == ""
    assert default_contact_method("短信", "") == "短信"
    values = clean_survey({"contact_method": "电话", "result": "需要", "windows": "５", "preferred_dates": "11-17、18日",
                           "preferred_slot": "上午"}, START, END, "电话", "视力", today=START)
    assert values["preferred_dates"] == "2026-11-17,2026-11-18"
    assert values["windows"] == 5 and values["surveyed_on"] == START


@given(st.sampled_from(["电话", "短信", "上门"]), st.sampled_from(["听力", "言语"]))
def test_hearing_impaired_never_get_phone(preference, disability):
    assert default_contact_method(preference, disability) != "电话"
    assert "电话" not in allowed_contact_methods(preference, disability)


def test_survey_errors_are_specific():
    with pytest.raises(FormErrors) as err:
        clean_survey({"contact_method": "上门", "result": "需要", "preferred_dates": "12-01"}, START, END, "电话", "")
    assert "不在本批次" in err.value.errors["preferred_dates"]
    assert err.value.errors["windows"] == "需要服务的户请填写窗户数"
    with pytest.raises(ValidationError, match="不是日期"):
        parse_preferred_dates("下周", START, END)
    assert clean_survey({"contact_method": "短信", "result": "不需要"}, START, END, "电话", "")["windows"] == 0


def test_visit_record_rules():
    with pytest.raises(FormErrors) as err:
        clean_visit_record({"done": False, "satisfaction": "满意", "started_at": "10:00", "finished_at": "9:30"})
    assert err.value.errors["satisfaction"] == "服务完成后才能登记满意度"
    assert err.value.errors["finished_at"] == "结束时间应晚于开始时间"
    values = clean_visit_record({"done": True, "glass": True, "slippers": True, "started_at": "9：05",
                                 "finished_at": "10:20", "satisfaction": "满意", "feedback": "擦得很干净"})
    assert values["started_at"] == "09:05" and values["glass"] and not values["railings"]
    assert values["followed_up_on"] is not None


def _check(result, requests, capacity, existing=None):
    load = Counter(result.placed.values())
    for cell, n in (existing or {}).items():
        load[cell] += n
    assert all(n <= capacity for n in load.values()), "capacity exceeded"
    assert set(result.placed) | set(result.unplaced) == {r.key for r in requests}
    assert not set(result.placed) & set(result.unplaced)
    for r in requests:
        if r.key in result.placed:
            day, slot, _team = result.placed[r.key]
            assert not r.preferred_dates or day in r.preferred_dates
            assert r.preferred_slot == "不限" or slot == r.preferred_slot


def test_scheduler_respects_capacity_and_explains():
    day1 = dt.date(2026, 11, 16)
    requests = [Request(key=k, preferred_dates=(day1,), preferred_slot="上午") for k in range(5)]
    requests.append(Request(key=9, preferred_dates=(dt.date(2026, 12, 1),)))
    result = auto_schedule(requests, START, END, teams=[1, 2], capacity=2)
    _check(result, requests, 2)
    assert len(result.placed) == 4
    assert "11月16日上午 各服务队均已排满（每队每时段最多 2 户）" in result.unplaced[4]
    assert "不在本批次" in result.unplaced[9]
    assert "还没有服务队" in auto_schedule(requests[:1], START, END, [], 2).unplaced[0]


def test_scheduler_moves_flexible_households_to_fit_fixed_ones():
    d1, d2, d3 = START, START + dt.timedelta(days=1), END
    # A sorts first and takes 16th morning greedily; B can only use the 16th (18th is full):
    # the repair step moves A to the 17th so that both are placed.
    requests = [Request(key=1, preferred_dates=(d1, d2), preferred_slot="上午", order="a"),
                Request(key=2, preferred_dates=(d1, d3), preferred_slot="上午", order="b")]
    existing = {(d3, "上午", 7): 1}
    result = auto_schedule(requests, START, END, teams=[7], capacity=1, existing=existing)
    _check(result, requests, 1, existing)
    assert result.placed == {1: (d2, "上午", 7), 2: (d1, "上午", 7)}


def test_scheduler_keeps_a_building_with_one_team():
    requests = [Request(key=k, group="3号楼" if k < 2 else "5号楼", order=str(k)) for k in range(4)]
    result = auto_schedule(requests, START, END, teams=[1, 2], capacity=3)
    assert result.placed[0][2] == result.placed[1][2]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sets(st.integers(0, 4), max_size=3), st.sampled_from(["不限", "上午", "下午"])),
                max_size=30),
       st.integers(1, 3), st.integers(1, 2))
def test_scheduler_capacity_and_completeness(prefs, capacity, team_count):
    requests = [Request(key=i, preferred_dates=tuple(START + dt.timedelta(days=d) for d in sorted(days)),
                        preferred_slot=slot) for i, (days, slot) in enumerate(prefs)]
    result = auto_schedule(requests, START, END, list(range(1, team_count + 1)), capacity)
    _check(result, requests, capacity)
    assert all(result.unplaced.values())


def test_scheduler_spreads_over_days_and_teams():
    requests = [Request(key=k, order=str(k)) for k in range(6)]
    result = auto_schedule(requests, START, END, teams=[1, 2], capacity=4)
    days = Counter(day for day, _slot, _team in result.placed.values())
    teams = Counter(team for _day, _slot, team in result.placed.values())
    assert set(days.values()) == {2} and teams == {1: 3, 2: 3}
