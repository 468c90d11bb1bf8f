"""Resident save rules, duplicate IDs, pinyin and fragment search, delete, audit."""
import datetime as dt
import json

import pytest

from community_desk.core import session
from community_desk.core.models import AuditLog, Resident
from community_desk.core.queries import residents
from community_desk.core.rules.idcard import make_id
from community_desk.core.rules.pinyin import name_keys
from community_desk.core.rules.resident import FormErrors
from community_desk.core.session import PermissionDenied, Session

ID_A = make_id("110111", dt.date(1956, 3, 12), 21)
ID_B = make_id("110111", dt.date(1990, 7, 1), 42)


def add(community, **values):
    form = {"name": "王洋", "community_id": community, "building": "3", "unit": "2", "room": "501"}
    form.update(values)
    return residents.save(form)


def search(text, **kw):
    return residents.search_ids(residents.ResidentFilter(text=text, **kw))


def test_name_keys_read_surnames_as_surnames():
    assert name_keys("王洋") == ("wy", "wangyang")
    assert name_keys("曾国藩")[1].startswith("zeng")
    assert name_keys("单田芳")[1].startswith("shan")


def test_save_derives_birth_gender_floor_and_address(community):
    rid = add(community, id_number=ID_A.lower(), phone="138-1234-5678")
    r = Resident.get_by_id(rid)
    assert r.id_number == ID_A
    assert r.birth_date == dt.date(1956, 3, 12)
    assert r.gender == "男"
    assert r.floor == 5
    assert r.address == "3号楼2单元501"
    assert r.phone == "13812345678"


def test_pinyin_initials_full_pinyin_id_phone_and_address_find_the_resident(community):
    target = add(community, id_number=ID_A, phone="13812345678")
    add(community, name="李娜", id_number=ID_B, phone="13900001111", building="7", room="101")
    for text in ("wy", "WY", "wangyang", "王洋", "王", ID_A[6:14], "1234567", "3号楼2单元", "洋"):
        assert search(text) == [target], text
    assert search("ln") != [target]
    assert search("zzz") == []


def test_duplicate_id_names_the_resident_who_has_it(community):
    add(community, id_number=ID_A)
    with pytest.raises(FormErrors) as err:
        add(community, name="张三", id_number=ID_A)
    assert "王洋" in err.value.errors["id_number"]
    assert Resident.select().count() == 1


def test_wrong_check_digit_refused_and_nothing_written(community):
    bad = ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1")
    with pytest.raises(FormErrors) as err:
        add(community, id_number=bad)
    assert f"应为 {ID_A[-1]}" in err.value.errors["id_number"]
    assert Resident.select().count() == 0


def test_several_errors_reported_at_once(community):
    with pytest.raises(FormErrors) as err:
        residents.save({"name": "", "community_id": community, "phone": "123", "birth_date": "2099-01-01"})
    assert set(err.value.errors) >= {"name", "phone", "birth_date"}


def test_hearing_impaired_cannot_prefer_phone(community):
    with pytest.raises(FormErrors) as err:
        add(community, disability="听力", contact_preference="电话")
    assert "上门" in err.value.errors["contact_preference"]
    rid = add(community, disability="听力", contact_preference="上门")
    assert "残疾人" in residents.get_form(rid)["tags"]


def test_edit_records_changed_fields_in_audit_log(community):
    rid = add(community, phone="13812345678")
    form = residents.get_form(rid)
    form["phone"] = "13999998888"
    residents.save(form, rid)
    entry = AuditLog.select().where((AuditLog.action == "修改") & (AuditLog.table == "resident")).get()
    assert json.loads(entry.changes)["phone"] == ["13812345678", "13999998888"]
    assert entry.user == "测试员"
    assert search("13999998888") == [rid]


def test_filters_and_sort(community):
    a = add(community, name="阿强", tags=["党员"])
    b = add(community, name="赵敏", residence_status="流动")
    tags = dict((name, tid) for tid, name in residents.list_tags())
    assert search("", tag_id=tags["党员"]) == [a]
    assert search("", residence_status="流动") == [b]
    assert search("", sort_key="name") == [a, b]
    assert search("", sort_key="name", descending=True) == [b, a]


def test_residents_without_an_id_number_or_birth_date_sort_as_on_sqlite(community):
    """Empty values first going up, last going down, on both engines (PostgreSQL's default is the other way)."""
    none = add(community, name="无证")
    older = add(community, name="老人", id_number=ID_A)
    younger = add(community, name="年轻人", id_number=ID_B)
    assert search("", sort_key="id_number") == [none, older, younger]
    assert search("", sort_key="id_number", descending=True) == [younger, older, none]
    assert search("", sort_key="age") == [younger, older, none]  # the youngest first, no birth date last
    assert search("", sort_key="age", descending=True) == [none, older, younger]
    assert search("", sort_key="household") == [none, older, younger]  # none has a 户号: id order
    assert search("3号楼", sort_key="id_number", descending=True) == [younger, older, none]


def test_delete_removes_search_keys_and_logs(community):
    rid = add(community)
    assert residents.delete([rid]) == 1
    assert search("wy") == []
    assert AuditLog.select().where(AuditLog.action == "删除").count() == 1


def test_read_only_session_cannot_write(community):
    session.current = Session(user="门岗志愿者", role="只读")
    with pytest.raises(PermissionDenied):
        add(community)
    assert Resident.select().count() == 0


def test_name_sorted_search_reads_the_ordered_keys_and_agrees_with_the_general_path(community):
    names = ["王洋", "王小明", "汪峰", "李娜", "吴用", "万里"]
    ids = {name: add(community, name=name) for name in names}
    fast = search("w")
    slow = search("w", residence_status="常住")  # a filter sends it through the general query
    assert fast == slow == [ids["汪峰"], ids["王小明"], ids["王洋"], ids["万里"], ids["吴用"]]  # wangfeng … wuyong
    assert search("w", descending=True) == list(reversed(fast))
    assert residents.search_ids(residents.ResidentFilter(text="w"), limit=2) == fast[:2]
    form = residents.get_form(ids["吴用"])
    form["name"] = "艾伦"  # renamed: the ordered keys follow
    residents.save(form, ids["吴用"])
    assert search("w") == fast[:-1] and search("ai") == [ids["吴用"]]
