"""Volunteer reports as Excel, in the house style: the week duty roster (门岗值守排班表 + 签到表),
the volunteers with their hours (志愿者名册), and publicity events in a period (宣传活动台账).

The same rows feed the printed roster (gui/windows/volunteers/roster_print.py).
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from decimal import Decimal

from ..models.volunteers import PARTS, WEEKDAYS
from ..queries import audit, duty, events, volunteers
from ..rules.masking import mask_phone
from ..rules.volunteers import week_start
from .house_style import DATE, SIGN_ROW_HEIGHT, Sheet, write_workbook
from .residents_export import community_title, report_meta

SIGN_HEADERS = ["日期", "时段", "门岗", "时间", "带班", "志愿者", "检查人数", "签字"]


def roster_title(monday: dt.date) -> str:
    sunday = monday + dt.timedelta(days=6)
    return f"{community_title()}门岗值守排班表（{monday:%Y年%m月%d日}—{sunday:%m月%d日}）"


def day_headers(monday: dt.date) -> list[str]:
    return [f"{WEEKDAYS[i]} {monday + dt.timedelta(days=i):%m-%d}" for i in range(7)]


def cell_text(cell: duty.ShiftCell | None, separator: str = "；") -> str:
    if cell is None:
        return ""
    lead = f"带班 {cell.lead}" if cell.lead else "带班 —"
    return f"{lead}{separator}{cell.names() or '—'}"


def roster_grid_rows(monday: dt.date, separator: str = "；") -> list[tuple]:
    """(门岗, 时段, 周一 ... 周日) rows: one per post and part the post is kept."""
    posts, grid = duty.week_grid(monday)
    rows = []
    for post in posts:
        for part in PARTS:
            cells = [grid.get((post.id, part, d)) for d in range(7)]
            if part not in post.parts and not any(cells):
                continue
            first = next((c for c in cells if c), None)
            times = f"{first.start_time}-{first.end_time}" if first else ""
            rows.append((post.name, f"{part} {times}".strip(), *(cell_text(c, separator) for c in cells)))
    return rows


def sign_rows(monday: dt.date) -> list[tuple]:
    """One row a shift, in date order, with an empty 签字 column."""
    order = {p: i for i, p in enumerate(PARTS)}
    shifts = sorted(duty.week_shifts(monday), key=lambda c: (c.date, order.get(c.part, 9), c.post_id))
    return [(f"{c.date:%m-%d} {WEEKDAYS[c.date.weekday()]}", c.part, c.post, f"{c.start_time}-{c.end_time}",
             c.lead, c.names(), "", "") for c in shifts]


def export_duty_roster(path: str | os.PathLike, day: dt.date, progress: Callable[[int], bool] | None = None) -> int:
    """The week containing `day`. Returns the number of shifts."""
    monday = week_start(day)
    grid = roster_grid_rows(monday)
    signs = sign_rows(monday)
    gaps = duty.week_gaps(monday)
    sheets = [
        Sheet(name="排班表", title=roster_title(monday), headers=["门岗", "时段", *day_headers(monday)], rows=grid,
              min_widths={i: 18 for i in range(2, 9)}),
        Sheet(name="签到表", title=f"门岗值守签到表（{monday:%Y年%m月%d日}起一周）", headers=SIGN_HEADERS, rows=signs,
              min_widths={7: 14}, row_height=SIGN_ROW_HEIGHT),
    ]
    if gaps:
        sheets.append(Sheet(name="缺口", title="排班缺口", headers=["序号", "缺口"],
                            rows=[(n, g) for n, g in enumerate(gaps, 1)]))
    write_workbook(path, sheets, report_meta(), progress)
    audit.record("导出", "duty_shift", None, f"导出 {monday:%Y-%m-%d} 一周门岗排班 {len(signs)} 班")
    return len(signs)


VOLUNTEER_HEADERS = ["序号", *(h for _k, h in volunteers.COLUMNS[:-1]), "门岗值守(小时)", "宣传活动(小时)",
                     "其他(小时)", "服务时长合计(小时)"]


def export_volunteers(path: str | os.PathLike, flt: volunteers.VolunteerFilter | None = None,
                      progress: Callable[[int], bool] | None = None, mask: bool = False) -> int:
    """The volunteers with their hours by source; phones masked on request (the choice goes to the audit log)."""
    phone = volunteers.COLUMN_KEYS.index("phone")
    ids = volunteers.search_ids(flt or volunteers.VolunteerFilter())
    by_source = volunteers.hours_by_source(ids)
    rows_out, totals = [], [Decimal(0)] * 4
    for n, (vid, row) in enumerate(zip(ids, volunteers.iter_rows(ids), strict=True), start=1):
        parts = by_source.get(vid, {})
        shift = parts.get("门岗值守", Decimal("0.0"))
        event = parts.get("宣传活动", Decimal("0.0"))
        other = sum((h for k, h in parts.items() if k not in ("门岗值守", "宣传活动")), Decimal("0.0"))
        values = [shift, event, other, shift + event + other]
        totals = [t + v for t, v in zip(totals, values, strict=True)]
        row = list(row[:-1])
        if mask:
            row[phone] = mask_phone(row[phone] or "")
        rows_out.append((n, *row, *(float(v) for v in values)))
    total = ("合计", *([""] * (len(volunteers.COLUMNS) - 1)), *(float(t) for t in totals))
    sheet = Sheet(name="志愿者名册", title=f"{community_title()}志愿者名册", headers=VOLUNTEER_HEADERS, rows=rows_out,
                  total=total, min_widths={4: 13}, kinds={"加入日期": DATE})
    write_workbook(path, [sheet], report_meta(), progress)
    audit.record("导出", volunteers.TABLE, None, f"导出志愿者名册 {len(ids)} 人"
                 f"（{'电话已脱敏' if mask else '完整电话'}）")
    return len(ids)


def export_events(path: str | os.PathLike, date_from: dt.date | None, date_to: dt.date | None,
                  progress: Callable[[int], bool] | None = None) -> int:
    ids = events.event_ids(events.EventFilter(date_from, date_to))
    loaded = events.load_event_rows(ids)
    rows = []
    for n, eid in enumerate(ids, 1):
        row = list(loaded[eid])
        row[5] = float(row[5])  # hours as a number Excel can add up
        rows.append((n, *row))
    sums = [sum(r[i] for r in rows) for i in (7, 8, 9)]
    hours = sum((Decimal(loaded[eid][5]) for eid in ids), Decimal("0.0"))
    total = ("合计", "", "", "", "", "", float(hours), *sums, "")
    span = f"{date_from:%Y年%m月%d日}" if date_from else "最早"
    span += f"—{date_to:%Y年%m月%d日}" if date_to else "至今"
    sheet = Sheet(name="宣传活动", title=f"{community_title()}宣传活动台账（{span}）",
                  headers=["序号", *(h for _k, h in events.EVENT_COLUMNS)], rows=rows, total=total,
                  kinds={"日期": DATE})
    write_workbook(path, [sheet], report_meta(), progress)
    audit.record("导出", "community_event", None, f"导出宣传活动 {len(ids)} 场")
    return len(ids)
