"""The cleaning round as Excel (擦玻璃服务花名册): its visits and its figures, in the house style.

The same workbook comes from the window and from `export cleaning-roster --round ID`.
"""
from __future__ import annotations

import os
from collections.abc import Callable

from ..models import ServiceRound
from ..models.cleaning import SATISFACTION, SURVEY_RESULTS
from ..queries import audit, cleaning_visits
from ..queries.cleaning import as_date
from ..rules.cleaning import date_text, span_text
from ..rules.text import ValidationError
from .house_style import Percent, Sheet, write_workbook
from .residents_export import report_meta

HEADERS = ["序号", "服务日期", "时段", "服务队", "住址", "姓名", "联系方式", "窗户数", "擦窗数", "完成情况",
           "开始时间", "结束时间", "发现问题", "满意度", "居民意见", "备注"]


def _visit_rows(round_id: int):
    ids = cleaning_visits.visit_ids(round_id)
    records = {vid: cleaning_visits.get_visit(vid) for vid in ids}
    for n, row in enumerate(cleaning_visits.iter_visits(ids), start=1):
        v = records[row[0]]
        yield (n, as_date(row[1]), row[2], row[3], row[4], row[6], row[7], row[8] or "",
               v["windows_cleaned"] if v["done"] else "", "已完成" if v["done"] else "未完成",
               v["started_at"], v["finished_at"], v["problems"], v["satisfaction"], v["feedback"],
               cleaning_visits.visit_notes(row))


def figures(round_id: int) -> list[tuple[str, object]]:
    stats = cleaning_visits.round_stats(round_id)
    rows: list[tuple[str, object]] = [("纳入户数", stats["households"]), ("已前期统计户数", stats["surveyed"])]
    rows += [(f"  其中{result}", stats["results"].get(result, 0)) for result in SURVEY_RESULTS]
    rows += [("已安排户数", stats["scheduled"]), ("已服务户数", stats["served"]), ("擦窗数（扇）", stats["windows"]),
             ("已回访户数", stats["followed_up"])]
    rows += [(f"  {level}", stats["satisfaction"][level]) for level in SATISFACTION]
    good = stats["satisfaction"]["满意"] + stats["satisfaction"]["基本满意"]
    rate = Percent(good / stats["followed_up"]) if stats["followed_up"] else "—"
    rows.append(("满意率（满意＋基本满意）", rate))
    return rows


def export_cleaning_roster(path: str | os.PathLike, round_id: int, progress: Callable[[int], bool] | None = None) -> dict:
    """Write the round's workbook. Returns the round's figures (households served, windows ...)."""
    rnd = ServiceRound.get_or_none(ServiceRound.id == round_id)
    if rnd is None:
        raise ValidationError(f"没有编号为 {round_id} 的服务批次")
    start, end = as_date(rnd.start_date), as_date(rnd.end_date)
    community = rnd.community.name if rnd.community_id else ""
    title = f"{community}居家无忧项目擦玻璃服务花名册（{rnd.name}，{span_text(start, end)}）"
    stats = cleaning_visits.round_stats(round_id)
    total = ("合计", f"已服务 {stats['served']} 户", "", "", "", "", "", "", stats["windows"], "", "", "", "",
             f"满意 {stats['satisfaction']['满意']}", "", "")
    visits = Sheet(name="服务安排", title=title, headers=HEADERS, rows=_visit_rows(round_id), total=total,
                   min_widths={1: 11, 4: 22, 12: 16, 14: 20})
    summary = Sheet(name="服务统计", title=f"{community}{rnd.name} 服务统计（截至{date_text(report_meta().date)}）",
                    headers=["项目", "数量"], rows=figures(round_id), min_widths={0: 24, 1: 10})
    write_workbook(path, [visits, summary], report_meta(), progress)
    audit.record("导出", "visit", round_id, f"导出擦玻璃服务花名册 {rnd.name} 到 {os.path.basename(str(path))}")
    return stats
