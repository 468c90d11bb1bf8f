"""Quarantine rules (隔离管控): value lists, per-measure policies, schedules, end changes, release.

Qt-free and database-free: the queries pass plain values in. A policy (period and test days of a
measure) comes from the office settings with DEFAULT_POLICIES as fallback; a changed policy
applies to new cases only, because a case's schedule is generated once, when it is created.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import vocabulary
from .text import ValidationError

SOURCES = vocabulary.SOURCES
MEASURES = vocabulary.MEASURES
STATUSES = vocabulary.CASE_STATUSES
OPEN_STATUSES = vocabulary.CASE_OPEN_STATUSES
RESULTS = vocabulary.RESULTS
RELEASE_KINDS = vocabulary.RELEASE_KINDS
FOLLOW_UP_STATUSES = ("正常", "异常", "未联系上", "未执行")
FOLLOW_UP_METHODS = ("电话", "上门")
NEED_KINDS = ("就医", "取药", "生活物资", "其他")
NEED_STATUSES = ("待办", "处理中", "已办结")
DEFAULT_CLASSIFICATIONS = ("中高风险地区返京", "密切接触者", "次密接", "境外返京", "其他")
DEFAULT_INSTITUTION = "长阳卫生院"

DEFAULT_POLICIES: dict[str, dict] = {
    "居家隔离": {"days": 14, "test_days": [1, 4, 7, 14]},
    "居家健康监测": {"days": 7, "test_days": [1, 7]},
    "集中隔离": {"days": 14, "test_days": [1, 4, 7, 14]},
}
POLICY_SETTING = "quarantine_policies"
CLASSIFICATION_SETTING = "quarantine_classifications"


@dataclass(frozen=True)
class Policy:
    measure: str
    days: int
    test_days: tuple[int, ...]


def check_policy(measure: str, days: object, test_days: object) -> Policy:
    """A policy as the office typed it, checked: 1-60 days, test days inside the period."""
    if measure not in MEASURES:
        raise ValidationError(f"管控措施只能是 {' / '.join(MEASURES)}")
    try:
        n = int(days)
    except (TypeError, ValueError):
        raise ValidationError(f"{measure}的天数“{days}”不是整数") from None
    if not 1 <= n <= 60:
        raise ValidationError(f"{measure}的天数应在 1 到 60 之间")
    if isinstance(test_days, str):
        parts = [p for p in test_days.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if p]
    else:
        parts = list(test_days or [])
    try:
        days_list = sorted({int(p) for p in parts})
    except (TypeError, ValueError):
        raise ValidationError(f"{measure}的核酸检测日应写成数字，例如 1,4,7,14") from None
    if any(d < 1 or d > n for d in days_list):
        raise ValidationError(f"{measure}的核酸检测日须在第 1 天到第 {n} 天之间")
    return Policy(measure, n, tuple(days_list))


def policy_for(measure: str, stored: dict | None = None) -> Policy:
    """The policy of a measure: the office's setting if there is a valid one, else the default."""
    entry = (stored or {}).get(measure) or DEFAULT_POLICIES.get(measure) or DEFAULT_POLICIES["居家隔离"]
    try:
        return check_policy(measure if measure in MEASURES else "居家隔离", entry["days"], entry["test_days"])
    except (ValidationError, KeyError, TypeError):
        default = DEFAULT_POLICIES.get(measure, DEFAULT_POLICIES["居家隔离"])
        return Policy(measure, default["days"], tuple(default["test_days"]))


def planned_end(start: dt.date, days: int) -> dt.date:
    """The last day of the period: day 1 is the start date, so 14 days from 8月5日 end on 8月18日."""
    return start + dt.timedelta(days=days - 1)


def day_no(start: dt.date, day: dt.date) -> int:
    return (day - start).days + 1


def test_schedule(start: dt.date, policy: Policy) -> list[tuple[int, dt.date]]:
    """(day number, planned date) of each nucleic-acid test of a new case."""
    return [(d, start + dt.timedelta(days=d - 1)) for d in policy.test_days]


def follow_up_days(start: dt.date, end: dt.date) -> list[tuple[int, dt.date]]:
    """One daily health follow-up per day of the case, day 1 to the planned end."""
    return [(n + 1, start + dt.timedelta(days=n)) for n in range((end - start).days + 1)]


def bring_forward(planned: list[tuple[int, dt.date, bool]], index: int, new_date: dt.date) -> list[dt.date]:
    """Move test `index` to the earlier new_date; the later tests not yet sampled follow by the same
    number of days. planned: (id, planned date, sampled) in schedule order. Returns the new dates."""
    old = planned[index][1]
    if new_date >= old:
        raise ValidationError("提前检测的日期须早于原计划日期")
    if index > 0 and new_date < planned[index - 1][1]:
        raise ValidationError(f"提前检测的日期不能早于上一次检测（{planned[index - 1][1]:%m月%d日}）")
    shift = new_date - old
    out = []
    for i, (_tid, date, sampled) in enumerate(planned):
        if i == index:
            out.append(new_date)
        elif i > index and not sampled:
            out.append(max(date + shift, new_date))
        else:
            out.append(date)
    return out


def check_end_change(start: dt.date, old_end: dt.date, new_end: dt.date, reason: str) -> str:
    """延长 or 缩短 of the planned end; needs a reason. Returns the kind."""
    if new_end == old_end:
        raise ValidationError("新的计划解除日期与原日期相同")
    if new_end < start:
        raise ValidationError("计划解除日期不能早于隔离起始日期")
    if not reason.strip():
        raise ValidationError("调整计划解除日期须填写原因")
    return "延长" if new_end > old_end else "缩短"


