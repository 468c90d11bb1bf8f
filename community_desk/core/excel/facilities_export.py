"""The facility log (设施台账) and the service desk's requests (我来办工单) as Excel, in the house style.

The same workbooks come from the windows and from `export facilities` / `export service-requests`.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

from ..models.facilities import FACILITY_STATUSES
from ..queries import audit, facilities, service_desk
from ..rules.facilities import sum_money
from ..rules.masking import mask_phone
from .house_style import DATE, DATETIME, MONEY, Percent, Sheet, write_workbook
from .residents_export import community_title, report_meta


def facility_sheets(flt: facilities.FacilityFilter | None = None) -> list[Sheet]:
    ids = facilities.search_ids(flt or facilities.FacilityFilter())
    log_rows = [(n, *row) for n, row in enumerate(facilities.iter_rows(ids), start=1)]
    cost_col = facilities.COLUMN_KEYS.index("cost")
    quantity_col = facilities.COLUMN_KEYS.index("quantity")
    log_total = ["合计", f"{len(log_rows)} 项"] + [""] * len(facilities.COLUMNS)
    log_total[1 + quantity_col] = sum(row[1 + quantity_col] for row in log_rows)
    log_total[1 + cost_col] = sum_money(row[1 + cost_col] for row in log_rows)
    log = Sheet(name="设施台账", title=f"{community_title()}设施台账",
                headers=["序号"] + [header for _key, header in facilities.COLUMNS], rows=log_rows,
                total=tuple(log_total), min_widths={5: 20, 15: 12},
                kinds={"计划日期": DATE, "安装日期": DATE, "最近巡检": DATE, "费用（元）": MONEY})

    lines = facilities.totals_by_kind_and_status()
    total_rows = [(line.kind, line.units, *(line.by_status[s] for s in FACILITY_STATUSES), line.quantity,
                   line.count, line.cost) for line in lines]
    totals_total = ("合计", "", *(sum(line.by_status[s] for line in lines) for s in FACILITY_STATUSES),
                    sum(line.quantity for line in lines), sum(line.count for line in lines),
                    sum_money(line.cost for line in lines))
    totals = Sheet(name="分类汇总", title="设施分类汇总（按种类和状态）",
                   headers=["设施种类", "单位", *FACILITY_STATUSES, "数量合计", "项数", "费用合计（元）"],
                   rows=total_rows, total=totals_total, kinds={"费用合计（元）": MONEY})

    planned = facilities.planned_projects()
    planned_rows = [(n, p["kind"], p["name"], p["quantity"], p["unit"], p["location"], p["status"],
                     p["planned_date"], p["cost"] if p["cost"] is not None else "", p["funding"], p["responsible"],
                     p["next_step"]) for n, p in enumerate(planned, start=1)]
    projects = Sheet(name="规划项目", title="规划项目", rows=planned_rows,
                     headers=["序号", "设施种类", "项目名称", "数量", "单位", "位置", "状态", "计划日期", "预算（元）",
                              "资金来源", "负责人", "下一步"],
                     total=("合计", f"{len(planned)} 项", "", "", "", "", "", "",
                            sum_money(p["cost"] for p in planned), "", "", ""), min_widths={11: 24},
                     kinds={"计划日期": DATE, "预算（元）": MONEY})
    return [log, totals, projects]


def export_facilities(path: str | os.PathLike, flt: facilities.FacilityFilter | None = None,
                      progress: Callable[[int], bool] | None = None) -> int:
    """Write the facility log, the totals by kind and status, and the planned projects. Returns items written."""
    sheets = facility_sheets(flt)
    write_workbook(path, sheets, report_meta(), progress)
    count = len(sheets[0].rows)  # type: ignore[arg-type]
    audit.record("导出", facilities.TABLE, None, f"导出设施台账 {count} 项到 {os.path.basename(str(path))}")
    return count


def period_text(date_from: dt.date | None, date_to: dt.date | None) -> str:
    if date_from and date_to:
        return f"{date_from:%Y年%m月%d日}至{date_to:%Y年%m月%d日}"
    if date_from:
        return f"{date_from:%Y年%m月%d日}起"
    if date_to:
        return f"截至{date_to:%Y年%m月%d日}"
    return "全部"


def export_service_requests(path: str | os.PathLike, date_from: dt.date | None = None,
                            date_to: dt.date | None = None, flt: service_desk.RequestFilter | None = None,
                            progress: Callable[[int], bool] | None = None, mask: bool = False) -> int:
    """Requests received in the period (12345 columns) and their counts by category, status and satisfaction.

    With `mask` the contact phones are masked (138****5678); the choice goes to the audit log."""
    flt = flt or service_desk.RequestFilter(date_from=date_from, date_to=date_to, descending=False)
    ids = service_desk.search_ids(flt)
    period = period_text(flt.date_from, flt.date_to)
    phone = service_desk.COLUMN_KEYS.index("contact_phone")
    rows = ((n, *(mask_phone(v or "") if mask and i == phone else v for i, v in enumerate(row)))
            for n, row in enumerate(service_desk.iter_rows(ids), start=1))
    detail = Sheet(name="工单明细", title=f"{community_title()}我来办工作站工单台账（{period}）",
                   headers=["序号"] + [header for _key, header in service_desk.COLUMNS], rows=rows,
                   min_widths={1: 15, 2: 17, 5: 13},
                   kinds={"受理时间": DATETIME, "办理时限": DATE, "办结日期": DATE})
    stats_rows = []
    for label, field in (("问题类别", "category"), ("办理状态", "status"), ("满意度", "satisfaction")):
        counts = service_desk.counts_by(field, flt.date_from, flt.date_to)
        for name, n in counts:
            share = Percent(n / len(ids)) if ids else "—"
            stats_rows.append((label, name, n, share))
    stats = Sheet(name="统计汇总", title=f"我来办工单统计（{period}）", headers=["统计项", "分类", "件数", "占比"],
                  rows=stats_rows, total=("合计", "工单总数", len(ids), Percent(1) if ids else "—"))
    write_workbook(path, [detail, stats], report_meta(), progress)
    audit.record("导出", service_desk.TABLE, None, f"导出我来办工单 {len(ids)} 件到 {os.path.basename(str(path))}"
                 f"（{'电话已脱敏' if mask else '完整电话'}）")
    return len(ids)
