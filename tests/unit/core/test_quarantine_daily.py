"""The daily report workbook: columns, counts, detailed sheets, text safety; the CLI export."""
import datetime as dt

from openpyxl import load_workbook

from community_desk import app
from community_desk.core.excel.quarantine_daily import export_daily
from community_desk.core.queries import quarantine as q
from community_desk.core.queries import quarantine_items as items
from community_desk.core.queries.quarantine_report import DAILY_HEADERS
from community_desk.core.rules.idcard import make_id

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
    assert [c.value for c in ws[2]] == DAILY_HEADERS
    rows = {r[1]: r for r in ws.iter_rows(min_row=3, max_row=4, values_only=True)}
    wang = rows["王伟"]
    assert wang[3] == make_id("110111", D(1980, 1, 1), 1) and ws["D3"].data_type == "s"
    assert wang[12] == "2021-08-08 阴性"
    assert ws.cell(row=[r[1] for r in ws.iter_rows(min_row=3, max_row=4, values_only=True)].index("王伟") + 3,
                   column=16).data_type == "s"  # formula-looking note stays text
    assert "肿瘤医院复查改约" in rows["李娜"][13]
    footer = [r[0] for r in ws.iter_rows(values_only=True) if r[0] and str(r[0]).startswith("填报单位")]
    assert footer and "张敏" in footer[0]
    counts = {(r[0], r[1]): r[2:] for r in wb["当日统计"].iter_rows(min_row=3, values_only=True) if r[0]}
    assert counts[("人员分类", "密切接触者")] == (1, 0, 0, 1, 0, 0)
    assert counts[("管控措施", "居家健康监测")][0] == 1
    assert counts[("合计", None)][0] == 2 or counts[("合计", "")][0] == 2


def test_cli_daily_export(db, community, tmp_path, db_path, capsys):
    _case("王伟", 1, "密切接触者")
    out = tmp_path / "d.xlsx"
    assert app.main(["--db", str(db_path), "export", "quarantine-daily", "--date", "2021-08-06", "--out", str(out)]) == 0
    assert "1 人" in capsys.readouterr().out
    assert load_workbook(out).sheetnames == ["隔离管控台账", "当日统计"]
    assert app.main(["--db", str(db_path), "export", "quarantine-daily", "--date", "8/6", "--out", str(out)]) == 2
