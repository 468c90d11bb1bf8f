"""The resident workbook: title, header, text-typed IDs and phones, footer, no formulas, atomic write."""
import datetime as dt

import openpyxl
import pytest

from community_desk.core.errors import ExportCancelled
from community_desk.core.excel.house_style import ReportMeta, Sheet, write_workbook
from community_desk.core.excel.residents_export import export_residents
from community_desk.core.queries import residents
from community_desk.core.rules.idcard import make_id
from tests.unit.core.test_excel_print_rules import check_house_rules

ID_A = make_id("110111", dt.date(1956, 3, 12), 21)


@pytest.fixture
def two_residents(community):
    residents.save({"name": "王洋", "community_id": community, "id_number": ID_A, "phone": "13812345678",
                    "building": "3", "unit": "2", "room": "501", "notes": "=HYPERLINK(\"http://x\")"})
    residents.save({"name": "李娜", "community_id": community, "phone": "010-67891234", "notes": "-请上门"})


def test_export_has_title_header_text_ids_and_footer(two_residents, tmp_path):
    out = tmp_path / "居民台账.xlsx"
    assert export_residents(out) == 2
    ws = openpyxl.load_workbook(out).active
    assert ws["A1"].value == "原乡小镇居民台账"
    assert "A1:P1" in {str(r) for r in ws.merged_cells.ranges}
    headers = [c.value for c in ws[2]]
    assert headers[:6] == ["序号", "姓名", "性别", "年龄", "身份证号", "联系电话"]
    assert ws.freeze_panes == "A3"
    id_col, phone_col, notes_col = headers.index("身份证号") + 1, headers.index("联系电话") + 1, headers.index("备注") + 1
    rows = {ws.cell(r, 2).value: r for r in (3, 4)}
    wang = rows["王洋"]
    assert ws.cell(wang, id_col).value == ID_A and ws.cell(wang, id_col).data_type == "s"
    assert ws.cell(wang, phone_col).value == "13812345678" and ws.cell(wang, phone_col).data_type == "s"
    formula_cell = ws.cell(wang, notes_col)
    assert formula_cell.data_type == "s" and formula_cell.value.startswith("=HYPERLINK")
    assert ws.cell(rows["李娜"], notes_col).value == "-请上门"
    footer = ws.cell(ws.max_row, 1).value
    assert "填报单位：长阳镇原乡小镇社区居委会" in footer and "填报人：张敏" in footer and "填报日期" in footer
    assert ws.page_setup.orientation == "landscape"
    assert "所属社区" in headers and ws.cell(wang, headers.index("所属社区") + 1).value == "原乡小镇"
    check_house_rules(ws)  # framed, autofilter, 8 pt or larger on A4, the office as author


def test_filtered_export_writes_only_the_filter(two_residents, tmp_path):
    out = tmp_path / "wy.xlsx"
    assert export_residents(out, residents.ResidentFilter(text="wy")) == 1
    ws = openpyxl.load_workbook(out).active
    assert ws.cell(3, 2).value == "王洋"


def test_cancelled_export_leaves_old_file_whole(tmp_path):
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"old contents")
    sheet = Sheet(name="表", title="测试", headers=["a"], rows=((i,) for i in range(5000)))
    with pytest.raises(ExportCancelled):
        write_workbook(out, [sheet], ReportMeta(), progress=lambda n: n < 2000)
    assert out.read_bytes() == b"old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]
