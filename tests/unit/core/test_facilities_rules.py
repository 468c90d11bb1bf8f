"""Facility and service desk rules: status transitions, money, inspection-overdue flag, numbers."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from community_desk.core.rules import facilities as rules
from community_desk.core.rules import service_desk as desk
from community_desk.core.rules.resident import FormErrors
from community_desk.core.rules.text import ValidationError

TODAY = dt.date(2026, 6, 30)


@pytest.mark.parametrize("old,new", [
    ("规划中", "已立项"), ("已立项", "施工中"), ("施工中", "已完工"), ("已完工", "维修中"),
    ("维修中", "已完工"), ("已完工", "已拆除"), ("已立项", "规划中"), ("已完工", "已完工"),
])
def test_allowed_transitions(old, new):
    rules.check_transition(old, new)


@pytest.mark.parametrize("old,new", [
    ("规划中", "已完工"), ("规划中", "施工中"), ("施工中", "规划中"), ("已拆除", "已完工"), ("已完工", "施工中"),
    ("维修中", "规划中"),
])
def test_refused_transitions_name_the_choices(old, new):
    with pytest.raises(ValidationError) as info:
        rules.check_transition(old, new)
    assert f"不能从“{old}”改为“{new}”" in info.value.message


def test_unknown_status_is_refused():
    with pytest.raises(ValidationError):
        rules.check_transition("已完工", "报废")


def test_money_is_exact_decimal():
    assert rules.parse_money("1,234.5") == Decimal("1234.50")
    assert rules.parse_money("￥980元") == Decimal("980.00")
    assert rules.parse_money("") is None
    values = [rules.parse_money("0.10")] * 10 + [rules.parse_money("0.20")] * 10
    assert rules.sum_money(values) == Decimal("3.00")
    assert sum(0.1 for _ in range(10)) != 1.0  # what floats would have done
    assert rules.sum_money([Decimal("12800.55"), None, "", Decimal("0.45")]) == Decimal("12801.00")
    for bad in ("12.345", "-5", "abc", 0.1):
        with pytest.raises(ValidationError):
            rules.parse_money(bad)


def test_inspection_overdue_flag():
    installed = dt.date(2026, 1, 1)
    assert rules.inspection_overdue("已完工", installed, None, TODAY, 90)
    assert not rules.inspection_overdue("已完工", installed, dt.date(2026, 4, 1), TODAY, 90)  # 90 days: not over
    assert rules.inspection_overdue("已完工", installed, dt.date(2026, 3, 31), TODAY, 90)  # 91 days
    assert not rules.inspection_overdue("已完工", installed, dt.date(2026, 3, 31), TODAY, 120)  # setting
    assert not rules.inspection_overdue("规划中", None, None, TODAY, 90)
    assert not rules.inspection_overdue("已拆除", installed, None, TODAY, 90)
    assert not rules.inspection_overdue("已完工", dt.date(2026, 6, 1), None, TODAY, 90)  # newly installed
    assert rules.inspection_overdue("已完工", None, None, TODAY, 90)  # never known: flag it


def test_facility_form_errors_are_specific():
    with pytest.raises(FormErrors) as info:
        rules.clean_facility({"name": "", "quantity": "0", "unit": "把", "status": "已完工", "cost": "1.234"})
    errors = info.value.errors
    assert errors["name"] == "请填写设施名称"
    assert "1 到 100000" in errors["quantity"]
    assert "单位“把”" in errors["unit"]
    assert "安装日期" in errors["installed_date"]
    assert "两位小数" in errors["cost"]
    assert errors["kind_id"] == "请选择设施种类"


def test_request_numbers_and_flow():
    assert desk.format_number(2026, 1) == "WLB-2026-0001"
    assert desk.next_number(2026, ["WLB-2026-0001", "WLB-2026-0007", "WLB-2025-0099"]) == "WLB-2026-0008"
    assert desk.next_number(2027, ["WLB-2026-0007"]) == "WLB-2027-0001"
    desk.check_transition("待受理", "处理中")
    desk.check_transition("处理中", "已办结")
    desk.check_transition("已办结", "已回访")
    with pytest.raises(ValidationError):
        desk.check_transition("待受理", "已回访")
    with pytest.raises(ValidationError):
        desk.check_transition("已回访", "处理中")


def test_overdue_requests():
    assert desk.is_overdue("处理中", dt.date(2026, 6, 29), TODAY)
    assert desk.is_overdue("待受理", dt.date(2026, 6, 1), TODAY)
    assert not desk.is_overdue("处理中", TODAY, TODAY)  # due today is not late yet
    assert not desk.is_overdue("已办结", dt.date(2026, 6, 1), TODAY)
    assert not desk.is_overdue("处理中", None, TODAY)


def test_request_form_needs_a_person_and_a_text():
    now = dt.datetime(2026, 6, 30, 10, 0)
    with pytest.raises(FormErrors) as info:
        desk.clean_request({"contact_phone": "12345", "category_id": None}, now)
    errors = info.value.errors
    assert "姓名" in errors["contact_name"] and "诉求内容" in errors["description"]
    assert "联系电话" in errors["contact_phone"] and errors["category_id"] == "请选择问题类别"
    ok = desk.clean_request({"contact_name": "王秀英", "contact_phone": "138 0013 8000", "category_id": 1,
                             "description": "顶楼漏雨", "received_at": "2026-06-30 09:15"}, now)
    assert ok["contact_phone"] == "13800138000" and ok["received_at"] == dt.datetime(2026, 6, 30, 9, 15)
