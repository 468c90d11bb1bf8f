"""The home screen's figures (工作台首页), Qt-free: today's numbers, coverage per community, chart series.

Everything is asked of the domain query modules (quarantine, quarantine_items, quarantine_report,
service_desk, duty); only the figures no module had yet (this week's cleaning visits, households
registered per community, residents per tag, this month's requests with those still open) are counted here. `load` returns one plain snapshot that
the home page reads on a worker thread.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..models import db_proxy
from ..models.service_desk import OPEN_STATUSES
from ..rules.volunteers import week_start
from . import duty, quarantine_items, quarantine_positive, quarantine_report, service_desk
from . import quarantine as cases

CHART_DAYS = 30


@dataclass
class Coverage:
    community_id: int
    name: str
    registered: int  # 已登记户数
    planned: int     # 规划户数

    @property
    def share(self) -> float | None:
        return self.registered / self.planned if self.planned else None


@dataclass
class CaseDay:
    day: dt.date
    under_control: int
    new: int
    released: int


@dataclass
class Dashboard:
    today: dt.date
    open_cases: int = 0          # 在管隔离人员
    tests_due: int = 0           # 今日待核酸
    results_pending: int = 0     # 待出结果
    releases: int = 0            # 今明两日待解除
    needs: int = 0               # 今日特殊需求 (from their lead time before their date)
    positives: list[str] = field(default_factory=list)  # 阳性待转运, their names (until the transfer is recorded)
    open_requests: int = 0       # 未办结诉求
    overdue_requests: int = 0    # of which overdue
    cleaning_done: int = 0       # 本周擦玻璃服务 已完成
    cleaning_planned: int = 0    # 本周擦玻璃服务 已安排
    gate_gaps: int = 0           # 本周门岗缺岗 (slots short of volunteers or without a shift lead)
    gate_posts: int = 0          # active posts (0: no roster to speak of)
    coverage: list[Coverage] = field(default_factory=list)
    case_days: list[CaseDay] = field(default_factory=list)
    requests_by_category: list[tuple[str, int]] = field(default_factory=list)
    residents_by_tag: list[tuple[int, str, int]] = field(default_factory=list)  # (tag id, name, residents)


def week_range(today: dt.date) -> tuple[dt.date, dt.date]:
    monday = week_start(today)
    return monday, monday + dt.timedelta(days=6)


def cleaning_week(today: dt.date) -> tuple[int, int]:
    """(done, planned) cleaning visits dated in the week of `today`, over all rounds."""
    monday, sunday = week_range(today)
    row = db_proxy.execute_sql("SELECT COUNT(*), COUNT(*) FILTER (WHERE done = TRUE) FROM visit WHERE date BETWEEN ? AND ?",
                               (monday.isoformat(), sunday.isoformat())).fetchone()
    return int(row[1]), int(row[0])


def coverage() -> list[Coverage]:
    """Households registered per community against the planned number (a setting of the community).

    A resident without a 户号 counts as a household of their own, as the cleaning rounds count them."""
    # households from their own table (an emptied household is deleted with its last member), plus residents
    # without a 户号: both read from indexes, not by scanning every resident
    households = dict(db_proxy.execute_sql("SELECT community_id, COUNT(*) FROM household GROUP BY community_id"))
    loose = dict(db_proxy.execute_sql(
        "SELECT community_id, COUNT(*) FROM resident WHERE household_id IS NULL GROUP BY community_id"))
    sql = "SELECT id, name, planned_households FROM community ORDER BY sort_order, id"
    return [Coverage(cid, name, households.get(cid, 0) + loose.get(cid, 0), int(planned or 0))
            for cid, name, planned in db_proxy.execute_sql(sql)]


def residents_by_tag() -> list[tuple[int, str, int]]:
    sql = ("SELECT t.id, t.name, COUNT(rt.resident_id) FROM tag t LEFT JOIN resident_tag rt ON rt.tag_id = t.id "
           "GROUP BY t.id ORDER BY t.sort_order, t.id")
    return [(tid, name, int(n)) for tid, name, n in db_proxy.execute_sql(sql)]


def case_days(today: dt.date, days: int = CHART_DAYS) -> list[CaseDay]:
    """Cases under control, new and released on each of the last `days` days (the 日报's 合计 row)."""
    out = []
    for back in range(days - 1, -1, -1):
        day = today - dt.timedelta(days=back)
        total = quarantine_report.daily_counts(day)[-1]  # ("合计", "", 在管, 新增, 解除, 核酸, 阳性)
        out.append(CaseDay(day, total[2], total[3], total[4]))
    return out


def month_start(today: dt.date) -> dt.date:
    return today.replace(day=1)


def month_requests_by_category(today: dt.date) -> list[tuple[str, int]]:
    """本月诉求 per category: requests received this month and, whenever received, those not yet resolved (so on
    the 1st of a month the chart still shows the work in hand). Every category is listed, also with 0."""
    marks = ", ".join("?" for _ in OPEN_STATUSES)
    sql = (f"SELECT c.name, COUNT(s.id) FROM request_category c LEFT JOIN service_request s ON s.category_id = c.id "
           f"AND (s.received_at >= ? OR s.status IN ({marks})) GROUP BY c.id ORDER BY c.sort_order, c.id")
    return [(name, int(n)) for name, n in db_proxy.execute_sql(sql, (month_start(today).isoformat(), *OPEN_STATUSES))]


def load(today: dt.date | None = None, charts: bool = True) -> Dashboard:
    today = today or dt.date.today()
    d = Dashboard(today=today)
    d.open_cases = len(cases.search_ids(cases.CaseFilter(status="open", today=today)))
    counts = quarantine_items.today_counts(today)
    d.tests_due, d.results_pending = counts["tests_due"], counts["results_pending"]
    d.releases, d.needs = counts["releases"], counts["needs"]
    d.positives = [c["name"] for c in quarantine_positive.positive_cases()]
    d.open_requests = service_desk.open_count()
    d.overdue_requests = service_desk.overdue_count(today)
    d.cleaning_done, d.cleaning_planned = cleaning_week(today)
    d.gate_posts = len(duty.list_posts(active_only=True))
    d.gate_gaps = len(duty.week_gaps(today)) if d.gate_posts else 0
    d.coverage = coverage()
    if charts:
        d.case_days = case_days(today)
        d.requests_by_category = month_requests_by_category(today)
        d.residents_by_tag = residents_by_tag()
    return d
