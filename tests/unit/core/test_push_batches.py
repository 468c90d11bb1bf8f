"""Pushes of the dispatched list (issue 15): an older push never overwrites a newer value nor a later staff edit
(conflicts instead), the same file twice is refused, every sheet with the header is read, 更新 lists only real
changes field by field, invisible characters in IDs, rejected rows kept with the batch and exported, the command's
--again / --community / conflicts. Every workbook is made here with openpyxl."""
import datetime as dt
import json

import openpyxl
import pytest
from openpyxl import Workbook

from community_desk.app import main
from community_desk.core.db import close_database
from community_desk.core.excel import ledger_import as li
from community_desk.core.excel import ledger_preview as lp
from community_desk.core.excel.push_rejected_export import export_rejected
from community_desk.core.models import PushBatch, QuarantineCase
from community_desk.core.models.quarantine import PushRejected
from community_desk.core.queries import communities, push_batches
from community_desk.core.queries import quarantine as q
from community_desk.core.rules.idcard import make_id
from community_desk.core.rules.text import ValidationError
from tests.db_target import db_target

D = dt.date
ARRIVAL = D(2021, 8, 1)
HEADER = ["序号", "姓名", "身份证号码", "手机号", "现居住地址", "所属社区", "来京日期", "管控措施"]


def pid(seq: int) -> str:
    return make_id("110111", D(1980, 1, 1), seq)


def row(seq, name, phone="13800138000", address="原乡小镇3号楼2单元501", community="原乡小镇",
        arrival=ARRIVAL, id_number=None):
    return [seq, name, pid(seq) if id_number is None else id_number, phone, address, community, arrival, "居家隔离"]


