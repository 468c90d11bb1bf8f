"""Rules of the links between modules (Qt-free, database-free): what a gate fever entry becomes as a
自排 quarantine case, how many hours a cleaning visit gives its team's volunteers, and what a problem
found on a cleaning visit becomes as a 我来办 request.

Hours of a cleaning visit (VISIT_HOURS_RULE): a visit counts only once it is marked done (已完成服务).
It gives every volunteer member of its team the time from 开始时间 to 结束时间; when either time is
missing (or the end is not after the start) it gives DEFAULT_VISIT_HOURS (2 hours). Team membership
is the team's current list (the link has no dates).
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from .. import vocabulary

FEVER_MEASURE = "居家健康监测"  # what a fever found at the gate is put under until verified
FEVER_STATUS = vocabulary.CASE_PENDING
FEVER_HOW = "门岗测温"
DEFAULT_VISIT_HOURS = Decimal("2")
VISIT_HOURS_RULE = "已完成的上门服务按开始至结束时间计时，缺时间时每次按 2 小时计，计入服务队中的每名志愿者"
REQUEST_TYPE = "诉求"
REQUEST_CATEGORY = "维修"
REQUEST_CHANNEL = "来访"
TENTH = Decimal("0.1")


def _minutes(hhmm: str) -> int | None:
    try:
        hours, minutes = str(hhmm).split(":")
        return int(hours) * 60 + int(minutes)
    except (TypeError, ValueError):
        return None


def visit_minutes(started_at: str, finished_at: str) -> int:
    """Minutes a done visit counts for: finish - start, or the default when a time is missing or out of order."""
    start, finish = _minutes(started_at or ""), _minutes(finished_at or "")
    if start is None or finish is None or finish <= start:
        return int(DEFAULT_VISIT_HOURS * 60)
    return finish - start


def minutes_to_hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(TENTH, rounding=ROUND_HALF_UP)


def _when(value) -> str:
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return str(value or "")[:16]


def fever_case_raw(entry: dict) -> dict:
    """The case form values (for queries.quarantine.create_case) of a fever entry from gates.fever_entries().

    Who found the person: the checker at the gate (or the post when no checker was written down);
    how: 门岗测温 with the temperature. The case waits for verification (待核实) under 居家健康监测.
    """
    post = entry.get("post") or ""
    temperature = f"{Decimal(entry['temperature']):.1f}℃"
    time_in = entry.get("time_in")
    start = time_in.date() if isinstance(time_in, dt.datetime) else time_in
    note = f"由出入登记转入：{_when(time_in)} {post + ' ' if post else ''}体温 {temperature}"
    if entry.get("reason"):
        note += f"，事由：{entry['reason']}"
    return {
        "name": entry["name"], "phone": entry.get("phone") or "", "id_number": entry.get("id_number") or "",
        "source": "自排", "found_by": (entry.get("checked_by") or (f"{post}门岗" if post else "门岗"))[:30],
        "found_how": f"{FEVER_HOW} {temperature}" + (f"（{post}）" if post else ""),
        "measure": FEVER_MEASURE, "status": FEVER_STATUS, "start_date": start, "notes": note,
    }


def case_ref(case_id: int) -> str:
    """What the gate entry shows once taken up: 发热（已转自排隔离#12）."""
    return f"自排隔离#{case_id}"


def request_description(problem: str, round_name: str, day: dt.date | None, team: str) -> str:
    """诉求内容 of a request made from a problem found on a cleaning visit."""
    where = "，".join(p for p in (round_name, f"{day:%Y-%m-%d}" if day else "", team) if p)
    return f"擦玻璃服务上门时发现：{problem.strip()}" + (f"（{where}）" if where else "")
