"""The glossary in code (core.vocabulary): every audited table and field has its Chinese name, the fixed
choices are defined once, and the audit log reads in Chinese and skips changes that change nothing."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import community_desk
from community_desk.core import session, vocabulary
from community_desk.core.models import AuditLog, BaseModel, QuarantineCase
from community_desk.core.models import people as people_models
from community_desk.core.models import service_desk as desk_models
from community_desk.core.queries import (
    audit,
    communities,
    facilities,
    quarantine_positive,
    residents,
    service_desk,
    volunteers,
)
from community_desk.core.queries import quarantine as q
from community_desk.core.queries import quarantine_items as items
from community_desk.core.rules import quarantine as quarantine_rules
from community_desk.core.rules.idcard import make_id

SOURCE = Path(community_desk.__file__).parent
D = dt.date
START = D(2021, 8, 5)


def _models() -> dict[str, type[BaseModel]]:
    out, todo = {}, list(BaseModel.__subclasses__())
    while todo:
        model = todo.pop()
        todo += model.__subclasses__()
        if not model._meta.fields:
            continue
        out[model._meta.table_name] = model
    return out


def _audited_tables() -> set[str]:
    """The table of every audit.record(...) in the code: a literal, or a module's TABLE constant."""
    constants = {}
    for path in (SOURCE / "core" / "queries").glob("*.py"):
        m = re.search(r'^TABLE = "(\w+)"', path.read_text(encoding="utf-8"), re.M)
        if m:
            constants[path.stem] = m.group(1)
    found = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for table in re.findall(r'audit\.record\(\s*[^,]+,\s*("?[\w.]+"?)', text):
            if table.startswith('"'):
                found.add(table.strip('"'))
            elif table == "TABLE":
                own = constants.get(path.stem) or constants["quarantine"]  # quarantine_items uses quarantine's
                found.add(own)
            else:  # volunteers.TABLE, cases.TABLE ...
                found.add(constants[table.split(".")[0].replace("cases", "quarantine")])
    return found


def test_every_audited_table_is_named_and_is_a_real_table():
    tables = _audited_tables()
    assert len(tables) >= 22 and {"resident", "quarantine_case", "duty_shift", "visit", "setting"} <= tables
    missing = sorted(t for t in tables if t not in vocabulary.TABLE_LABELS and t not in vocabulary.SUBJECT_LABELS)
    assert missing == []
    assert vocabulary.table_label("database") == "数据库"
    models = _models()
    assert sorted(t for t in vocabulary.TABLE_LABELS if t not in models) == []
    assert len(set(vocabulary.TABLE_LABELS.values())) == len(vocabulary.TABLE_LABELS)  # one name, one table


def test_every_field_of_every_audited_model_has_a_chinese_name():
    models = _models()
    missing = []
    for table in vocabulary.TABLE_LABELS:
        for field in models[table]._meta.sorted_fields:
            for key in {field.name, field.column_name}:
                label = vocabulary.field_label(table, key)
                if not label or label.isascii():
                    missing.append(f"{table}.{key}")
    assert missing == []


def test_form_keys_recorded_in_changes_have_chinese_names(db, community):
    rid = residents.save({"name": "王洋", "community_id": community, "building": "3号楼", "tags": ["党员"]})
    cid = _case()
    kind = facilities.list_kinds()[0][0]
    fid = facilities.save({"kind_id": kind, "name": "秋千", "quantity": "2", "unit": "套", "status": "规划中"})
    cats = {name: c for c, name in service_desk.list_categories()}
    request = service_desk.take_in({"contact_name": "王秀英", "category_id": cats["漏雨"], "description": "顶楼漏雨"})
    vid = volunteers.save({"name": "赵六", "phone": "13900001111", "kind": "其他"})
    keys = {("resident", k) for k in residents.get_form(rid)} | {("quarantine_case", k) for k in q.get_form(cid)}
    keys |= {("facility", k) for k in facilities.get_form(fid)} | {("volunteer", k) for k in volunteers.get_form(vid)}
    keys |= {("service_request", k) for k in service_desk.get(request)}
    keys |= {("duty_shift", "volunteers"), ("service_team", "volunteers"), ("setting", "staff_names")}
    assert sorted(f"{t}.{k}" for t, k in keys if not vocabulary.field_label(t, k)) == []


def test_fixed_choices_are_defined_once():
    assert quarantine_rules.STATUSES is vocabulary.CASE_STATUSES
    assert quarantine_rules.OPEN_STATUSES is vocabulary.CASE_OPEN_STATUSES
    assert quarantine_rules.RESULTS is vocabulary.RESULTS
    assert people_models.RESIDENCE_STATUSES is vocabulary.RESIDENCE_STATUSES
    assert people_models.CONTACT_PREFERENCES is vocabulary.CONTACT_PREFERENCES
    assert desk_models.REQUEST_STATUSES is vocabulary.REQUEST_STATUSES
    assert session.ROLES is vocabulary.ROLES
    assert vocabulary.CASE_OPEN_STATUSES == ("待核实", "管控中") and vocabulary.ROLE_ADMIN == "管理员"


