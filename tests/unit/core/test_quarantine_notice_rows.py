"""The rows the printed quarantine notices (居家隔离通知) are made from: the chosen cases only, by community and
address, the address beginning with the community's name."""
from __future__ import annotations

import datetime as dt

from community_desk.core import demo
from community_desk.core.models import QuarantineCase
from community_desk.core.queries import quarantine_report as report


def test_notice_rows_are_the_chosen_cases_by_address(db):
    demo.load_demo_data(residents=200, today=dt.date(2021, 8, 10))
    chosen = [c.id for c in QuarantineCase.select().order_by(QuarantineCase.id.desc()).limit(6)]
    rows = report.notice_rows(chosen)
    assert sorted(r.id for r in rows) == sorted(chosen)
    assert [(r.address, r.id) for r in rows] == sorted((r.address, r.id) for r in rows)
    case = QuarantineCase.get_by_id(rows[0].id)
    named = 0
    for row in rows:
        case = QuarantineCase.get_by_id(row.id)
        if case.community is None:  # a 自排 case typed with its own address
            assert row.address == case.address
            continue
        named += 1
        assert row.address.startswith(case.community.name) and row.address.endswith(case.address)
        assert row.address.count(case.community.name) == 1  # not twice when the address named it already
    assert named > 0
    case = QuarantineCase.get_by_id(rows[0].id)
    assert (rows[0].name, rows[0].id_number, rows[0].measure, rows[0].start_date, rows[0].planned_end,
            rows[0].follow_up_worker) == (case.name, case.id_number, case.measure, case.start_date, case.planned_end,
                                          case.follow_up_worker)
    assert isinstance(rows[0].start_date, dt.date)
    assert report.notice_rows([]) == []
