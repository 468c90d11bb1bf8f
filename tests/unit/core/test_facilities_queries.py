"""Facility log and service desk against a real database file: save, history, photos, totals, counts."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from community_desk.core import session
from community_desk.core.db import LATEST_VERSION, open_database, schema_version
from community_desk.core.models import AuditLog, FacilityEvent
from community_desk.core.queries import facilities, service_desk
from community_desk.core.queries import settings as office_settings
from community_desk.core.rules.resident import FormErrors
from community_desk.core.rules.text import ValidationError

TODAY = dt.date.today()


def kind_id(name: str) -> int:
    return next(kid for kid, kname, _unit in facilities.list_kinds() if kname == name)


def add(name="秋千", kind="秋千", qty="2", unit="套", status="已完工", cost="", installed=None, **extra) -> int:
    raw = {"kind_id": kind_id(kind), "name": name, "quantity": qty, "unit": unit, "status": status,
           "cost": cost, "installed_date": installed if installed is not None else
           (TODAY - dt.timedelta(days=10)).isoformat(), **extra}
    return facilities.save(raw)


def test_migration_seeds_kinds_and_categories(db):
    assert schema_version(db) == LATEST_VERSION
    kinds = [name for _id, name, _unit in facilities.list_kinds()]
    assert kinds[:6] == ["休闲座椅", "儿童滑梯", "秋千", "摇摇马", "跷跷板", "乒乓球桌"]
    assert {"电动车充电桩", "社区图书馆", "党群服务中心"} <= set(kinds)
    assert [name for _id, name in service_desk.list_categories()] == [
        "漏雨", "停电", "停水", "维修", "环境卫生", "邻里纠纷", "其他"]
    facilities.add_kind("健身器材", "套")
    assert "健身器材" in [name for _id, name, _u in facilities.list_kinds()]
    with pytest.raises(ValidationError):
        facilities.add_kind("秋千")


def test_save_status_change_and_history(community):
    fid = add(community_id=community, building="2号楼", location="北侧小广场")
    row = facilities.load_rows([fid])[fid]
    assert row[4] == "原乡小镇 2号楼 北侧小广场"
    raw = facilities.get_form(fid)
    raw["status"] = "施工中"
    with pytest.raises(FormErrors) as info:
        facilities.save(raw, fid)
    assert "不能从“已完工”改为“施工中”" in info.value.errors["status"]
    raw["status"] = "维修中"
    facilities.save(raw, fid)
    kinds = [item["kind"] for item in facilities.history(fid)]
    assert kinds.count("状态变更") == 2
    assert AuditLog.select().where(AuditLog.table == "facility").count() == 2


def test_repair_record_moves_status_and_sums_costs_exactly(db):
    fid = add()
    facilities.add_event(fid, {"kind": "维修", "date": TODAY.isoformat(), "who": "李师傅",
                               "found": "秋千链条断裂，更换链条", "cost": "350.10", "new_status": "维修中"})
    facilities.add_event(fid, {"kind": "维修", "date": TODAY.isoformat(), "who": "李师傅",
                               "found": "修好", "cost": "0.20", "new_status": "已完工"})
    assert facilities.get_form(fid)["status"] == "已完工"
    assert facilities.repair_costs(fid) == Decimal("350.30")
    assert FacilityEvent.select().where(FacilityEvent.facility == fid).count() == 5  # 登记, 2 repairs, 2 changes
    with pytest.raises(FormErrors) as info:
        facilities.add_event(fid, {"kind": "巡检", "date": TODAY.isoformat(), "who": "", "new_status": "施工中"})
    assert "who" in info.value.errors


def test_cost_sum_is_exact(db):
    ids = [add(name=f"座椅{i}", kind="休闲座椅", qty="1", cost="0.10") for i in range(10)]
    ids.append(add(name="滑梯", kind="儿童滑梯", qty="1", unit="组", cost="12800.55"))
    assert facilities.cost_sum(ids) == Decimal("12801.55")
    assert isinstance(facilities.load_rows(ids[:1])[ids[0]][9], Decimal)


def test_inspection_overdue_in_rows_and_filter(db):
    old = add(name="旧秋千", installed=(TODAY - dt.timedelta(days=200)).isoformat())
    new = add(name="新秋千", installed=(TODAY - dt.timedelta(days=5)).isoformat())
    overdue = facilities.search_ids(facilities.FacilityFilter(overdue_only=True))
    assert overdue == [old]
    assert facilities.load_rows([old])[old][facilities.INSPECTION_COLUMN] == facilities.OVERDUE_TEXT
    facilities.add_event(old, {"kind": "巡检", "date": TODAY.isoformat(), "who": "张敏", "found": "完好"})
    assert facilities.search_ids(facilities.FacilityFilter(overdue_only=True)) == []
    office_settings.put("inspection_overdue_days", 2)
    assert facilities.search_ids(facilities.FacilityFilter(overdue_only=True)) == [new]


def test_totals_by_kind_and_planned_group(db):
    add(name="座椅A", kind="休闲座椅", qty="20", cost="1000.10")
    add(name="座椅B", kind="休闲座椅", qty="8", cost="0.90")
    add(name="充电桩", kind="电动车充电桩", qty="10", unit="台", status="规划中", installed="",
        next_step="征求居民意见")
    assert facilities.totals_text().startswith("休闲座椅 28 套")
    assert "电动车充电桩" not in facilities.totals_text()
    lines = {line.kind: line for line in facilities.totals_by_kind_and_status()}
    assert lines["休闲座椅"].by_status["已完工"] == 28 and lines["休闲座椅"].cost == Decimal("1001.00")
    assert lines["电动车充电桩"].by_status["规划中"] == 10
    planned = facilities.planned_projects()
    assert [p["next_step"] for p in planned] == ["征求居民意见"]
    assert len(facilities.search_ids(facilities.FacilityFilter(group="installed"))) == 2


@pytest.mark.sqlite_only  # on the server the photo is in its row: test_facility_photos_server.py
def test_photos_copied_beside_database_and_missing_file_tolerated(db, db_path, tmp_path):
    fid = add()
    source = tmp_path / "incoming" / "swing.png"
    source.parent.mkdir()
    source.write_bytes(b"\x89PNG\r\n\x1a\nfake")
    pid = facilities.add_photo(fid, source)
    [photo] = facilities.list_photos(fid)
    assert photo["id"] == pid and photo["exists"]
    assert photo["path"].parent == db_path.parent / "photos"
    photo["path"].unlink()
    assert facilities.list_photos(fid)[0]["exists"] is False
    with pytest.raises(ValidationError):
        facilities.add_photo(fid, tmp_path / "notes.txt")


def test_request_flow_counts_and_facility_history(db):
    session.current = session.Session(user="测试员")
    swing = add(name="2号楼秋千")
    cats = dict((name, cid) for cid, name in service_desk.list_categories())
    now = dt.datetime.now().replace(microsecond=0)
    first = service_desk.take_in({"contact_name": "王秀英", "contact_phone": "13800138000",
                                  "category_id": cats["漏雨"], "description": "顶楼漏雨"}, now)
    second = service_desk.take_in({"contact_name": "刘伟", "category_id": cats["维修"], "description": "秋千坏了",
                                   "facility_id": swing, "assigned_to": "李师傅"}, now)
    assert service_desk.get(first)["number"] == f"WLB-{now.year}-0001"
    assert service_desk.get(second)["number"] == f"WLB-{now.year}-0002"
    assert service_desk.get(second)["status"] == "处理中"
    assert service_desk.open_count() == 2
    assert any(item["kind"] == "我来办工单" for item in facilities.history(swing))
    with pytest.raises(FormErrors):
        service_desk.follow_up(first, {"satisfaction": "满意"})  # not resolved yet
    service_desk.assign(first, "赵电工")
    service_desk.resolve(first, {"resolution": "已联系物业修补防水层", "solved": "解决"})
    service_desk.follow_up(first, {"satisfaction": "满意"})
    assert service_desk.open_count() == 1
    assert dict(service_desk.counts_by("satisfaction"))["满意"] == 1
    assert dict(service_desk.counts_by("category"))["漏雨"] == 1
    late = service_desk.take_in({"contact_name": "孙平", "category_id": cats["停电"], "description": "单元停电",
                                 "received_at": now - dt.timedelta(days=20),
                                 "deadline": (now - dt.timedelta(days=13)).date()}, now)
    assert service_desk.overdue_count() == 1
    assert service_desk.search_ids(service_desk.RequestFilter(text="停电")) == [late]  # by category name
    assert service_desk.search_ids(service_desk.RequestFilter(overdue_only=True)) == [late]
    assert service_desk.load_rows([late])[late][service_desk.OVERDUE_COLUMN] == "逾期"


def test_read_only_user_cannot_write(db):
    from community_desk.core.session import PermissionDenied

    session.current = session.Session(user="访客", role="只读")
    with pytest.raises(PermissionDenied):
        facilities.add_kind("健身器材")


def test_old_database_upgrades(tmp_path):
    from community_desk.core.db import close_database

    path = tmp_path / "old.db"
    open_database(path, upto=2)
    close_database()
    db = open_database(path)
    assert schema_version(db) == LATEST_VERSION
    assert len(facilities.list_kinds()) == 9
    close_database()


def test_settings_and_office_lists_are_editable(db):
    assert facilities.inspection_days() == 90
    assert facilities.set_inspection_days("30") == 30 and facilities.inspection_days() == 30
    for bad in ("0", "abc", "5000"):
        with pytest.raises(ValidationError):
            facilities.set_inspection_days(bad)
    cid = service_desk.add_category("电梯故障")
    assert (cid, "电梯故障") in service_desk.list_categories()
    with pytest.raises(ValidationError):
        service_desk.add_category("漏雨")


def test_requests_without_a_result_date_sort_as_on_sqlite(db):
    """Empty dates first going up, last going down, on both engines (PostgreSQL's default is the other way)."""
    cats = dict((name, cid) for cid, name in service_desk.list_categories())
    now = dt.datetime.now().replace(microsecond=0)
    done, open_ = (service_desk.take_in({"contact_name": name, "category_id": cats["漏雨"], "description": "漏雨"}, now)
                   for name in ("王秀英", "刘伟"))
    service_desk.resolve(done, {"resolution": "已修好", "solved": "解决", "resolved_date": now.date().isoformat()})
    flt = service_desk.RequestFilter(sort_key="resolved_date", descending=False)
    assert service_desk.search_ids(flt) == [open_, done]
    assert service_desk.search_ids(service_desk.RequestFilter(sort_key="resolved_date")) == [done, open_]
