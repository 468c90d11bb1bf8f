"""Issue 14 item 2 and 5: a read-only session writes nothing through core, reads personal data masked;
settings changes and new communities are in the audit log."""
import datetime as dt
import json

import pytest

from community_desk.core import session
from community_desk.core.db import db_proxy
from community_desk.core.models import AuditLog, Community, QuarantineCase, Setting
from community_desk.core.queries import accounts, audit, communities, gate, residents
from community_desk.core.queries import quarantine as q
from community_desk.core.queries import quarantine_items as items
from community_desk.core.queries import quarantine_report as report
from community_desk.core.queries import settings as office_settings
from community_desk.core.rules.idcard import make_id
from community_desk.core.session import PermissionDenied

D = dt.date
ID = make_id("110111", D(1980, 1, 1), 7)
READ_ONLY = session.Session(user="志愿者", role="只读")


def _counts() -> dict[str, int]:
    return {t: db_proxy.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
            for t in ("setting", "community", "audit_log", "nucleic_test", "follow_up", "building")}


@pytest.fixture
def data(community):
    rid = residents.save({"name": "王洋", "community_id": community, "phone": "13812345678", "id_number": ID})
    cid = q.create_case({"name": "李娜", "id_number": make_id("110111", D(1985, 5, 5), 3), "phone": "13912345678",
                         "address": "3号楼501", "source": "市派", "measure": "居家隔离",
                         "start_date": D(2021, 8, 5).isoformat()}, today=D(2021, 8, 5))
    eid = gate.save_entry({"name": "赵敏", "phone": "13700001111", "id_number": make_id("110111", D(1990, 2, 2), 5),
                           "temperature": "36.5"})
    return rid, cid, eid


