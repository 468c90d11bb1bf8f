"""The cleaning roster workbook: written by the export and the command line, read back cell by cell."""
from __future__ import annotations

import argparse
import datetime as dt

import pytest
from openpyxl import load_workbook

from community_desk.cli import EXPORTS, CommandError
from community_desk.core.excel.cleaning_export import export_cleaning_roster
from community_desk.core.models import Visit
from community_desk.core.queries import cleaning, cleaning_visits
from community_desk.core.rules.text import ValidationError
from tests.unit.cleaning_data import small_round


@pytest.fixture
def served_round(community):
    d = small_round(community, capacity=3)
    cleaning.add_eligible(d["round"])
    for key, windows in (("wang", "6"), ("zhao", "3"), ("sun", "4")):
        cleaning.save_survey(d["round"], d[key], {"contact_method": "上门", "result": "需要", "windows": windows,
                                                  "notes": "=HYPERLINK(\"x\")" if key == "sun" else ""})
    cleaning.save_survey(d["round"], d["qian"], {"contact_method": "电话", "result": "联系不上"})
    cleaning_visits.run_auto_schedule(d["round"])
    for key, satisfaction in (("wang", "满意"), ("zhao", "基本满意")):
        vid = Visit.get(Visit.resident == d[key]).id
        cleaning_visits.record_visit(vid, {"done": True, "glass": True, "windows_cleaned": "6" if key == "wang" else "3",
                                           "satisfaction": satisfaction, "feedback": "很好"})
    return d


def _check_workbook(path):
    wb = load_workbook(path)
    assert wb.sheetnames == ["服务安排", "服务统计"]
    ws = wb["服务安排"]
    assert "居家无忧项目擦玻璃服务花名册" in ws["A1"].value
    assert [c.value for c in ws[2]][:6] == ["序号", "服务日期", "时段", "服务队", "住址", "姓名"]
    data = [[c.value for c in row] for row in ws.iter_rows(min_row=3, max_row=5)]
    assert sorted(r[5] for r in data) == ["孙德福", "王大洋", "赵建国"]
    deaf = next(r for r in data if r[5] == "赵建国")
    assert deaf[6] == "上门" and deaf[9] == "已完成" and deaf[13] == "基本满意"
    assert deaf[15].startswith("勿打电话")
    sun = next(r for r in data if r[5] == "孙德福")
    assert sun[15] == "=HYPERLINK(\"x\")" and ws.cell(row=3 + data.index(sun), column=16).data_type == "s"
    total = [c.value for c in ws[6]]
    assert total[0] == "合计" and total[1] == "已服务 2 户" and total[8] == 9
    assert any("填报单位：长阳镇原乡小镇社区居委会" in str(c.value) for row in ws.iter_rows() for c in row)
    served_on = ws.cell(3, 2)
    assert isinstance(served_on.value, dt.datetime) and served_on.number_format == "yyyy-mm-dd"  # a date cell
    cells = {r[0].value: r[1] for r in wb["服务统计"].iter_rows(min_row=3) if r[0].value and len(r) > 1}
    figures = {k: c.value for k, c in cells.items()}
    assert figures["已服务户数"] == 2 and figures["擦窗数（扇）"] == 9
    assert figures["  其中联系不上"] == 1 and figures["  满意"] == 1
    rate = cells["满意率（满意＋基本满意）"]  # a number shown as a percentage, not the text "100%"
    assert rate.value == 1 and rate.number_format == "0.0%"


def test_export_reads_back(served_round, tmp_path):
    path = tmp_path / "roster.xlsx"
    stats = export_cleaning_roster(path, served_round["round"])
    assert stats["served"] == 2
    _check_workbook(path)


def test_cli_handler(served_round, tmp_path):
    path = tmp_path / "cli.xlsx"
    message = EXPORTS["cleaning-roster"](argparse.Namespace(round_id=served_round["round"]), path)
    assert "已服务 2 户" in message and "擦窗 9 扇" in message
    _check_workbook(path)
    with pytest.raises(CommandError):
        EXPORTS["cleaning-roster"](argparse.Namespace(round_id=None), path)
    with pytest.raises(ValidationError, match="没有编号为 99"):
        EXPORTS["cleaning-roster"](argparse.Namespace(round_id=99), path)
