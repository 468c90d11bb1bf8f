"""Quarantine rules: policies, schedules, bring-forward, end changes, release rules."""
import datetime as dt

import pytest

from community_desk.core.rules import quarantine as rules
from community_desk.core.rules.text import ValidationError

D = dt.date


def test_default_home_quarantine_is_14_days_with_tests_on_days_1_4_7_14():
    policy = rules.policy_for("居家隔离")
    assert policy.days == 14 and policy.test_days == (1, 4, 7, 14)
    start = D(2021, 8, 5)
    assert rules.planned_end(start, policy.days) == D(2021, 8, 18)
    assert rules.test_schedule(start, policy) == [(1, D(2021, 8, 5)), (4, D(2021, 8, 8)), (7, D(2021, 8, 11)),
                                                  (14, D(2021, 8, 18))]


def test_stored_policy_overrides_default_and_bad_stored_policy_falls_back():
    assert rules.policy_for("居家隔离", {"居家隔离": {"days": 3, "test_days": [1, 3]}}).test_days == (1, 3)
    assert rules.policy_for("居家隔离", {"居家隔离": {"days": 3, "test_days": [1, 9]}}).days == 14


@pytest.mark.parametrize("days, test_days, message", [
    (0, "1", "1 到 60"), ("x", "1", "不是整数"), (7, "1,8", "第 1 天到第 7 天"), (7, "a", "数字"),
])
def test_check_policy_refuses(days, test_days, message):
    with pytest.raises(ValidationError, match=message):
        rules.check_policy("居家隔离", days, test_days)


def test_check_policy_accepts_chinese_separators():
    assert rules.check_policy("集中隔离", "7", "7、1，4").test_days == (1, 4, 7)


def test_follow_ups_one_per_day():
    days = rules.follow_up_days(D(2021, 8, 5), D(2021, 8, 18))
    assert len(days) == 14 and days[0] == (1, D(2021, 8, 5)) and days[-1] == (14, D(2021, 8, 18))


def test_bring_forward_moves_later_unsampled_tests():
    planned = [(1, D(2021, 8, 5), True), (2, D(2021, 8, 8), False), (3, D(2021, 8, 11), False),
               (4, D(2021, 8, 18), False)]
    assert rules.bring_forward(planned, 1, D(2021, 8, 6)) == [D(2021, 8, 5), D(2021, 8, 6), D(2021, 8, 9),
                                                              D(2021, 8, 16)]
    with pytest.raises(ValidationError, match="早于原计划"):
        rules.bring_forward(planned, 1, D(2021, 8, 9))
    with pytest.raises(ValidationError, match="上一次检测"):
        rules.bring_forward(planned, 1, D(2021, 8, 4))


def test_end_change_needs_reason_and_says_kind():
    start, end = D(2021, 8, 5), D(2021, 8, 18)
    assert rules.check_end_change(start, end, D(2021, 8, 25), "7+7") == "延长"
    assert rules.check_end_change(start, end, D(2021, 8, 11), "政策调整") == "缩短"
    with pytest.raises(ValidationError, match="原因"):
        rules.check_end_change(start, end, D(2021, 8, 25), " ")
    with pytest.raises(ValidationError, match="早于隔离起始"):
        rules.check_end_change(start, end, D(2021, 8, 1), "x")


def _tests(*results):
    days = [D(2021, 8, 5), D(2021, 8, 8), D(2021, 8, 11), D(2021, 8, 18)]
    return [rules.TestState(day, day if r != "未采" else None, "待出" if r == "未采" else r)
            for day, r in zip(days, results, strict=True)]


END = D(2021, 8, 18)


def _release(kind, tests, day=END, **kw):
    return rules.check_release(status="管控中", kind=kind, release_date=day, planned_end_date=D(2021, 8, 18),
                               tests=tests, **kw)


def test_release_on_time_needs_negative_final_test():
    assert _release("期满解除", _tests("阴性", "阴性", "阴性", "阴性")) == "已解除"
    with pytest.raises(ValidationError, match="尚无阴性结果"):
        _release("期满解除", _tests("阴性", "阴性", "阴性", "待出"))
    with pytest.raises(ValidationError, match="尚无阴性结果"):
        _release("期满解除", _tests("阴性", "阴性", "阴性", "未采"))


def test_release_before_planned_end_is_refused_unless_approved_early():
    tests = _tests("阴性", "阴性", "阴性", "未采")
    with pytest.raises(ValidationError, match="未到计划解除日期"):
        _release("期满解除", _tests("阴性", "阴性", "阴性", "阴性"), day=D(2021, 8, 12))
    with pytest.raises(ValidationError, match="批准人"):
        _release("提前解除", tests, day=D(2021, 8, 12))
    assert _release("提前解除", tests, day=D(2021, 8, 12), approved_by="王主任") == "已解除"


def test_positive_result_blocks_release_but_not_transfer():
    tests = _tests("阴性", "阳性", "阴性", "阴性")
    for kind, kw in (("期满解除", {}), ("提前解除", {"approved_by": "王主任"})):
        with pytest.raises(ValidationError, match="阳性"):
            _release(kind, tests, **kw)
    assert _release("转集中隔离", tests, reason="阳性转运") == "已转出"
    with pytest.raises(ValidationError, match="原因"):
        _release("转出", tests)


def test_released_case_cannot_be_released_again():
    with pytest.raises(ValidationError, match="已解除"):
        rules.check_release(status="已解除", kind="期满解除", release_date=D(2021, 8, 18),
                            planned_end_date=D(2021, 8, 18), tests=_tests("阴性", "阴性", "阴性", "阴性"))


def test_append_note_keeps_old_notes():
    assert rules.append_note("", "x", D(2021, 8, 5)) == "[2021-08-05] x"
    assert rules.append_note("孕妇", "指定责任人", D(2021, 8, 5)) == "孕妇\n[2021-08-05] 指定责任人"


def test_case_colour():
    today = D(2021, 8, 10)
    base = dict(status="管控中", planned_end_date=D(2021, 8, 18), positive=False, test_due=False,
                test_overdue=False, today=today)
    assert rules.case_colour(**base) == ""
    assert rules.case_colour(**{**base, "test_due": True}) == "due"
    assert rules.case_colour(**{**base, "planned_end_date": today}) == "due"
    assert rules.case_colour(**{**base, "test_overdue": True}) == "overdue"
    assert rules.case_colour(**{**base, "positive": True, "status": "已转出"}) == "positive"
    assert rules.case_colour(**{**base, "status": "已解除", "test_overdue": True}) == ""
