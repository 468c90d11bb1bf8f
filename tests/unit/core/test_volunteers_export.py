"""The volunteer exports from the command line: duty roster for a week, volunteers with hours, events."""
import datetime as dt

import openpyxl
import pytest

from community_desk.app import main
from community_desk.core import session
from community_desk.core.db import close_database, open_database
from community_desk.core.queries import duty, events, volunteers
from tests.unit.core.test_excel_print_rules import check_house_rules


@pytest.fixture(autouse=True)
def office_worker(monkeypatch):
    monkeypatch.setattr(session, "current", session.Session(user="测试员", role="工作人员"))


def run(db_path, *args):
    code = main(["--db", str(db_path), *args])
    close_database()
    return code


def rows_of(path, sheet=None):
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return list(ws.iter_rows(values_only=True))


def make_data(db_path):
    open_database(db_path)
    from community_desk.core.queries.communities import ensure_communities
    from community_desk.core.queries.settings import put
    [cid] = ensure_communities(["原乡小镇"])
    put("office_name", "长阳镇原乡小镇社区居委会")
    volunteers.set_staff_names(["张敏", "李强"])
    a = volunteers.save({"name": "李娜", "kind": "老党员", "availability": "1" * 21})
    b = volunteers.save({"name": "=王强", "kind": "普通居民", "availability": "110" * 7})
    duty.save_post({"name": "东门", "min_volunteers": 2, "parts": "上午下午"})
    duty.build_roster(dt.date(2021, 8, 18))
    monday_am = duty.week_shifts(dt.date(2021, 8, 16))[0]
    duty.save_log(monday_am.shift_id, {"attended_ids": [a, b], "people_checked": 40})
    events.save_event({"title": "文明祭扫", "date": "2021-08-21", "place": "加州商业广场", "community_id": cid,
                       "volunteers": [(a, "2.5")], "leaflets": 500, "letters": 300, "residents_reached": 260})
    events.save_event({"title": "防诈宣传", "date": "2021-07-01", "leaflets": 100})
    close_database()
    return a, b


def test_duty_roster_export_for_a_week(tmp_path, capsys):
    db_path = tmp_path / "x.db"
    make_data(db_path)
    out = tmp_path / "roster.xlsx"
    assert run(db_path, "export", "duty-roster", "--week", "2021-08-19", "--out", str(out)) == 0
    assert "2021-08-16 起一周门岗排班 14 班" in capsys.readouterr().out
    grid = rows_of(out, "排班表")
    assert "门岗值守排班表（2021年08月16日—08月22日）" in grid[0][0]
    assert grid[1] == ("门岗", "时段", "周一 08-16", "周二 08-17", "周三 08-18", "周四 08-19", "周五 08-20",
                       "周六 08-21", "周日 08-22")
    assert grid[2][:2] == ("东门", "上午 08:00-12:00")
    assert grid[2][2] == "带班 张敏；=王强、李娜"  # a name that looks like a formula stays text
    signs = rows_of(out, "签到表")
    assert signs[1][-1] == "签字" and len([r for r in signs if r[0] and "08-" in str(r[0])]) == 14
    assert "填报单位：长阳镇原乡小镇社区居委会" in signs[-1][0]
    assert "缺口" not in openpyxl.load_workbook(out).sheetnames  # both free every morning and afternoon
    sign_sheet = openpyxl.load_workbook(out)["签到表"]
    assert all(sign_sheet.row_dimensions[r].height >= 30 for r in range(3, 17))  # room to sign by hand
    for ws in openpyxl.load_workbook(out).worksheets:
        check_house_rules(ws, office="长阳镇原乡小镇社区居委会")


def test_volunteers_export_has_hours(tmp_path):
    db_path = tmp_path / "x.db"
    make_data(db_path)
    out = tmp_path / "v.xlsx"
    assert run(db_path, "export", "volunteers", "--out", str(out)) == 0
    rows = rows_of(out)
    header = rows[1]
    assert header[-1] == "服务时长合计(小时)"
    by_name = {r[1]: r for r in rows[2:] if r and isinstance(r[0], int)}
    assert by_name["李娜"][-4:] == (4, 2.5, 0, 6.5)
    assert by_name["=王强"][-1] == 4
    total = next(r for r in rows if r and r[0] == "合计")
    assert total[-1] == 10.5


def test_events_export_for_a_period_and_bad_dates(tmp_path, capsys):
    db_path = tmp_path / "x.db"
    make_data(db_path)
    out = tmp_path / "e.xlsx"
    assert run(db_path, "export", "events", "--from", "2021-08-01", "--to", "2021-08-31", "--out", str(out)) == 0
    rows = rows_of(out)
    data = [r for r in rows if r and isinstance(r[0], int)]
    assert len(data) == 1 and data[0][2] == "文明祭扫" and data[0][7:10] == (500, 300, 260)
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert ws["B3"].value == dt.datetime(2021, 8, 21) and ws["B3"].number_format == "yyyy-mm-dd"
    check_house_rules(ws)
    assert "已导出 1 场宣传活动" in capsys.readouterr().out
    assert run(db_path, "export", "events", "--from", "2021-09-01", "--to", "2021-08-01", "--out", str(out)) == 2
    assert run(db_path, "export", "duty-roster", "--out", str(out)) == 2
    assert "--week" in capsys.readouterr().err


def test_demo_data_adds_the_team_roster_training_and_event(tmp_path):
    db_path = tmp_path / "x.db"
    assert run(db_path, "demo-data", "--residents", "400") == 0
    db = open_database(db_path)
    kinds = dict(db.execute_sql("SELECT kind, COUNT(*) FROM volunteer GROUP BY kind").fetchall())
    assert kinds["老党员"] >= 20 and kinds["在职党员"] >= 20 and kinds["普通居民"] >= 20 and kinds["其他"] >= 5
    from_registry = db.execute_sql("SELECT COUNT(*) FROM volunteer WHERE resident_id IS NOT NULL").fetchone()[0]
    assert from_registry == kinds["老党员"] + kinds["在职党员"] + kinds["普通居民"]
    assert volunteers.list_teams()[0][1] == "大爱原香"
    assert [p.name for p in duty.list_posts()] == ["东门", "西门", "南门"]
    assert len(duty.week_shifts(dt.date.today())) == 7 * 3 * 2 + 7 * 2
    [event] = events.event_ids()
    row = events.load_event_rows([event])[event]
    assert row[0] == f"{dt.date.today().year}-08-21" and row[2] == "加州商业广场" and row[6:8] == (500, 300)
    assert events.not_attended_latest("疫情防控最新要求")[1] == ["陈静", "杨磊"]
    close_database()
