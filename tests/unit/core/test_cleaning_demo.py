"""The demo step: a round this month for 领峰四季园 that `export cleaning-roster --round 1` finds."""
from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from community_desk.app import main
from community_desk.core import demo
from community_desk.core.db import close_database
from community_desk.core.models import Survey, Visit
from community_desk.core.queries import cleaning
from community_desk.core.rules.cleaning import phone_forbidden


def test_demo_round(db):
    today = dt.date(2026, 11, 12)
    demo.load_demo_data(residents=400, today=today)
    rnd = cleaning.get_round(1)
    assert rnd["community"] == "领峰四季园"
    assert rnd["start_date"].month == rnd["end_date"].month == 11 and rnd["start_date"] <= today <= rnd["end_date"]
    assert len(rnd["team_ids"]) == 2
    deaf = [s for s in Survey.select() if s.resident.disability == "听力"]
    assert len(deaf) >= 2 and all(s.contact_method == "上门" for s in deaf)
    assert all(s.contact_method != "电话" for s in Survey.select()
               if phone_forbidden(s.resident.contact_preference, s.resident.disability))
    visits = list(Visit.select())
    done = [v for v in visits if v.done]
    assert done and len(done) < len(visits)
    assert all(v.date <= today for v in done)
    assert any(v.satisfaction and v.feedback for v in done)


def test_demo_then_cli_export(tmp_path, capsys):
    path = tmp_path / "demo.db"
    assert main(["--db", str(path), "demo-data"]) == 0
    out = tmp_path / "roster.xlsx"
    assert main(["--db", str(path), "export", "cleaning-roster", "--round", "1", "--out", str(out)]) == 0
    assert "已导出服务批次 1" in capsys.readouterr().out
    assert load_workbook(out)["服务安排"]["B2"].value == "服务日期"
    assert main(["--db", str(path), "export", "cleaning-roster", "--out", str(out)]) == 2
    assert "--round" in capsys.readouterr().err
    close_database()
