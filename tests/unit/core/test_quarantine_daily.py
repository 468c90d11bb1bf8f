"""The daily report workbook: columns, counts, detailed sheets, text safety; the CLI export; the printed day list."""
import datetime as dt

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from community_desk import app
from community_desk.core.excel.quarantine_daily import export_daily
from community_desk.core.queries import quarantine as q
from community_desk.core.queries import quarantine_items as items
from community_desk.core.queries import quarantine_positive as positive
from community_desk.core.rules.idcard import make_id
from tests.db_target import db_target

D = dt.date
DAY = D(2021, 8, 8)
START = D(2021, 8, 5)


def _case(name, seq, classification, measure="居家隔离", start=START, **kw):
    return q.create_case({"name": name, "id_number": make_id("110111", D(1980, 1, 1), seq), "phone": "13800138000",
                          "address": "3号楼501", "classification": classification, "measure": measure,
                          "start_date": start.isoformat(), **kw}, today=start)


def test_daily_workbook(db, community, tmp_path):
    a = _case("王伟", 1, "密切接触者", notes="=HYPERLINK(\"http://x\")")
    b = _case("李娜", 2, "中高风险地区返京", measure="居家健康监测")
    _case("张强", 3, "密切接触者", start=D(2021, 8, 9))  # not yet under control on DAY
    t = items.tests_of(a)[1]  # day 4 = 8月8日
    items.record_result(t["id"], "阴性", sampling_date=DAY, result_date=DAY)
    items.add_need(b, "就医", "肿瘤医院复查改约", DAY)
    path = tmp_path / "daily.xlsx"
    assert export_daily(path, DAY, detailed=True) == 2
    wb = load_workbook(path)
    assert wb.sheetnames == ["隔离管控台账", "当日统计", "中高风险地区返京", "密切接触者"]
    ws = wb["隔离管控台账"]
    header = [c.value for c in ws[2]]
    assert header == HEADERS
    rows = {r[1]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=3, max_row=4, values_only=True)}
    wang = rows["王伟"]
    assert wang["身份证号"] == make_id("110111", D(1980, 1, 1), 1) and ws["D3"].data_type == "s"
    assert wang["第4天核酸"] == "08-08 阴性"
    assert ws.cell(row=[r[1] for r in ws.iter_rows(min_row=3, max_row=4, values_only=True)].index("王伟") + 3,
                   column=len(header)).data_type == "s"  # formula-looking note stays text
    assert "肿瘤医院复查改约" in rows["李娜"]["特殊需求"]
    footer = [r[0] for r in ws.iter_rows(values_only=True) if r[0] and str(r[0]).startswith("填报单位")]
    assert footer and "张敏" in footer[0]
    counts = {(r[0], r[1]): r[2:] for r in wb["当日统计"].iter_rows(min_row=3, values_only=True) if r[0]}
    assert counts[("人员分类", "密切接触者")] == (1, 0, 0, 1, 0, 0)
    assert counts[("管控措施", "居家健康监测")][0] == 1
    assert counts[("合计", None)][0] == 2 or counts[("合计", "")][0] == 2


HEADERS = ["序号", "姓名", "性别", "身份证号", "联系电话", "年龄", "所属社区", "现居住地址", "来源(市派/自排)",
           "人员分类", "出发地", "交通方式", "返京日期", "管控措施", "隔离起始日期", "计划解除日期",
           "第1天核酸", "第4天核酸", "第7天核酸", "第14天核酸", "体温/健康状况", "健康监测责任人", "特殊需求", "状态",
           "集中隔离地点", "解除日期", "解除方式", "批准人", "备注"]


def _the_town_reads(community):
    """A positive on day 1, negative on day 4, transferred on day 4; a 居家健康监测 released early, with approval."""
    wang = _case("王伟", 1, "密切接触者", community_id=community, origin="湖北武汉", transport="G72",
                 arrival_date="2021-08-04", follow_up_worker="赵敏")
    tests = items.tests_of(wang)
    positive.record_positive(tests[0]["id"], START, result_date=D(2021, 8, 6))
    items.record_result(tests[1]["id"], "阴性", sampling_date=DAY, result_date=DAY)
    fu = next(f for f in items.follow_ups_of(wang) if f["date"] == D(2021, 8, 7))
    items.record_follow_up(fu["id"], "异常", temperature="37.6", symptoms="咳嗽")
    positive.record_transfer(wang, DAY, "长阳镇集中隔离点")
    li = q.create_case({"name": "李娜", "id_number": make_id("110111", D(1980, 8, 9), 2), "address": "5号楼201",
                        "community_id": community, "classification": "中高风险地区返京", "measure": "居家健康监测",
                        "start_date": START.isoformat()}, today=START)
    q.release(li, "提前解除", DAY, approved_by="刘主任", reason="经镇防控办批准")
    return wang, li


