"""The home screen's figures from core.queries.dashboard, against a small office built through the real queries."""
from __future__ import annotations

import datetime as dt

from community_desk.core.queries import cleaning, cleaning_visits, dashboard
from community_desk.core.queries import quarantine as cases
from community_desk.core.queries import quarantine_items as items
from tests.unit import cleaning_data
from tests.unit.home_data import seed

TODAY = dt.date.today()  # "new" is the day a case was entered, as in the daily report


def test_numbers_and_coverage(community):
    made = seed(community, TODAY)
    d = dashboard.load(TODAY)
    assert d.open_cases == 3
    assert d.tests_due == len(items.today_ids("tests_due", TODAY)) > 0
    assert d.results_pending == 0 and d.needs == 0
    assert (d.open_requests, d.overdue_requests) == (2, 1)
    assert d.gate_posts == 1 and d.gate_gaps == 14  # 7 mornings: each short of a volunteer and a shift lead
    cover = {c.name: (c.registered, c.planned) for c in d.coverage}
    assert cover == {"原乡小镇": (3, 1688), "天瑞嘉园": (0, 1200)}  # 王/李 share household A1; 钱 has none
    # release one case: under control goes down, the series shows the release today
    cases.release(made["middle"], "转出", TODAY, reason="转至外区")
    after = dashboard.load(TODAY)
    assert after.open_cases == 2
    assert [(c.day, c.under_control, c.released) for c in after.case_days[-1:]] == [(TODAY, 2, 1)]
    assert len(after.case_days) == dashboard.CHART_DAYS and after.case_days[0].day == TODAY - dt.timedelta(days=29)
    # the early case (started 10 days ago) is under control on day -10, the others not yet
    ten_ago = next(c for c in after.case_days if c.day == TODAY - dt.timedelta(days=10))
    assert (ten_ago.under_control, ten_ago.new) == (1, 1)  # 今日新增 counts the day a case started (issue 15)
    assert after.case_days[-1].new == 1  # two of the three started earlier: 今日新增 is by start date (issue 15)


def test_charts_requests_by_category_and_residents_by_tag(community):
    seed(community, TODAY)
    d = dashboard.load(TODAY)
    by_category = dict(d.requests_by_category)
    # 停电 was received 20 days ago, often last month, and is still open: 本月诉求 counts it on any day of the month
    assert by_category["漏雨"] == 1 and by_category["停电"] == 1
    by_tag = {name: n for _tid, name, n in d.residents_by_tag}
    assert by_tag["老年人"] == 2 and by_tag["党员"] == 1 and by_tag["残疾人"] == 1 and by_tag["低保户"] == 0
    assert dashboard.load(TODAY, charts=False).case_days == []


def test_cleaning_this_week_done_over_planned(community):
    d = cleaning_data.small_round(community)
    cleaning.add_eligible(d["round"])
    for key in ("wang", "qian"):
        cleaning.save_survey(d["round"], d[key], {"contact_method": "上门", "result": "需要", "windows": "4"})
    cleaning_visits.run_auto_schedule(d["round"])
    week = cleaning_data.START  # visits fall in the week of 2026-11-16
    assert dashboard.cleaning_week(week) == (0, 2)
    assert dashboard.cleaning_week(week - dt.timedelta(days=7)) == (0, 0)
    first = cleaning_visits.visit_ids(d["round"])[0]
    cleaning_visits.record_visit(first, {"done": True, "glass": True, "windows_cleaned": "4"})
    assert dashboard.load(week + dt.timedelta(days=3)).cleaning_done == 1