def test_read_only_session_cannot_write_through_any_of_these_entry_points(data, community):
    _rid, cid, _eid = data
    before = _counts()
    session.current = READ_ONLY
    policy = q.policies()["居家隔离"]
    attempts = [
        lambda: office_settings.put("office_name", "伪造单位"),
        lambda: office_settings.put_many({"reporter_name": "伪造"}),
        lambda: communities.ensure_communities(["新社区"]),
        lambda: communities.get_or_create_building(community, "99号楼"),
        lambda: audit.record("删除", "resident", 1, "删除居民 王洋"),
        lambda: q.generate_schedule(cid, D(2021, 9, 1), D(2021, 9, 14), policy),
        lambda: q.set_policy("居家隔离", 10, [1, 10]),
        lambda: q.set_classifications(["密切接触者"]),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert _counts() == before
    assert office_settings.get("office_name") == "长阳镇原乡小镇社区居委会"
    assert not Community.select().where(Community.name == "新社区").exists()
    assert not AuditLog.select().where(AuditLog.user == "志愿者").exists()


@pytest.mark.sqlite_only  # the program checks the password (scrypt) in a file; on a server PostgreSQL does: tests/integration/test_server_roles.py
def test_read_only_login_and_its_failures_are_still_recorded(community):
    accounts.create_account("admin", "张敏", "s3cret-pw")
    accounts.create_account("gate", "门岗志愿者", "gate-pass", role="只读")
    session.current = READ_ONLY  # e.g. the screen locked while a volunteer was logged in
    with pytest.raises(accounts.LoginFailed):
        accounts.login("gate", "wrong-pass")
    accounts.login("gate", "gate-pass")
    assert session.current.role == "只读"
    lines = [(a.action, a.user) for a in AuditLog.select().where(AuditLog.table == "staff_account")
             .order_by(AuditLog.id)][-2:]
    assert lines == [("登录失败", "志愿者"), ("登录", "门岗志愿者")]


def test_lists_mask_ids_and_phones_for_read_only_and_show_them_in_full_to_an_administrator(data):
    rid, cid, eid = data
    id_col, phone_col = residents.COLUMN_KEYS.index("id_number"), residents.COLUMN_KEYS.index("phone")
    full = residents.load_rows([rid])[rid]
    assert (full[id_col], full[phone_col]) == (ID, "13812345678")
    case_full = q.load_rows([cid])[cid]
    assert case_full[3] == "13912345678" and "*" not in case_full[2]

    session.current = READ_ONLY
    shown = residents.load_rows([rid])[rid]
    assert shown[id_col] == ID[:6] + "********" + ID[14:] and shown[phone_col] == "138****5678"
    assert list(residents.iter_rows([rid], mask=False))[0][phone_col] == "138****5678"  # no way around it
    case = q.load_rows([cid])[cid]
    assert case[2].startswith("110111********") and case[3] == "139****5678"
    entry = gate.load_rows([eid])[eid]
    assert entry[3] == "137****1111" and "********" in entry[4]
    assert residents.get_form(rid)["phone"] == "138****5678"
    assert q.get_form(cid)["id_number"].startswith("110111********")
    assert "********" in report.notice_rows([cid])[0].id_number
    daily = next(report.daily_rows([cid], D(2021, 8, 6)))
    assert "********" in daily[3] and daily[4] == "139****5678"
    tests_due = items.load_today_rows("tests_due", items.today_ids("tests_due", D(2021, 8, 5)))
    assert tests_due and all("****" in row[2] for row in tests_due.values())


def test_the_office_setting_masks_lists_for_staff_too_but_an_export_in_full_is_full(data):
    rid, _cid, _eid = data
    office_settings.put("show_full_ids", False)
    phone_col = residents.COLUMN_KEYS.index("phone")
    assert residents.load_rows([rid])[rid][phone_col] == "138****5678"
    assert list(residents.iter_rows([rid], mask=False))[0][phone_col] == "13812345678"
    assert list(residents.iter_rows([rid], mask=True))[0][phone_col] == "138****5678"  # masked once, not twice


# --- item 5: settings and communities are audited ----------------------------------------------
def _setting_lines():
    return list(AuditLog.select().where(AuditLog.table == "setting").order_by(AuditLog.id))


def test_a_changed_setting_is_audited_in_the_glossarys_words_and_a_no_op_is_not(community):
    before = len(_setting_lines())
    assert office_settings.put("reporter_name", "李娜") is True
    lines = _setting_lines()
    assert len(lines) == before + 1
    line = lines[-1]
    assert line.user == "测试员" and line.summary == "修改设置：填报人"
    assert audit.describe_changes("setting", line.changes) == "填报人：张敏 → 李娜"
    assert office_settings.put("reporter_name", "李娜") is False  # same value: no line
    assert office_settings.put("show_full_ids", True) is False  # the default: no line either
    assert len(_setting_lines()) == before + 1
    assert Setting.get(Setting.key == "reporter_name").value == json.dumps("李娜", ensure_ascii=False)


def test_a_policy_change_is_one_line_not_two(community):
    before = len(_setting_lines())
    q.set_policy("居家隔离", 10, [1, 10])
    lines = _setting_lines()
    assert len(lines) == before + 1 and lines[-1].summary.startswith("居家隔离默认 10 天")
    q.set_classifications(["密切接触者", "入境人员"])
    assert "人员分类" in _setting_lines()[-1].summary


def test_a_new_community_is_audited_and_an_existing_one_is_not(db):
    [first] = communities.ensure_communities(["原乡小镇"])
    communities.ensure_communities(["原乡小镇", "长阳新城"])
    lines = list(AuditLog.select().where(AuditLog.table == "community").order_by(AuditLog.id))
    assert [(a.action, a.summary) for a in lines] == [("新增", "新增社区 原乡小镇"), ("新增", "新增社区 长阳新城")]
    assert lines[0].record_id == first
    assert audit.describe_changes("community", lines[1].changes) == "社区名称：（空） → 长阳新城"


def test_case_records_read_only_cannot_touch(data):
    """The quarantine page and its settings only read for a read-only user: opening them writes nothing."""
    before = _counts()
    session.current = READ_ONLY
    q.policies(), q.classifications(), q.search_ids(q.CaseFilter())
    items.today_counts(D(2021, 8, 6))
    assert _counts() == before
    assert QuarantineCase.select().count() == 1


def test_volunteer_request_and_survey_phones_are_masked_for_read_only_in_core(data, community):
    """The lists of the volunteers, the service desk and the cleaning survey show phones masked to 只读 (core
    decides, not the window); an export the staff chose to make in full still gets them whole."""
    from community_desk.core.queries import cleaning, service_desk, volunteers

    rid = data[0]
    vid = volunteers.save({"name": "李强", "phone": "13987654321", "kind": "普通居民"})
    [(category, _name), *_] = service_desk.list_categories()
    sid = service_desk.take_in({"contact_name": "王洋", "contact_phone": "13812345678", "category_id": category,
                                "description": "顶楼漏雨"})
    round_id = cleaning.save_round({"name": "第一批", "community_id": community, "start_date": "2026-12-01",
                                    "end_date": "2026-12-31", "capacity": "10"})
    cleaning.add_member(round_id, rid, "残疾人")

    def phones():
        return (volunteers.load_rows([vid])[vid][3], service_desk.load_rows([sid])[sid][4],
                cleaning.load_household_rows(round_id, [rid])[rid][3],
                next(volunteers.iter_rows([vid]))[3], next(service_desk.iter_rows([sid]))[4])

    assert phones() == ("13987654321", "13812345678", "13812345678", "13987654321", "13812345678")
    session.current = session.Session(user="门岗志愿者", role="只读")
    assert phones() == ("139****4321", "138****5678", "138****5678", "139****4321", "138****5678")