def test_the_ledger_shows_what_the_town_reads(db, community, tmp_path):
    _the_town_reads(community)
    path = tmp_path / "daily.xlsx"
    assert export_daily(path, DAY) == 2
    ws = load_workbook(path)["隔离管控台账"]
    header = [c.value for c in ws[2]]
    assert header == HEADERS
    rows = {r[1]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=3, max_row=4, values_only=True)}
    wang, li = rows["王伟"], rows["李娜"]
    assert (wang["第1天核酸"], wang["第4天核酸"], wang["第7天核酸"]) == ("08-05 阳性", "08-08 阴性", None)
    assert wang["所属社区"] == "原乡小镇" and wang["年龄"] == 41
    assert li["年龄"] == 40  # born 1980-08-09: 41 only the day after the report
    assert (wang["出发地"], wang["交通方式"], wang["返京日期"]) == ("湖北武汉", "G72", dt.datetime(2021, 8, 4))
    assert wang["体温/健康状况"] == "08-07 37.6℃ 异常：咳嗽" and wang["健康监测责任人"] == "赵敏"
    assert wang["状态"] == "已转运" and wang["集中隔离地点"] == "长阳镇集中隔离点"
    assert (wang["解除日期"], wang["解除方式"]) == (dt.datetime(2021, 8, 8), "阳性转运")
    assert (li["解除日期"], li["解除方式"], li["批准人"]) == (dt.datetime(2021, 8, 8), "提前解除", "刘主任")
    assert li["第1天核酸"] == "08-05 未采样" and li["第4天核酸"] is None and li["第14天核酸"] is None  # 1 and 7 only
    assert li["集中隔离地点"] is None and li["状态"] == "已解除"
    # the day before: nothing of the transfer or the release yet, the positive awaiting its transfer
    export_daily(path, D(2021, 8, 7))
    ws = load_workbook(path)["隔离管控台账"]
    rows = {r[1]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=3, max_row=4, values_only=True)}
    wang, li = rows["王伟"], rows["李娜"]
    assert wang["状态"] == "阳性待转运" and wang["集中隔离地点"] is None and wang["解除日期"] is None
    assert wang["第4天核酸"] is None and wang["第1天核酸"] == "08-05 阳性"
    assert li["状态"] == "管控中" and li["批准人"] is None


def test_the_ledger_prints_on_a4_landscape_with_long_text_capped(db, community, tmp_path):
    wang, _li = _the_town_reads(community)
    items.add_need(wang, "就医", "每周二、周五上午到区医院血液透析，需社区联系120负压救护车接送并提前一天报镇防控办备案",
                   DAY)
    path = tmp_path / "daily.xlsx"
    export_daily(path, DAY)
    ws = load_workbook(path)["隔离管控台账"]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize in ("9", 9)
    header = [c.value for c in ws[2]]
    need = header.index("特殊需求") + 1
    assert ws.column_dimensions[get_column_letter(need)].width <= 30  # capped: the long need wraps
    row = next(r for r in range(3, 5) if ws.cell(row=r, column=2).value == "王伟")
    assert "血液透析" in ws.cell(row=row, column=need).value and ws.cell(row=row, column=need).alignment.wrap_text


def test_the_printed_day_list_names_the_community_and_the_tests(qapp, db, community, tmp_path):
    from community_desk.gui import printing
    from community_desk.gui.windows.quarantine.notice import day_list_sheet
    from tests.pdf_text import pdf_text

    _the_town_reads(community)
    sheet = day_list_sheet(DAY)
    assert sheet.font_pt >= 8 and sheet.landscape and sum(sheet.column_widths) <= 100
    path = tmp_path / "day.pdf"
    assert printing.write_pdf(sheet, path) == 1
    text = pdf_text(path)
    assert "原乡小镇" in text and "第1天核酸" in text and "第4天核酸" in text
    assert "08-05 阳性" in text and "08-08 阴性" in text


def test_cli_daily_export(db, community, tmp_path, db_path, capsys):
    _case("王伟", 1, "密切接触者")
    out = tmp_path / "d.xlsx"
    target = db_target(db_path)
    assert app.main(["--db", target, "export", "quarantine-daily", "--date", "2021-08-06", "--out", str(out)]) == 0
    assert "1 人" in capsys.readouterr().out
    assert load_workbook(out).sheetnames == ["隔离管控台账", "当日统计"]
    assert app.main(["--db", target, "export", "quarantine-daily", "--date", "8/6", "--out", str(out)]) == 2
