"""The quarantine demo step: a few dozen cases and the seed case whose hospital check falls inside
the quarantine, shown in the today view on the day it matters."""
import datetime as dt

from community_desk.core import demo
from community_desk.core.models import QuarantineCase, SpecialNeed
from community_desk.core.queries import quarantine_items as items


def test_demo_quarantine_cases_and_seed_need(db):
    today = dt.date(2021, 8, 10)
    demo.load_demo_data(residents=300, today=today)
    assert 25 <= QuarantineCase.select().count() <= 60
    assert {c.source for c in QuarantineCase.select()} == {"市派", "自排"}
    seed = QuarantineCase.get(QuarantineCase.name == "刘桂英")
    need = SpecialNeed.get((SpecialNeed.case == seed.id) & (SpecialNeed.kind == "就医"))
    assert seed.start_date < need.need_date < seed.planned_end and "改约" in need.content
    lead = dt.timedelta(days=items.need_lead_days())  # shown from the lead time before its date (issue 15)
    assert need.id not in items.today_ids("needs", need.need_date - lead - dt.timedelta(days=1))
    assert need.id in items.today_ids("needs", need.need_date - lead)
    assert need.id in items.today_ids("needs", need.need_date)
    assert QuarantineCase.select().where(QuarantineCase.previous_end.is_null(False)).count() == 1
