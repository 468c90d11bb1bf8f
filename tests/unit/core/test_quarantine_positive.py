"""A positive result as the office runs it: the case becomes 阳性待转运, leaves every release list, release is
refused, the transfer closes it; a correction needs a 管理员 and a reason; the household members are offered
as 密接; a special need shows from its lead time before its date."""
import datetime as dt

import pytest

from community_desk.core import session
from community_desk.core.models import QuarantineCase
from community_desk.core.queries import quarantine as q
from community_desk.core.queries import quarantine_items as items
from community_desk.core.queries import quarantine_positive as pos
from community_desk.core.queries import residents
from community_desk.core.rules.idcard import make_id
from community_desk.core.rules.text import ValidationError

D = dt.date
START = D(2021, 8, 5)


def _case(name="王伟", seq=1, **kw):
    raw = {"name": name, "id_number": make_id("110111", D(1980, 1, 1), seq), "phone": "13800138000",
           "address": "3号楼2单元501", "source": "市派", "classification": "中高风险地区返京",
           "measure": "居家隔离", "start_date": START.isoformat(), **kw}
    return q.create_case(raw, today=START)


POSITIVE_DAY = D(2021, 8, 8)


def _positive(cid, index=1, day=POSITIVE_DAY):
    return pos.record_positive(items.tests_of(cid)[index]["id"], day)


def test_positive_makes_the_case_wait_for_transfer_and_leaves_the_release_lists(db, community):
    cid = _case()
    other = _case("李娜", 2)
    end = D(2021, 8, 18)
    assert set(items.today_ids("releases", end)) == {cid, other}
    _positive(cid)
    case = QuarantineCase.get_by_id(cid)
    assert case.status == "阳性待转运" and case.positive_date == D(2021, 8, 8)
    assert items.today_ids("releases", end) == [other]
    assert items.today_ids("positives", D(2021, 8, 9)) == [cid]
    assert cid not in q.search_ids(q.CaseFilter(due_today=True, today=end))
    for kind in ("期满解除", "提前解除", "转出"):
        with pytest.raises(ValidationError, match="待转运"):
            q.release(cid, kind, end, approved_by="李书记", reason="x")
    assert [h["action"] for h in q.history(cid)][:2] == ["阳性", "核酸结果"]
    # the form cannot quietly put it back
    form = q.get_form(cid)
    with pytest.raises(Exception, match="阳性"):
        q.update_case(cid, {**form, "status": "管控中"}, today=START)


def test_transfer_closes_the_positive_with_date_and_site(db, community):
    cid = _case()
    _positive(cid)
    with pytest.raises(ValidationError, match="集中隔离地点"):
        pos.record_transfer(cid, D(2021, 8, 9), "  ")
    with pytest.raises(ValidationError, match="早于阳性采样日期"):
        pos.record_transfer(cid, D(2021, 8, 7), "长阳镇集中隔离点")
    pos.record_transfer(cid, D(2021, 8, 9), "长阳镇集中隔离点")
    case = QuarantineCase.get_by_id(cid)
    assert (case.status, case.transfer_date, case.transfer_site) == ("已转运", D(2021, 8, 9), "长阳镇集中隔离点")
    assert case.release_date == D(2021, 8, 9) and case.release_kind == "阳性转运"
    assert items.today_ids("positives", D(2021, 8, 9)) == []
    assert all(t["planned_date"] <= D(2021, 8, 9) for t in items.tests_of(cid))
    with pytest.raises(ValidationError, match="只有"):
        pos.record_transfer(cid, D(2021, 8, 10), "另一处")
    assert "集中隔离地点" in q.history(cid)[0]["text"]


def test_positive_cannot_be_overturned_with_one_click(db, community):
    cid = _case()
    _positive(cid)
    tid = items.tests_of(cid)[1]["id"]
    with pytest.raises(ValidationError, match="管理员"):
        items.record_result(tid, "阴性")
    assert items.tests_of(cid)[1]["result"] == "阳性"


def test_correction_needs_an_admin_and_a_reason_and_is_in_the_history(db, community):
    cid = _case()
    _positive(cid)
    tid = items.tests_of(cid)[1]["id"]
    session.current = session.Session(user="小李", role="工作人员")
    with pytest.raises(session.PermissionDenied):
        pos.correct_positive(tid, "阴性", "复核阴性")
    session.current = session.Session(user="张主任", role="管理员")
    with pytest.raises(ValidationError, match="原因"):
        pos.correct_positive(tid, "阴性", "  ")
    assert QuarantineCase.get_by_id(cid).status == "阳性待转运"
    pos.correct_positive(tid, "阴性", "疾控复核为阴性")
    case = QuarantineCase.get_by_id(cid)
    assert case.status == "管控中" and case.positive_date is None
    assert items.tests_of(cid)[1]["result"] == "阴性"
    last = q.history(cid)[0]
    assert last["action"] == "更正阳性" and "疾控复核为阴性" in last["summary"] and last["user"] == "张主任"
    assert "核酸结果" in last["text"] and "状态" in last["text"]
    assert cid in items.today_ids("releases", D(2021, 8, 18))


