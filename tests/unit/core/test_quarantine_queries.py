"""Quarantine queries on a real database: create with schedule, search, end change, release, items, bulk."""
import datetime as dt

import pytest

from community_desk.core.models import FollowUp, NucleicTest, QuarantineCase
from community_desk.core.queries import quarantine as q
from community_desk.core.queries import quarantine_items as items
from community_desk.core.queries import residents
from community_desk.core.rules.idcard import make_id
from community_desk.core.rules.resident import FormErrors
from community_desk.core.rules.text import ValidationError

D = dt.date
START = D(2021, 8, 5)


def _case(name="王伟", seq=1, **kw):
    raw = {"name": name, "id_number": make_id("110111", D(1980, 1, 1), seq), "phone": "138-0013-8000",
           "address": "3号楼2单元501", "source": "市派", "classification": "中高风险地区返京",
           "measure": "居家隔离", "start_date": START.isoformat(), **kw}
    return q.create_case(raw, today=START)


def test_create_case_generates_tests_and_daily_follow_ups(db, community):
    cid = _case()
    case = QuarantineCase.get_by_id(cid)
    assert case.planned_end == D(2021, 8, 18) and case.phone == "13800138000"
    assert [t["planned_date"] for t in items.tests_of(cid)] == [D(2021, 8, 5), D(2021, 8, 8), D(2021, 8, 11),
                                                                D(2021, 8, 18)]
    assert len(items.follow_ups_of(cid)) == 14
    assert q.history(cid)[0]["action"] == "新增"


def test_policy_change_applies_to_new_cases_only(db, community):
    first = _case(seq=1)
    q.set_policy("居家隔离", 7, "1,7")
    second = _case(name="李娜", seq=2)
    assert len(items.tests_of(first)) == 4
    assert [t["day_no"] for t in items.tests_of(second)] == [1, 7]
    assert QuarantineCase.get_by_id(second).planned_end == D(2021, 8, 11)


def test_second_open_case_for_same_id_refused(db, community):
    _case(seq=1)
    with pytest.raises(FormErrors) as err:
        _case(name="王伟", seq=1)
    assert "已有在管记录" in err.value.errors["id_number"]


def test_case_links_to_registry_resident(db, community):
    rid = residents.save({"name": "王伟", "id_number": make_id("110111", D(1980, 1, 1), 1), "community_id": community,
                          "building": "3", "unit": "2", "room": "501", "phone": "13900139000"})
    cid = q.create_case({"name": "王伟", "id_number": make_id("110111", D(1980, 1, 1), 1),
                         "start_date": START.isoformat()}, today=START)
    case = QuarantineCase.get_by_id(cid)
    assert case.resident_id == rid and case.phone == "13900139000" and case.address == "3号楼2单元501"
    assert case.community_id == community and case.building_id is not None


def test_search_filters(db, community):
    a = _case(seq=1)
    b = _case(name="李娜", seq=2, source="自排", measure="居家健康监测", classification="密切接触者")
    assert q.search_ids(q.CaseFilter(text="wangwei")) == [a]
    assert set(q.search_ids(q.CaseFilter(text="13800138"))) == {a, b}
    assert q.search_ids(q.CaseFilter(source="自排")) == [b]
    assert q.search_ids(q.CaseFilter(measure="居家健康监测")) == [b]
    assert q.search_ids(q.CaseFilter(classification="中高风险地区返京")) == [a]
    assert set(q.search_ids(q.CaseFilter(due_today=True, today=D(2021, 8, 8)))) == {a, b}
    assert set(q.search_ids(q.CaseFilter(due_today=True, today=D(2021, 8, 6)))) == {a, b}  # day-1 tests unsampled
    rows = q.load_rows([a], today=D(2021, 8, 8))
    assert rows[a][0] == "王伟" and rows[a][-1] == "overdue"


def test_extend_keeps_previous_end_and_adds_days(db, community):
    cid = _case()
    assert q.change_end(cid, D(2021, 8, 25), "密接延长") == "延长"
    case = QuarantineCase.get_by_id(cid)
    assert case.previous_end == D(2021, 8, 18) and case.end_change_reason == "密接延长"
    assert len(items.follow_ups_of(cid)) == 21
    assert items.tests_of(cid)[-1]["planned_date"] == D(2021, 8, 25)
    assert q.search_ids(q.CaseFilter(extended=True)) == [cid]
    with pytest.raises(ValidationError, match="原因"):
        q.change_end(cid, D(2021, 8, 26), "")


def test_shorten_drops_later_tests_and_follow_ups(db, community):
    cid = _case()
    assert q.change_end(cid, D(2021, 8, 11), "7+7 政策") == "缩短"
    assert [t["day_no"] for t in items.tests_of(cid)] == [1, 4, 7]
    assert len(items.follow_ups_of(cid)) == 7
    assert q.search_ids(q.CaseFilter(extended=True)) == []


def _all_negative(cid):
    for t in items.tests_of(cid):
        items.record_result(t["id"], "阴性", sampling_date=t["planned_date"], result_date=t["planned_date"])


def test_release_needs_negative_final_test(db, community):
    cid = _case()
    with pytest.raises(ValidationError, match="尚无阴性"):
        q.release(cid, "期满解除", D(2021, 8, 18))
    _all_negative(cid)
    assert q.release(cid, "期满解除", D(2021, 8, 18)) == "已解除"
    case = QuarantineCase.get_by_id(cid)
    assert case.status == "已解除" and case.release_date == D(2021, 8, 18) and case.release_kind == "期满解除"
    assert q.history(cid)[0]["action"] == "解除"