def test_status_and_role_words_are_not_retyped_in_code():
    """'待核实', '管控中' in SQL and the role 管理员 / 只读 compared or assigned come from core.vocabulary."""
    patterns = [r"'待核实', '管控中'", r'[=!]= "管理员"', r'role="(管理员|只读)"', r'status == "待核实"',
                r'status="管控中"']
    offenders = []
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts or path.name == "vocabulary.py":
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.relative_to(SOURCE)}: {p}" for p in patterns if re.search(p, text)]
    assert offenders == []


def _case(seq=1, **kw):
    return q.create_case({"name": "王伟", "id_number": make_id("110111", D(1980, 1, 1), seq), "phone": "13800138000",
                          "address": "3号楼2单元501", "source": "市派", "classification": "密切接触者",
                          "measure": "居家隔离", "start_date": START.isoformat(), **kw}, today=START)


def _lines() -> list[tuple]:
    ids = audit.search_ids()
    rows = audit.load_rows(ids)
    return [rows[i] for i in ids]


def test_a_test_result_change_reads_in_chinese(db, community):
    cid = _case()
    test_id = items.tests_of(cid)[0]["id"]
    items.record_result(test_id, "阳性", sampling_date=START)
    positive = _lines()[0][5]  # the case waits for transfer
    assert positive == "状态：管控中 → 阳性待转运；阳性采样日期：（空） → 2021-08-05"
    quarantine_positive.correct_positive(test_id, "阴性", "复核为阴性")  # a positive is corrected with a reason
    newest = _lines()[0]
    assert newest[3] == "隔离人员" and newest[5].startswith("核酸结果：阳性 → 阴性；状态：阳性待转运 → 管控中")
    first = _lines()[2][5]
    assert first == "核酸结果：待出 → 阳性；采样日期：（空） → 2021-08-05"
    history = q.history(cid)
    assert history[0]["text"].startswith("核酸结果：阳性 → 阴性") and history[0]["changes"]["result"] == ["阳性", "阴性"]
    assert "result" not in "".join(line[5] for line in _lines())
    # the search box finds a change by the Chinese name of its field
    assert len(audit.search_ids("核酸结果")) == 2


def test_a_change_that_changes_nothing_is_not_logged(db, community):
    cid = _case()
    test_id = items.tests_of(cid)[0]["id"]
    items.record_result(test_id, "阴性", sampling_date=START)
    count = AuditLog.select().count()
    items.record_result(test_id, "阴性", sampling_date=START)  # 阴性 → 阴性
    assert AuditLog.select().count() == count
    rid = residents.save({"name": "王洋", "community_id": community, "phone": "13812345678"})
    count = AuditLog.select().count()
    residents.save(residents.get_form(rid), rid)  # saved unchanged
    assert AuditLog.select().count() == count
    assert audit.record("修改", "resident", rid, "无改动", {"phone": ("", None), "floor": (3, "3")}) is False
    assert AuditLog.select().count() == count
    # a record without changes (an export, a deletion) is still written
    assert audit.record("导出", "resident", None, "导出居民台账 1 人") is True


def test_marking_a_sample_taken_is_logged_with_its_date(db, community):
    cid = _case()
    test_id = items.tests_of(cid)[1]["id"]
    items.mark_sampled(test_id, D(2021, 8, 8))
    assert q.history(cid)[0]["text"] == "采样日期：（空） → 2021-08-08"


def test_values_read_as_a_person_reads_them(db, community):
    cid = _case()
    q.convert_to_resident(cid, community)
    rid = QuarantineCase.get_by_id(cid).resident_id
    assert q.history(cid)[0]["text"] == "居民台账：（空） → 王伟"
    form = q.get_form(cid)
    [other] = communities.ensure_communities(["天瑞嘉园"])
    q.update_case(cid, {**form, "home_possible": True, "community_id": other}, today=START)
    text = q.history(cid)[0]["text"]
    assert "所属社区：原乡小镇 → 天瑞嘉园" in text and "具备居家隔离条件：（空） → 是" in text
    assert audit.show_value("volunteer", "availability", "1" * 3 + "0" * 18) == "周一全天"
    assert audit.show_value("setting", "居家隔离", {"days": 7, "test_days": [1, 7]}) == "天数 7，核酸检测日 1、7"
    assert audit.show_value("resident", "community_id", 999) == "999号（已删除）"
    assert audit.describe_changes("volunteer", f'{{"resident_id": [null, {rid}], "active": [true, false]}}') == (
        "居民台账：（空） → 王伟；在册：是 → 否")


def test_a_request_moved_to_another_category_reads_once(db, community):
    cats = {name: c for c, name in service_desk.list_categories()}
    rid = service_desk.take_in({"contact_name": "王秀英", "category_id": cats["漏雨"], "description": "顶楼漏雨"})
    raw = {**service_desk.get(rid), "category_id": cats["停电"]}
    service_desk.update(rid, raw)
    assert _lines()[0][3:] == ("工单", f"修改工单 {raw['number']}", "问题类别：漏雨 → 停电")


def test_every_line_the_demo_office_writes_reads_in_chinese(db):
    from community_desk.core import demo

    demo.load_demo_data(residents=400)
    lines = [line[5] for line in _lines()]
    tables = {a.table for a in AuditLog.select(AuditLog.table).distinct()}
    assert len(tables) >= 10 and sum(1 for text in lines if text) > 50
    assert [text for text in lines if re.search(r"[A-Za-z_]{3,}", text or "")] == []