@dataclass(frozen=True)
class TestState:
    planned_date: dt.date
    sampling_date: dt.date | None
    result: str


def has_positive(tests: list[TestState]) -> bool:
    return any(t.result == vocabulary.RESULT_POSITIVE for t in tests)


def final_test(tests: list[TestState]) -> TestState | None:
    """The last test of the schedule (by planned date, then sampling date)."""
    if not tests:
        return None
    return max(tests, key=lambda t: (t.planned_date, t.sampling_date or dt.date.min))


def release_status(kind: str) -> str:
    return vocabulary.CASE_RELEASED if kind in ("期满解除", "提前解除") else vocabulary.CASE_TRANSFERRED


def check_release(*, status: str, kind: str, release_date: dt.date, planned_end_date: dt.date,
                  tests: list[TestState], approved_by: str = "", reason: str = "") -> str:
    """Refuse a release that the rules do not allow; return the status the case gets.

    期满解除: not before the planned end, and the final test negative.
    提前解除: approved by someone named (the final-test rule is waived).
    Any positive result blocks 期满解除 and 提前解除; 转集中隔离 / 转出 / 失联 close the case as 已转出.
    """
    if status == vocabulary.CASE_POSITIVE:
        raise ValidationError("该人员核酸阳性、待转运，不能解除隔离：请在“阳性待转运”中登记转运")
    if status not in OPEN_STATUSES:
        raise ValidationError(f"该人员已{status}，不能再次解除")
    if kind not in RELEASE_KINDS:
        raise ValidationError(f"解除方式只能是 {' / '.join(RELEASE_KINDS)}")
    if kind in ("期满解除", "提前解除"):
        if has_positive(tests):
            raise ValidationError("核酸检测结果为阳性，不能解除隔离，请转集中隔离或按规定处置")
        if kind == "期满解除":
            if release_date < planned_end_date:
                raise ValidationError(
                    f"未到计划解除日期（{planned_end_date:%Y-%m-%d}）；如经批准提前解除，请选择“提前解除”并填写批准人")
            last = final_test(tests)
            if last is None or last.result != vocabulary.RESULT_NEGATIVE:
                when = f"（{last.planned_date:%m月%d日}）" if last else ""
                raise ValidationError(f"最后一次核酸检测{when}尚无阴性结果，不能期满解除")
        elif not approved_by.strip():
            raise ValidationError("提前解除须填写批准人")
    elif kind in ("转集中隔离", "转出") and not reason.strip() and not approved_by.strip():
        raise ValidationError(f"{kind}须填写原因或去向")
    return release_status(kind)


DEFAULT_NEED_LEAD_DAYS = 3
NEED_LEAD_SETTING = "need_lead_days"


def check_lead_days(value: object) -> int:
    """特殊需求提前提醒天数: a need shows on 今日 from this many days before its date (0 = on the day only)."""
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(f"提前提醒天数“{value}”不是整数") from None
    if not 0 <= n <= 30:
        raise ValidationError("提前提醒天数应在 0 到 30 之间")
    return n


def need_when(need_date: dt.date | None, today: dt.date) -> str:
    """How a need's date reads on 今日: '12-03 当天' / '12-03（还有3天）' / '12-01（已过2天）'."""
    if need_date is None:
        return ""
    days = (need_date - today).days
    if days == 0:
        return f"{need_date:%m-%d} 当天"
    if days > 0:
        return f"{need_date:%m-%d}（还有{days}天）"
    return f"{need_date:%m-%d}（已过{-days}天）"


def check_transfer(status: str, transfer_date: dt.date, site: str, positive_date: dt.date | None) -> str:
    """登记转运 of a positive: only from 阳性待转运, with the receiving site, not before the positive sample."""
    if status != vocabulary.CASE_POSITIVE:
        raise ValidationError(f"只有“{vocabulary.CASE_POSITIVE}”的人员可以登记转运（该人员为{status}）")
    if not site.strip():
        raise ValidationError("请填写集中隔离地点（接收单位）")
    if positive_date and transfer_date < positive_date:
        raise ValidationError(f"转运日期不能早于阳性采样日期（{positive_date:%Y-%m-%d}）")
    return vocabulary.CASE_MOVED


def check_correction(role: str, reason: str, new_result: str) -> None:
    """更正阳性结果: a reason, and 阴性 or 待出 as the new result. The role (管理员 only) is checked by the query,
    which raises session.PermissionDenied."""
    if new_result not in RESULTS or new_result == vocabulary.RESULT_POSITIVE:
        raise ValidationError(f"阳性只能更正为 {vocabulary.RESULT_NEGATIVE} 或 {vocabulary.RESULT_PENDING}")
    if not reason.strip():
        raise ValidationError("更正阳性结果须填写原因（例如 复核为阴性，疾控通知编号…）")


def append_note(notes: str, line: str, day: dt.date | None = None) -> str:
    """Bulk actions append a dated line to the notes, never overwrite them."""
    day = day or dt.date.today()
    entry = f"[{day:%Y-%m-%d}] {line.strip()}"
    return f"{notes.rstrip()}\n{entry}" if notes.strip() else entry


def case_colour(*, status: str, planned_end_date: dt.date, positive: bool, test_due: bool, test_overdue: bool,
                today: dt.date) -> str:
    """'positive' / 'overdue' / 'due' / '' for the list colours."""
    if positive or status == vocabulary.CASE_POSITIVE:
        return "positive"
    if status in OPEN_STATUSES:
        if test_overdue or planned_end_date < today:
            return "overdue"
        if test_due or planned_end_date == today:
            return "due"
    return ""
