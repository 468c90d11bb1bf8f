"""Importing the dispatched list: header finder, normalisation, rejections, updates, one transaction,
unreadable files. Every workbook is built here with openpyxl."""
import datetime as dt
import json
import zipfile

import pytest
from openpyxl import Workbook

from community_desk import app
from community_desk.core.excel import ledger_import as li
from community_desk.core.excel import ledger_preview as lp
from community_desk.core.excel import ledger_read
from community_desk.core.excel.ledger_fields import find_header, header_key, parse_ledger_date
from community_desk.core.models import AuditLog, NucleicTest, PushBatch, QuarantineCase
from community_desk.core.queries import communities
from community_desk.core.rules.idcard import make_id
from community_desk.core.rules.text import ValidationError
from tests.db_target import db_target

D = dt.date
PUSH = D(2021, 8, 5)
ARRIVAL = D(2021, 8, 1)
HEADER = ["序号", "姓名", "性别", "身份证号码", "手机号", "现居住地址", "所属社区", "来京日期", "出发地", "管控措施", "备注"]


def pid(seq: int) -> str:
    return make_id("110111", D(1980, 1, 1), seq)


def person(seq, name="王伟", phone="13800138000", community="原乡小镇", arrival=ARRIVAL, measure="居家隔离",
           id_number=None, notes=""):
    return [seq, name, "", pid(seq) if id_number is None else id_number, phone, "原乡小镇3号楼2单元501", community,
            arrival, "云南省瑞丽市", measure, notes]


