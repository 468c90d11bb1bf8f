"""The whole flow without a screen: import a dispatched list -> today's tests -> results -> release
-> the day's report for the higher office."""
import datetime as dt

from openpyxl import Workbook, load_workbook

from community_desk.core.excel import ledger_import, ledger_preview
from community_desk.core.excel.quarantine_daily import export_daily
from community_desk.core.queries import quarantine as q
from community_desk.core.queries import quarantine_items as items
from community_desk.core.rules.idcard import make_id

D = dt.date


def test_import_to_release_to_report(db, community, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "证件号码", "手机号", "住址", "返京时间", "人员类别", "管控措施"])
    ws.append([1, "王伟", make_id("110111", D(1980, 1, 1), 1), "13800138000", "3号楼501", "8月1日", "密切接触者",
               "居家健康监测"])
    ws.append([2, "李娜", make_id("110111", D(1980, 1, 1), 2), "13800138001", "4号楼501", "8月1日", "次密接",
               "居家隔离"])
    wb.save(tmp_path / "l.xlsx")
    counts = ledger_import.commit(ledger_preview.preview(tmp_path / "l.xlsx", push_date=D(2021, 8, 2)))
    assert counts["new"] == 2
    wang, li = sorted(q.search_ids(q.CaseFilter()))
    items.bulk_verify([wang, li], today=D(2021, 8, 2))
    # 居家健康监测: 7 days, tests on days 1 and 7 (8月1日, 8月7日)
    for day in (D(2021, 8, 1), D(2021, 8, 7)):
        for test_id in items.today_ids("tests_due", day):
            items.record_result(test_id, "阴性", sampling_date=day, result_date=day)
    assert wang in items.today_ids("releases", D(2021, 8, 7))
    assert q.release(wang, "期满解除", D(2021, 8, 7)) == "已解除"
    assert export_daily(tmp_path / "d.xlsx", D(2021, 8, 7)) == 2
    sheet = load_workbook(tmp_path / "d.xlsx")["当日统计"]
    total = [r for r in sheet.iter_rows(values_only=True) if r[0] == "合计"][0]
    assert total[2:7] == (1, 0, 1, 2, 0)  # 在管 1, 新增 0, 解除 1, 今日核酸 2, 阳性 0