def test_household_members_are_offered_and_added_as_close_contacts(db, community):
    ids = {}
    for seq, (name, relation) in enumerate((("王伟", "户主"), ("王芳", "配偶"), ("王小明", "子"))):
        ids[name] = residents.save({"name": name, "id_number": make_id("110111", D(1980, 1, 1), seq + 10),
                                    "community_id": community, "building": "3", "household_number": "0301",
                                    "relation_to_head": relation, "phone": "13800138000"})
    residents.save({"name": "邻居", "id_number": make_id("110111", D(1980, 1, 1), 20), "community_id": community,
                    "household_number": "0302"})
    cid = _case(id_number=make_id("110111", D(1980, 1, 1), 10))
    assert QuarantineCase.get_by_id(cid).resident_id == ids["王伟"]
    _positive(cid)
    candidates = pos.household_candidates(cid)
    assert [c["name"] for c in candidates] == ["王芳", "王小明"]
    assert all(c["case_id"] is None for c in candidates)
    new = pos.add_close_contact(cid, ids["王芳"], today=D(2021, 8, 9))
    contact = QuarantineCase.get_by_id(new)
    assert contact.classification == "密切接触者" and contact.contact_of == cid and contact.resident_id == ids["王芳"]
    assert contact.start_date == D(2021, 8, 9) and contact.source == "自排"
    assert {c["name"]: c["case_id"] for c in pos.household_candidates(cid)} == {"王芳": new, "王小明": None}
    with pytest.raises(ValidationError):
        pos.add_close_contact(cid, ids["王芳"], today=D(2021, 8, 9))  # already has an open case
    neighbour = residents.find_by_id_number(make_id("110111", D(1980, 1, 1), 20)).id
    with pytest.raises(ValidationError, match="同户"):
        pos.add_close_contact(cid, neighbour)
    assert q.history(cid)[0]["action"] == "密接登记"


def test_a_need_shows_from_its_lead_time_and_is_due_on_its_day(db, community):
    cid = _case(start_date=D(2021, 11, 25).isoformat())
    nid = items.add_need(cid, "就医", "化疗预约需改期", D(2021, 12, 3), "李书记")
    assert items.need_lead_days() == 3
    assert items.today_ids("needs", D(2021, 11, 29)) == []
    assert items.today_ids("needs", D(2021, 11, 30)) == [nid]
    assert items.load_today_rows("needs", [nid], D(2021, 11, 30))[nid][1] == "12-03（还有3天）"
    assert items.load_today_rows("needs", [nid], D(2021, 12, 3))[nid][1] == "12-03 当天"
    items.update_need(nid, status="处理中")
    assert items.today_ids("needs", D(2021, 12, 1)) == [nid]
    items.set_need_lead_days(5)
    assert items.today_ids("needs", D(2021, 11, 28)) == [nid]
    with pytest.raises(ValidationError):
        items.set_need_lead_days("abc")
    items.update_need(nid, status="已办结")
    assert items.today_ids("needs", D(2021, 12, 3)) == []


def test_daily_counts_read_back_today_and_cumulative_positives_and_new_by_start_date(db, community, tmp_path):
    import openpyxl

    from community_desk.core.excel.quarantine_daily import export_daily

    a = _case()
    b = _case("李娜", 2)
    late = _case("赵强", 3, start_date=D(2021, 8, 9).isoformat())  # registered on the 5th, starts on the 9th
    for cid, day in ((a, D(2021, 8, 8)), (b, D(2021, 8, 9))):
        tid = items.tests_of(cid)[1]["id"]
        items.record_result(tid, "阳性", sampling_date=day, result_date=day)
    path = tmp_path / "daily.xlsx"
    export_daily(path, D(2021, 8, 9))
    sheet = openpyxl.load_workbook(path)["当日统计"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    header = next(r for r in rows if r and r[0] == "分组")
    total = next(r for r in rows if r and r[0] == "合计")
    figures = dict(zip(header, total, strict=False))
    assert figures["今日新增阳性"] == 1 and figures["累计阳性"] == 2
    assert figures["今日新增"] == 1  # 赵强 starts on the 9th; the others started on the 5th
    assert QuarantineCase.get_by_id(late).start_date == D(2021, 8, 9)
    export_daily(path, D(2021, 8, 5))
    sheet = openpyxl.load_workbook(path)["当日统计"]
    total = next([c.value for c in r] for r in sheet.iter_rows() if r[0].value == "合计")
    assert dict(zip(header, total, strict=False))["今日新增"] == 2
