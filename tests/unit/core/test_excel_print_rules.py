"""Issue 16's Excel rules, read back with openpyxl (no LibreOffice; tools/check_excel_print.py prints for real):
A4 at 8 pt or larger, framed data cells, typed dates/amounts/percentages, an autofilter, titles merged across the
printed width, the office as the workbook's author, row heights for wrapped and hand-written rows."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from community_desk.core.excel import house_style as hs
from community_desk.core.excel.house_style import (
    DATE,
    MONEY,
    Percent,
    ReportMeta,
    Sheet,
    plan_print,
    write_workbook,
)

LONG = "原定本月八日到北京肿瘤医院复查，须改约到隔离期满后，期满当天优先预约并安排车辆接送"


def paper_pt(ws) -> float:
    """The printed size of the 11 pt data text, from what the file says: widths, orientation, fit or scale."""
    widths = [ws.column_dimensions[get_column_letter(i)].width for i in range(1, ws.max_column + 1)]
    room = hs.printable_width(ws.page_setup.orientation == "landscape")
    if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage:
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        return hs.DATA_PT * min(1.0, room / hs.printed_width(widths))
    return hs.DATA_PT * ws.page_setup.scale / 100


def framed(ws) -> str | None:
    """The range whose cells carry a thin frame: one always-true conditional format (a style per cell cost twice the
    export time on 100,000 rows)."""
    for fmt in ws.conditional_formatting:
        for rule in fmt.rules:
            border = rule.dxf.border if rule.dxf else None
            if rule.formula == ["TRUE"] and border and all(
                    getattr(border, side).style == "thin" for side in ("left", "right", "top", "bottom")):
                return str(fmt.sqref)
    return None


def check_house_rules(ws, office: str = "长阳镇原乡小镇社区居委会") -> None:
    """The rules every sheet keeps; ws from openpyxl.load_workbook."""
    ncols = max(len([c for c in ws[2] if c.value is not None]), 1)
    last = get_column_letter(ncols)
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert ncols == 1 or any(r.startswith("A1:") for r in merged), merged
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith(f"A2:{last}")
    assert paper_pt(ws) >= hs.MIN_PAPER_PT
    assert ws.page_setup.paperSize in ("9", 9)
    if ws.cell(3, 1).value is not None and ws.max_row > 4:
        assert framed(ws) == f"A3:{last}{ws.auto_filter.ref.split(last)[-1]}", ws.title
    assert ws.parent.properties.creator == office and ws.parent.properties.lastModifiedBy == office


def test_plan_print_narrow_sheet_is_portrait_at_full_size():
    plan = plan_print([4, 8, 10], [4, 4, 4], [False, False, False])
    assert not plan.landscape and plan.fit_width and plan.paper_pt == pytest.approx(11)


def test_plan_print_caps_long_text_to_keep_8_pt():
    # the old residents export: 16 columns, long text fitted to its widest value (up to 60), printed at 5.7 pt
    natural = [5, 6, 4, 4, 18, 13, 12, 40, 10, 10, 30, 8, 12, 12, 40, 60]
    wrappable = [n > 20 for n in natural]
    old_pt = hs.DATA_PT * hs.printable_width(True) / hs.printed_width([min(n + 2, 60) for n in natural])
    assert old_pt < 8
    plan = plan_print(natural, [4.0] * 16, wrappable)
    assert plan.landscape and plan.fit_width and plan.paper_pt >= 8
    assert all(w <= hs.WRAP_CAP + hs.PAD_UNITS for w, wrap in zip(plan.widths, wrappable, strict=True) if wrap)


def test_plan_print_too_wide_prints_at_8_pt_with_pages_across():
    plan = plan_print([18.0] * 20, [18.0] * 20, [False] * 20)  # 20 ID-number columns: nothing can wrap
    assert plan.landscape and not plan.fit_width and plan.paper_pt >= 8
    assert 1 <= hs.title_span(plan) < 20  # the title is merged over the first page's columns only


def test_workbook_types_frames_and_heights(tmp_path):
    out = tmp_path / "t.xlsx"
    rows = [(1, "2026-08-21", "1234.5", Percent(0.3), LONG), (2, dt.date(2026, 8, 22), 7, Percent(1), "短")]
    sheets = [Sheet(name="明细", title="一份很长很长的标题，比几列加起来还宽的宣传活动台账", rows=rows,
                    headers=["序号", "日期", "费用（元）", "占比", "备注"], kinds={"日期": DATE, 2: MONEY},
                    total=("合计", "", 1241.5, Percent(1), "")),
              Sheet(name="签到表", title="签到表", headers=["姓名", "签字"], rows=[("王洋", "")],
                    row_height=hs.SIGN_ROW_HEIGHT)]
    write_workbook(out, sheets, ReportMeta(office="长阳镇原乡小镇社区居委会", reporter="张敏"))
    wb = openpyxl.load_workbook(out)
    ws = wb["明细"]
    check_house_rules(ws)
    assert ws.auto_filter.ref == "A2:E4" and framed(ws) == "A3:E4"
    assert "A1:E1" in {str(r) for r in ws.merged_cells.ranges}
    footer_row = ws.max_row
    assert f"A{footer_row}:E{footer_row}" in {str(r) for r in ws.merged_cells.ranges}
    date = ws["B3"]
    assert isinstance(date.value, dt.datetime) and date.value.date() == dt.date(2026, 8, 21)
    assert date.number_format == "yyyy-mm-dd" and ws["B4"].number_format == "yyyy-mm-dd"
    assert ws["C3"].value == 1234.5 and ws["C3"].number_format == "#,##0.00"
    assert ws["D3"].value == pytest.approx(0.3) and ws["D3"].number_format == "0.0%"
    assert ws["D5"].value == 1 and ws["D5"].number_format == "0.0%"  # the 合计 row too
    assert ws["E3"].alignment.wrap_text and ws.row_dimensions[3].height > 20  # the long note wraps, row made high
    assert ws.row_dimensions[4].height is None or ws.row_dimensions[4].height < 20
    widths = sum(ws.column_dimensions[get_column_letter(i)].width for i in range(1, 6))
    assert widths >= hs.text_units(ws["A1"].value, hs.TITLE_PT)  # the title fits the merged width
    sign = wb["签到表"]
    check_house_rules(sign)
    assert sign.row_dimensions[3].height >= 30  # room for a signature
    assert ws["A1"].value.startswith("一份很长")


def test_office_missing_falls_back_to_program_name(tmp_path):
    out = tmp_path / "t.xlsx"
    write_workbook(out, [Sheet(name="a", title="t", headers=["x"], rows=[(1,)])], ReportMeta())
    assert openpyxl.load_workbook(out).properties.creator == "社区工作台"