def ledger(path, rows, *, header=HEADER, title=True, extra_sheets=()):
    wb = Workbook()
    ws = wb.active
    ws.title = "返京人员"
    for name, content in extra_sheets:
        other = wb.create_sheet(name, 0)
        for row in content:
            other.append(row)
    if title:
        ws.append(["长阳镇返京人员信息推送表"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        ws.append(["推送单位：房山区疫情防控办  推送日期：2021年8月5日"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


# --- header finder -------------------------------------------------------------------------
def test_header_synonyms():
    assert header_key("身份证号") == header_key("身份证号码") == header_key("证件号码") == "id_number"
    assert header_key("联系电话") == header_key("手机号") == "phone"
    assert header_key("返京日期") == header_key("来京日期") == header_key("返京时间") == "arrival_date"
    assert header_key(" 身份证号码（18位）* ") == "id_number"
    assert header_key("序号") is None and header_key(3.0) is None


def test_find_header_below_title_rows():
    rows = [["长阳镇返京人员推送表", "", ""], ["推送日期：2021年8月5日", "", ""], ["", "", ""],
            ["序号", "姓名", "证件号码", "联系电话"], [1, "王伟", "x", ""]]
    index, columns = find_header(rows)
    assert index == 3 and columns == {"name": 1, "id_number": 2, "phone": 3}
    assert find_header([["姓名", "电话"], ["王伟", "1"]]) is None


def test_preview_finds_header_under_merged_title_and_reads_title_info(db, community, tmp_path):
    result = lp.preview(ledger(tmp_path / "a.xlsx", [person(1)]))
    assert result.header_row == 3 and result.push_date == PUSH and result.sender == "房山区疫情防控办"
    assert [r.row for r in result.new] == [4]


def test_a_header_split_over_two_rows_with_merged_cells(db, community, tmp_path):
    """联系方式 over 本人电话 | 紧急联系人电话 and 返京信息 over 返京日期 | 出发地, 姓名 and 身份证号 merged down both
    rows: the second row names the columns and is not read as a person."""
    wb = Workbook()
    ws = wb.active
    ws.append(["长阳镇返京人员信息推送表"])
    ws.append(["推送单位：房山区疫情防控办  推送日期：2021年8月5日"])
    ws.append(["序号", "姓名", "身份证号码", "联系方式", None, "返京信息", None, "所属社区", "管控措施"])
    ws.append([None, None, None, "本人电话", "紧急联系人电话", "返京日期", "出发地", None, None])
    for col in (1, 2, 3, 8, 9):
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    ws.merge_cells("D3:E3")
    ws.merge_cells("F3:G3")
    ws.append([1, "王伟", pid(1), "13800138000", "13900139000", "2021.8.1", "云南省瑞丽市", "原乡小镇", "居家隔离"])
    ws.append([2, "李娜", pid(2), "13700137000", "", "8月2日", "广州市", "原乡小镇", "居家健康监测"])
    path = tmp_path / "two-rows.xlsx"
    wb.save(path)
    result = lp.preview(path)
    assert result.header_text == "第 3–4 行" and result.rejected == []
    assert [r.row for r in result.new] == [5, 6]
    first, second = (r.values for r in result.new)
    assert first["phone"] == "13800138000"  # 本人电话, not the emergency contact's
    assert first["arrival_date"] == D(2021, 8, 1) and second["arrival_date"] == D(2021, 8, 2)
    assert first["origin"] == "云南省瑞丽市"


def test_a_one_row_header_is_not_taken_for_two(db, community, tmp_path):
    result = lp.preview(ledger(tmp_path / "a.xlsx", [person(1), person(2, name="李娜")]))
    assert result.header_text == "第 3 行" and [r.row for r in result.new] == [4, 5]


# --- normalisation -------------------------------------------------------------------------
def test_id_spaces_fullwidth_and_lowercase_x_are_normalised(db, community, tmp_path):
    x_id = next(make_id("110111", D(1985, 5, 5), s) for s in range(1000) if make_id("110111", D(1985, 5, 5), s)[-1] == "X")
    full = "".join(chr(ord(c) + 0xFEE0) for c in pid(2))
    spaced = pid(3)[:6] + " " + pid(3)[6:14] + " " + pid(3)[14:]
    rows = [person(1, id_number=x_id.lower()), person(2, name="李娜", id_number=full),
            person(3, name="张强", id_number=spaced)]
    result = lp.preview(ledger(tmp_path / "a.xlsx", rows), push_date=PUSH)
    assert not result.rejected
    assert [r.values["id_number"] for r in result.new] == [x_id, pid(2), pid(3)]


@pytest.mark.parametrize("raw, expected", [
    ("138-0013-8000", "13800138000"), ("+86 138 0013 8000", "13800138000"), ("＋８６13800138000", "13800138000"),
    (13800138000.0, "13800138000"), ("", ""),
])
def test_phones_are_normalised(db, community, tmp_path, raw, expected):
    result = lp.preview(ledger(tmp_path / "a.xlsx", [person(1, phone=raw)]), push_date=PUSH)
    assert result.new[0].values["phone"] == expected


@pytest.mark.parametrize("raw, expected", [
    (D(2021, 8, 1), D(2021, 8, 1)), (dt.datetime(2021, 8, 1, 9, 30), D(2021, 8, 1)), ("2021.8.5", D(2021, 8, 5)),
    ("2021/08/05", D(2021, 8, 5)), ("2021年8月5日", D(2021, 8, 5)), ("8月5日", D(2021, 8, 5)),
    ("8.3", D(2021, 8, 3)), (44413, D(2021, 8, 5)), ("20210805", D(2021, 8, 5)), ("２０２１－０８－０４", D(2021, 8, 4)),
])
def test_dates_are_normalised(db, community, tmp_path, raw, expected):
    result = lp.preview(ledger(tmp_path / "a.xlsx", [person(1, arrival=raw)]), push_date=PUSH)
    assert not result.rejected, result.rejected
    assert result.new[0].values["arrival_date"] == expected


def test_date_without_year_takes_the_push_year_or_the_year_before():
    assert parse_ledger_date("12月30日", D(2022, 1, 3), "返京日期") == D(2021, 12, 30)
    assert parse_ledger_date("1月2日", D(2022, 1, 3), "返京日期") == D(2022, 1, 2)
    with pytest.raises(ValidationError, match="不存在"):
        parse_ledger_date("2月30日", D(2021, 8, 5), "返京日期")


def test_blank_and_total_rows_skipped_and_other_sheets_ignored(db, community, tmp_path):
    instructions = [["填表说明"], ["姓名", "身份证号"], ["示例", "110111198001010011"]]
    rows = [person(1), [None] * 11, ["", "  ", ""], ["合计：2 人"], [None, "合计", 2], person(2, name="李娜")]
    result = lp.preview(ledger(tmp_path / "a.xlsx", rows, extra_sheets=[("填表说明", instructions)]), push_date=PUSH)
    assert result.sheet == "返京人员"
    assert [r.row for r in result.new] == [4, 9] and result.skipped == 4 and not result.rejected


# --- rejections ----------------------------------------------------------------------------
def test_rejections_carry_excel_row_and_chinese_reason(db, community, tmp_path):
    bad_check = pid(3)[:-1] + ("0" if pid(3)[-1] != "0" else "1")
    rows = [person(1), person(2, name=""), person(3, name="张强", id_number=bad_check),
            person(4, name="赵敏", id_number=110111198001010046), person(5, name="钱军", id_number=""),
            person(6, name="孙丽", arrival="上周"), person(7, name="周平", phone="12345"),
            person(8, name="吴刚", measure="居家观察"), person(9, name="郑洁", id_number="1.10111E+17"),
            person(10, name="冯涛", arrival="2021-08-20")]
    result = lp.preview(ledger(tmp_path / "a.xlsx", rows), push_date=PUSH)
    reasons = {r["row"]: r["reason"] for r in result.rejected}
    assert [r.row for r in result.new] == [4]
    assert reasons[5] == "缺少姓名"
    assert "校验位错误" in reasons[6]
    assert "存成了数字" in reasons[7]
    assert reasons[8] == "缺少身份证号"
    assert "返京日期" in reasons[9] and "上周" in reasons[9]
    assert "联系电话" in reasons[10]
    assert "管控措施" in reasons[11]
    assert "科学计数法" in reasons[12]
    assert "晚于推送日期" in reasons[13]


def test_repeated_id_in_file_reported(db, community, tmp_path):
    rows = [person(1), person(2, name="李娜"), person(1, name="王伟")]
    result = lp.preview(ledger(tmp_path / "a.xlsx", rows), push_date=PUSH)
    assert [r.row for r in result.new] == [4, 5]
    assert [{k: d[k] for k in ("row", "first_row", "id_number", "name")} for d in result.duplicates] == \
        [{"row": 6, "first_row": 4, "id_number": pid(1), "name": "王伟"}]
    assert "13800138000" in result.duplicates[0]["values"] and "13800138000" in result.duplicates[0]["first_values"]


def test_other_communities_listed_apart(db, community, tmp_path):
    rows = [person(1), person(2, name="李娜", community="天瑞嘉园")]
    result = lp.preview(ledger(tmp_path / "a.xlsx", rows), push_date=PUSH)
    assert [r.row for r in result.new] == [4]
    assert result.other_community == [{"row": 5, "name": "李娜", "community": "天瑞嘉园", "sheet": "返京人员"}]


# --- commit --------------------------------------------------------------------------------
def test_commit_writes_cases_with_schedules_and_batch(db, community, tmp_path):
    result = lp.preview(ledger(tmp_path / "a.xlsx", [person(1), person(2, name="李娜", measure="居家健康监测")]))
    assert QuarantineCase.select().count() == 0  # the preview wrote nothing
    assert li.commit(result) == {"new": 2, "updated": 0, "unchanged": 0, "conflicts": 0, "batch": 1}
    case = QuarantineCase.get(QuarantineCase.name == "王伟")
    assert case.source == "市派" and case.push_row == 4 and case.status == "待核实"
    assert case.start_date == D(2021, 8, 1) and case.planned_end == D(2021, 8, 14) and case.community_id == community
    assert NucleicTest.select().where(NucleicTest.case == case.id).count() == 4
    assert PushBatch.get_by_id(1).file_name == "a.xlsx"
    assert AuditLog.select().where((AuditLog.table == "quarantine_case") & (AuditLog.record_id == case.id)).count() == 1


def test_known_id_is_updated_not_duplicated(db, community, tmp_path):
    li.commit(lp.preview(ledger(tmp_path / "a.xlsx", [person(1)])))
    second = lp.preview(ledger(tmp_path / "b.xlsx", [person(1, phone="13911112222", notes="已签承诺书")]))
    assert len(second.updated) == 1 and not second.new
    assert li.commit(second)["updated"] == 1
    assert QuarantineCase.select().count() == 1
    case = QuarantineCase.get()
    assert case.phone == "13911112222" and "已签承诺书" in case.notes
    assert AuditLog.select().where((AuditLog.record_id == case.id) & (AuditLog.action == "导入更新")).count() == 1


def test_imported_cases_take_ids_the_next_registration_does_not_reuse(db, community, tmp_path):
    """The bulk insert reserves its ids (PostgreSQL: from the sequence): a case registered afterwards by hand
    gets the next one instead of colliding with an imported case."""
    from community_desk.core.queries import quarantine as q

    li.commit(lp.preview(ledger(tmp_path / "a.xlsx", [person(1), person(2, name="李娜")])))
    by_hand = q.create_case({"name": "张强", "id_number": pid(3), "phone": "13800138000", "address": "3号楼501",
                             "measure": "居家隔离", "start_date": PUSH.isoformat()}, today=PUSH)
    ids = [c.id for c in QuarantineCase.select().order_by(QuarantineCase.id)]
    assert len(set(ids)) == 3 and by_hand == max(ids)


def test_previews_made_before_a_commit_never_add_a_second_case(db, community, tmp_path):
    """Two previews taken before either commits (two PCs, or one preview left open): the same file commits once;
    another file naming the same people updates the cases the first commit wrote."""
    path = ledger(tmp_path / "a.xlsx", [person(1), person(2, name="李娜")])
    first, same_file = lp.preview(path), lp.preview(path)
    other_file = lp.preview(ledger(tmp_path / "b.xlsx", [person(1, phone="13911112222"), person(2, name="李娜")]))
    assert len(same_file.new) == len(other_file.new) == 2
    li.commit(first)
    with pytest.raises(ValidationError, match="导入过"):
        li.commit(same_file)
    assert li.commit(other_file)["new"] == 0
    assert QuarantineCase.select().count() == 2 and PushBatch.select().count() == 2
    assert QuarantineCase.get(QuarantineCase.id_number == pid(1)).phone == "13911112222"


def test_commit_is_one_transaction(db, community, tmp_path, monkeypatch):
    result = lp.preview(ledger(tmp_path / "a.xlsx", [person(1), person(2, name="李娜")]))

    def boom(*_a):
        raise RuntimeError("disk full")

    monkeypatch.setattr(li, "_apply_updates", boom)
    with pytest.raises(RuntimeError):
        li.commit(result)
    assert QuarantineCase.select().count() == 0 and NucleicTest.select().count() == 0
    assert PushBatch.select().count() == 0


# --- unreadable files ----------------------------------------------------------------------
def _bad_files(tmp_path):
    text = tmp_path / "csv.xlsx"
    text.write_text("姓名,身份证号\n王伟,110\n", encoding="utf-8")
    good = ledger(tmp_path / "good.xlsx", [person(1)])
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[:1500])
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512 + "EncryptionInfo".encode("utf-16-le"))
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    no_header = ledger(tmp_path / "noheader.xlsx", [["王伟"]], header=["名单"], title=False)
    bad_zip = tmp_path / "badzip.xlsx"
    with zipfile.ZipFile(bad_zip, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return [("不是 Excel", text), ("损坏", truncated), ("密码", locked), ("空的", empty), ("找不到表头", no_header),
            ("损坏", bad_zip)]


def test_unreadable_files_say_why_and_change_nothing(db, community, tmp_path):
    for reason, path in _bad_files(tmp_path):
        with pytest.raises(ledger_read.LedgerReadError) as err:
            lp.preview(path)
        assert reason in err.value.message, (path.name, err.value.message)
    assert QuarantineCase.select().count() == 0


# --- command line --------------------------------------------------------------------------
def test_cli_json_and_dry_run(db, community, tmp_path, capsys, db_path):
    path = ledger(tmp_path / "a.xlsx", [person(1), person(2, name=""), person(1)])
    assert app.main(["--db", db_target(db_path), "import-ledger", str(path), "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["new"] == 1 and out["rejected"] == [{"row": 5, "reason": "缺少姓名"}] and out["committed"] is False
    assert out["duplicates"][0]["row"] == 6
    from community_desk.core.db import open_database
    open_database(db_target(db_path))
    assert QuarantineCase.select().count() == 0
    assert app.main(["--db", db_target(db_path), "import-ledger", str(path)]) == 0
    assert "新增 1 人" in capsys.readouterr().out
    open_database(db_target(db_path))
    assert QuarantineCase.select().count() == 1
    assert app.main(["--db", db_target(db_path), "import-ledger", str(tmp_path / "missing.xlsx")]) == 2
    assert "找不到文件" in capsys.readouterr().err


def test_cli_import_refuses_unserved_only_rows(db, tmp_path):
    communities.ensure_communities(["原乡小镇", "天瑞嘉园"])
    result = lp.preview(ledger(tmp_path / "a.xlsx", [person(1, community="领峰四季园")]), push_date=PUSH)
    assert not result.new and result.other_community[0]["community"] == "领峰四季园"