def push(path, push_date, rows, *, sheets=None, hidden=()):
    """A list with a title stating 推送日期; `sheets` {name: rows} makes one sheet per day."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, content in (sheets or {"返京人员": rows}).items():
        ws = wb.create_sheet(name)
        ws.append([f"推送单位：房山区疫情防控办  推送日期：{push_date:%Y年%m月%d日}"])
        ws.append(HEADER)
        for r in content:
            ws.append(r)
        for n in hidden:
            ws.row_dimensions[n].hidden = True
    wb.save(path)
    return path


def case(seq=1) -> QuarantineCase:
    return QuarantineCase.get(QuarantineCase.id_number == pid(seq))


def test_newer_push_then_older_push_never_goes_back(db, community, tmp_path):
    li.commit(lp.preview(push(tmp_path / "0808.xlsx", D(2021, 8, 8), [row(1, "肖勇", "13911112222", "3号楼1单元101")])))
    older = lp.preview(push(tmp_path / "0805.xlsx", D(2021, 8, 5), [row(1, "肖勇", "13800138000", "5号楼2单元202")]))
    assert not older.updated and {c.field for c in older.conflicts} == {"phone", "address"}
    phone = next(c for c in older.conflicts if c.field == "phone")
    assert (phone.old, phone.new) == ("13911112222", "13800138000") and "2021-08-08" in phone.source
    counts = li.commit(older)
    assert counts["updated"] == 0 and counts["conflicts"] == 2
    assert (case().phone, case().address) == ("13911112222", "3号楼1单元101")  # kept by default


def test_older_push_then_newer_push_updates(db, community, tmp_path):
    li.commit(lp.preview(push(tmp_path / "0805.xlsx", D(2021, 8, 5), [row(1, "肖勇", "13800138000")])))
    newer = lp.preview(push(tmp_path / "0808.xlsx", D(2021, 8, 8), [row(1, "肖勇", "13911112222")]))
    assert not newer.conflicts and [[c.text() for c in r.changes] for r in newer.updated] == \
        [["联系电话：13800138000 → 13911112222"]]
    li.commit(newer)
    assert case().phone == "13911112222"
    # and after it, the 08-05 file again (a copy with other bytes) conflicts on the phone only
    again = lp.preview(push(tmp_path / "0805b.xlsx", D(2021, 8, 5), [row(1, "肖勇", "13800138000")]))
    assert [c.field for c in again.conflicts] == ["phone"] and not again.updated


def test_taken_conflict_is_applied(db, community, tmp_path):
    li.commit(lp.preview(push(tmp_path / "0808.xlsx", D(2021, 8, 8), [row(1, "肖勇", "13911112222")])))
    older = lp.preview(push(tmp_path / "0805.xlsx", D(2021, 8, 5), [row(1, "肖勇", "13800138000")]))
    older.conflicts[0].take = True
    li.commit(older)
    assert case().phone == "13800138000"


def test_staff_edit_after_the_push_is_not_overwritten(db, community, tmp_path):
    li.commit(lp.preview(push(tmp_path / "0805.xlsx", D(2021, 8, 5), [row(1, "肖勇", "13800138000")])))
    form = q.get_form(case().id)
    q.update_case(case().id, {**form, "phone": "13700001111"})
    later = lp.preview(push(tmp_path / "0806.xlsx", D(2021, 8, 6), [row(1, "肖勇", "13800138000", "5号楼")]))
    assert [c.field for c in later.conflicts] == ["phone"]
    assert "测试员" in later.conflicts[0].source and "修改" in later.conflicts[0].source
    assert [c.field for c in later.updated[0].changes] == ["address"]  # the field nobody edited is updated
    li.commit(later)
    assert case().phone == "13700001111" and case().address == "5号楼"


def test_same_file_twice_is_refused_unless_again(db, community, tmp_path):
    path = push(tmp_path / "a.xlsx", D(2021, 8, 5), [row(1, "肖勇")])
    first = lp.preview(path)
    assert first.already is None and len(first.content_hash) == 64
    li.commit(first)
    second = lp.preview(path)
    assert second.already["batch"] == 1 and second.already["by"] == "测试员"
    with pytest.raises(ValidationError, match="已于 .* 由 测试员 导入过"):
        li.commit(second)
    assert PushBatch.select().count() == 1
    li.commit(second, again=True)
    assert PushBatch.select().count() == 2


def test_update_tab_lists_only_real_changes(db, community, tmp_path):
    people = [row(n, f"居民{n}") for n in range(1, 31)]
    li.commit(lp.preview(push(tmp_path / "a.xlsx", D(2021, 8, 5), people)))
    people[3] = row(4, "居民4", "13911112222")
    second = lp.preview(push(tmp_path / "b.xlsx", D(2021, 8, 6), people))
    assert len(second.unchanged) == 29 and [r.row for r in second.updated] == [6]
    assert [c.text() for c in second.updated[0].changes] == ["联系电话：13800138000 → 13911112222"]
    assert li.commit(second)["updated"] == 1 and PushBatch.get_by_id(2).unchanged_count == 29


def test_one_sheet_per_day_all_read_and_hidden_rows_counted(db, community, tmp_path):
    sheets = {"8月4日": [row(n, f"甲{n}") for n in range(1, 6)], "8月5日": [row(n, f"乙{n}") for n in range(6, 26)]}
    path = push(tmp_path / "days.xlsx", D(2021, 8, 5), [], sheets=sheets, hidden=(4,))
    result = lp.preview(path)
    assert result.sheets == ["8月4日", "8月5日"] and len(result.new) == 25
    assert result.hidden_rows == 2  # row 4 hidden on both sheets: imported, and said
    only = lp.preview(path, sheets=["8月5日"])
    assert len(only.new) == 20 and {r.sheet for r in only.new} == {"8月5日"}


def test_invisible_characters_in_ids_are_cleaned(db, community, tmp_path):
    path = push(tmp_path / "a.xlsx", D(2021, 8, 5), [row(1, "\u200b肖勇", id_number=f"\ufeff{pid(1)}\u200b"),
                                                     row(2, "李娜", id_number=f"\u202a{pid(2)}\u202c")])
    result = lp.preview(path)
    assert not result.rejected and [r.values["id_number"] for r in result.new] == [pid(1), pid(2)]
    assert result.new[0].values["name"] == "肖勇"
    li.commit(result)
    assert case(1).name == "肖勇"


def test_normalised_rows_are_marked(db, community, tmp_path):
    spaced = f"{pid(1)[:6]} {pid(1)[6:14]} {pid(1)[14:]}"
    result = lp.preview(push(tmp_path / "a.xlsx", D(2021, 8, 5), [row(1, "肖勇", "+86 139 1111 2222", arrival="2021.8.3",
                                                                      id_number=spaced)]))
    marks = result.normalised[0].normalised
    assert ("身份证号", spaced, pid(1)) in marks and ("联系电话", "+86 139 1111 2222", "13911112222") in marks
    assert ("返京日期", "2021.8.3", "2021-08-03") in marks


def test_rejected_rows_are_stored_and_exported(db, community, tmp_path):
    rows = [row(1, "肖勇"), row(2, "李娜", id_number="110111198001010000"), row(3, "", ), row(1, "肖勇", "13911112222")]
    li.commit(lp.preview(push(tmp_path / "a.xlsx", D(2021, 8, 5), rows)))
    batch = PushBatch.get()
    assert batch.rejected_count == 3 and PushRejected.select().count() == 3
    stored = push_batches.rejected_rows(batch.id)
    assert [(r[1], r[4]) for r in stored] == [(4, "未导入"), (5, "未导入"), (6, "文件内重复")]
    assert "13911112222" in stored[2][5] and "第 3 行" in stored[2][5]
    out = tmp_path / "退回.xlsx"
    assert export_rejected(out, batch.id) == 3
    sheet = openpyxl.load_workbook(out).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = values.index(push_batches.REJECTED_HEADERS)
    assert [v[1] for v in values[header + 1:header + 4]] == ["4", "5", "6"] or \
        [v[1] for v in values[header + 1:header + 4]] == [4, 5, 6]
    assert "校验码" in values[header + 1][5] or "身份证" in values[header + 1][5]
    listed = push_batches.load_rows(push_batches.search_ids())
    assert listed[batch.id][0] == "a.xlsx" and listed[batch.id][4] == 1 and listed[batch.id][7] == 3
    assert push_batches.search_ids("A.XLSX") == push_batches.search_ids("疫情") == [batch.id]  # either case
    assert push_batches.search_ids("a_xlsx") == push_batches.search_ids("%") == []  # typed _ and % are themselves


def test_unknown_community_in_an_office_serving_several(db, community, tmp_path):
    communities.ensure_communities(["天瑞嘉园"])
    path = push(tmp_path / "a.xlsx", D(2021, 8, 5), [row(1, "肖勇", address="3号楼", community="")])
    result = lp.preview(path)
    assert result.no_community == [("返京人员", 3)]
    with pytest.raises(ValidationError, match="读不出所属社区"):
        li.commit(result)
    result.assign_community(community)
    li.commit(result)
    assert case().community_id == community
    assert lp.preview(path, community="天瑞嘉园").no_community == []


def test_old_arrival_date_warns(db, community, tmp_path):
    result = lp.preview(push(tmp_path / "a.xlsx", D(2021, 8, 5), [row(1, "肖勇"), row(2, "李娜")]))
    assert result.warnings == ["返京日期早于今天 14 天以上：共 2 人"]


def _cli(target, *args):
    code = main(["--db", target, *args])
    close_database()
    return code


def test_command_refuses_a_second_import_and_lists_conflicts(db, community, db_path, tmp_path, capsys):
    db_path = db_target(db_path)  # the file, or the server's test database in the PostgreSQL pass
    close_database()
    newer = push(tmp_path / "0808.xlsx", D(2021, 8, 8), [row(1, "肖勇", "13911112222")])
    assert _cli(db_path, "import-ledger", str(newer)) == 0
    assert _cli(db_path, "import-ledger", str(newer)) == 2
    assert "导入过" in capsys.readouterr().err
    older = push(tmp_path / "0805.xlsx", D(2021, 8, 5), [row(1, "肖勇", "13800138000")])
    assert _cli(db_path, "import-ledger", str(older), "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["committed"] and [c["field"] for c in out["conflicts"]] == ["phone"]
    assert out["conflicts"][0]["old"] == "13911112222" and out["conflicts"][0]["take"] is False
    assert _cli(db_path, "import-ledger", str(newer), "--again") == 0
