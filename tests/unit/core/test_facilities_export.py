"""Excel exports of the facility log and the service desk, through the command line: open the workbook, check totals."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from community_desk.app import main
from community_desk.core import demo
from community_desk.core.db import close_database, open_database
from community_desk.core.queries import facilities, service_desk
from tests.db_target import db_target
from tests.unit.core.test_excel_print_rules import check_house_rules


def _rows(ws) -> list[tuple]:
    return [row for row in ws.iter_rows(values_only=True)]


def test_export_facilities_totals(db, db_path, tmp_path, community):
    kinds = {name: kid for kid, name, _u in facilities.list_kinds()}
    for name, qty, cost in (("座椅甲", "20", "1000.10"), ("座椅乙", "8", "999.95")):
        facilities.save({"kind_id": kinds["休闲座椅"], "name": name, "quantity": qty, "unit": "套", "status": "已完工",
                         "installed_date": "2026-05-01", "cost": cost})
    facilities.save({"kind_id": kinds["社区图书馆"], "name": "=HYPERLINK(\"x\")", "quantity": "1", "unit": "个",
                     "status": "已立项", "cost": "85000", "next_step": "完成设计方案"})
    close_database()
    out = tmp_path / "设施台账.xlsx"
    assert main(["--db", db_target(db_path), "export", "facilities", "--out", str(out)]) == 0
    open_database(db_target(db_path))
    wb = load_workbook(out)
    assert wb.sheetnames == ["设施台账", "分类汇总", "规划项目"]
    log = _rows(wb["设施台账"])
    assert log[1][0] == "序号" and "费用（元）" in log[1]
    total = next(row for row in log if row[0] == "合计")
    cost_col = log[1].index("费用（元）")
    assert Decimal(str(total[cost_col])) == Decimal("87000.05")
    assert total[log[1].index("数量")] == 29
    cell = next(c for row in wb["设施台账"].iter_rows() for c in row if c.value and str(c.value).startswith("=HYP"))
    assert cell.data_type == "s"  # text, not a live formula
    assert log[-1][0].startswith("填报单位：长阳镇原乡小镇社区居委会")
    totals = _rows(wb["分类汇总"])
    header = totals[1]
    chairs = next(row for row in totals if row[0] == "休闲座椅")
    assert chairs[header.index("已完工")] == 28 and chairs[header.index("单位")] == "套"
    assert Decimal(str(chairs[header.index("费用合计（元）")])) == Decimal("2000.05")
    planned = _rows(wb["规划项目"])
    assert planned[2][planned[1].index("下一步")] == "完成设计方案"


def test_export_service_requests_counts(db, db_path, tmp_path, community):
    cats = {name: cid for cid, name in service_desk.list_categories()}
    now = dt.datetime(2026, 6, 15, 9, 0)
    for cat, phone in (("漏雨", "13800138000"), ("漏雨", ""), ("停电", "01069001234")):
        service_desk.take_in({"contact_name": "王秀英", "contact_phone": phone, "category_id": cats[cat],
                              "description": "测试", "received_at": now}, dt.datetime(2026, 6, 30))
    service_desk.take_in({"contact_name": "刘伟", "category_id": cats["停电"], "description": "七月的",
                          "received_at": dt.datetime(2026, 7, 2, 8, 0)}, dt.datetime(2026, 7, 3))
    first = service_desk.search_ids(service_desk.RequestFilter(descending=False))[0]
    service_desk.resolve(first, {"resolution": "修好", "solved": "解决", "resolved_date": "2026-06-16"})
    service_desk.follow_up(first, {"satisfaction": "满意", "followup_date": "2026-06-18"})
    close_database()
    out = tmp_path / "工单.xlsx"
    assert main(["--db", db_target(db_path), "export", "service-requests", "--from", "2026-06-01", "--to", "2026-06-30",
                 "--out", str(out)]) == 0
    open_database(db_target(db_path))
    wb = load_workbook(out)
    detail = _rows(wb["工单明细"])
    numbers = [row[1] for row in detail[2:] if row[0] and isinstance(row[0], int)]
    assert numbers == ["WLB-2026-0001", "WLB-2026-0002", "WLB-2026-0003"]  # July's request is outside
    phone_cell = wb["工单明细"].cell(row=3, column=6)
    assert phone_cell.value == "13800138000" and phone_cell.data_type == "s"
    stats = {(row[0], row[1]): row[2] for row in _rows(wb["统计汇总"])[2:] if row[0] and row[1]}
    assert stats[("问题类别", "漏雨")] == 2 and stats[("问题类别", "停电")] == 1
    assert stats[("办理状态", "已回访")] == 1 and stats[("办理状态", "待受理")] == 2
    assert stats[("满意度", "满意")] == 1 and stats[("合计", "工单总数")] == 3
    summary = wb["统计汇总"]
    share = next(row[3] for row in summary.iter_rows(min_row=3) if row[1].value == "漏雨")
    assert share.value == pytest.approx(2 / 3) and share.number_format == "0.0%"  # a number, not "66.7%"
    assert "A1:D1" in {str(r) for r in summary.merged_cells.ranges}
    received = wb["工单明细"].cell(row=3, column=3)
    assert received.value == dt.datetime(2026, 6, 15, 9, 0) and received.number_format == "yyyy-mm-dd hh:mm"
    for ws in wb.worksheets:
        check_house_rules(ws)


def test_bad_dates_exit_2(db, db_path, tmp_path, capsys):
    close_database()
    code = main(["--db", db_target(db_path), "export", "service-requests", "--from", "2026-13-01",
                 "--out", str(tmp_path / "x.xlsx")])
    open_database(db_target(db_path))
    assert code == 2 and "不存在" in capsys.readouterr().err


def test_demo_holds_the_issue_facilities(db):
    demo.load_demo_data(residents=50, today=dt.date(2026, 6, 30))
    assert facilities.totals_text() == "休闲座椅 28 套　儿童滑梯 1 组　秋千 2 套　摇摇马 5 个　跷跷板 1 个　乒乓球桌 2 台"
    assert {p["kind"] for p in facilities.planned_projects()} == {"电动车充电桩", "社区图书馆", "党群服务中心"}
    cats = dict(service_desk.counts_by("category"))
    assert cats["漏雨"] >= 2 and cats["停电"] >= 2
    status = service_desk.status_counts()
    assert status["已办结"] + status["已回访"] >= 4 and service_desk.open_count() >= 1
    numbers = [service_desk.get(i)["number"] for i in service_desk.search_ids(
        service_desk.RequestFilter(descending=False))]
    assert numbers == sorted(numbers)