def test_positive_blocks_release_and_colours_red(db, community):
    cid = _case()
    first = items.tests_of(cid)[0]
    items.record_result(first["id"], "阳性", sampling_date=START)
    with pytest.raises(ValidationError, match="阳性"):
        q.release(cid, "提前解除", D(2021, 8, 10), approved_by="王主任")
    assert q.load_rows([cid], today=START)[cid][-1] == "positive"
    assert q.search_ids(q.CaseFilter(positive=True)) == [cid]


def test_early_release_drops_future_tests_and_follow_ups(db, community):
    cid = _case()
    q.release(cid, "提前解除", D(2021, 8, 10), approved_by="王主任", reason="返岗")
    assert all(t["planned_date"] <= D(2021, 8, 10) for t in items.tests_of(cid))
    assert FollowUp.select().where(FollowUp.case == cid).count() == 6


def test_bring_forward_test(db, community):
    cid = _case()
    tests = items.tests_of(cid)
    items.bring_forward(tests[1]["id"], D(2021, 8, 6))
    assert [t["planned_date"] for t in items.tests_of(cid)] == [D(2021, 8, 5), D(2021, 8, 6), D(2021, 8, 9),
                                                                D(2021, 8, 16)]


def test_follow_up_and_need(db, community):
    cid = _case()
    fu = items.follow_ups_of(cid)[0]
    items.record_follow_up(fu["id"], "正常", temperature="36.55", method="电话", by_whom="张敏")
    assert str(FollowUp.get_by_id(fu["id"]).temperature) == "36.6"
    with pytest.raises(ValidationError, match="体温"):
        items.record_follow_up(fu["id"], "正常", temperature="abc")
    with pytest.raises(ValidationError, match="异常"):
        items.record_follow_up(fu["id"], "异常")
    nid = items.add_need(cid, "就医", "肿瘤医院复查改约", D(2021, 8, 9), "李书记")
    assert items.today_ids("needs", D(2021, 8, 9)) == [nid]
    items.update_need(nid, status="已办结", outcome="已改约到8月20日")
    assert items.today_ids("needs", D(2021, 8, 9)) == []
    actions = [h["action"] for h in q.history(cid)]
    assert actions.count("特殊需求") == 2 and "健康监测" in actions


def test_today_sections(db, community):
    cid = _case()
    today = START
    [test_id] = items.today_ids("tests_due", today)
    assert items.load_today_rows("tests_due", [test_id])[test_id][0] == "王伟"
    items.mark_sampled(test_id, today)
    assert items.today_ids("tests_due", today) == [] and items.today_ids("results_pending", today) == [test_id]
    items.record_result(test_id, "阴性")
    assert items.today_ids("results_pending", today) == []
    assert len(items.today_ids("follow_ups", today)) == 1
    assert items.today_ids("releases", D(2021, 8, 17)) == [cid]
    assert items.today_ids("releases", D(2021, 8, 16)) == []


def test_bulk_actions_append_notes(db, community):
    a = _case(seq=1, notes="孕妇")
    b = _case(name="李娜", seq=2)
    items.bulk_assign_worker([a, b], "张敏", today=START)
    assert QuarantineCase.get_by_id(a).notes == "孕妇\n[2021-08-05] 指定健康监测责任人：张敏"
    items.bulk_set_test_date([a, b], D(2021, 8, 6), today=START)
    assert NucleicTest.select().where((NucleicTest.case == a) & (NucleicTest.planned_date == D(2021, 8, 6))).count() == 1
    _all_negative(a)
    done, refused = items.bulk_release([a, b], "期满解除", "期满", release_date=D(2021, 8, 18))
    assert done == 1 and refused[0][0] == b and "阴性" in refused[0][2]
    assert QuarantineCase.get_by_id(a).notes.endswith("期满解除：期满")
    assert QuarantineCase.get_by_id(b).status == "管控中"


def test_update_case_records_changes_and_end_change(db, community):
    cid = _case()
    form = q.get_form(cid)
    form.update(phone="13911112222", planned_end="2021-08-21", end_change_reason="同住人阳性")
    q.update_case(cid, form, today=START)
    case = QuarantineCase.get_by_id(cid)
    assert case.phone == "13911112222" and case.previous_end == D(2021, 8, 18)
    actions = [h["action"] for h in q.history(cid)]
    assert "延长" in actions and "修改" in actions
    form = q.get_form(cid)
    form.update(status="已解除")
    with pytest.raises(FormErrors):
        q.update_case(cid, form, today=START)


def test_bulk_verify_and_convert_to_resident(db, community):
    cid = _case(status="待核实", address="北京市房山区长阳镇原乡小镇3号楼501")
    assert items.bulk_verify([cid], today=START) == 1
    assert QuarantineCase.get_by_id(cid).status == "管控中"
    assert items.bulk_verify([cid], today=START) == 0
    with pytest.raises(ValidationError, match="所属社区"):
        q.convert_to_resident(cid)
    rid = q.convert_to_resident(cid, community)
    case = QuarantineCase.get_by_id(cid)
    assert case.resident_id == rid and residents.get_form(rid)["id_number"] == case.id_number
    with pytest.raises(ValidationError, match="已在居民台账"):
        q.convert_to_resident(cid, community)


def test_release_line_shows_final_test_state(db, community):
    cid = _case()
    assert items.load_today_rows("releases", [cid])[cid][4] == "未采样（2021-08-18）"
    final = items.tests_of(cid)[-1]
    items.mark_sampled(final["id"], D(2021, 8, 18))
    assert items.load_today_rows("releases", [cid])[cid][4] == "待出（2021-08-18）"
