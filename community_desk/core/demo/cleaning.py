"""Demo data of the cleaning service: a round this month for 领峰四季园 (the first round, id 1),
with two teams, the eligible residents, surveyed households (two of them hearing-impaired),
visits scheduled by the auto-scheduler and the past ones done with feedback. All invented."""
from __future__ import annotations

import calendar
import datetime as dt
import random

from ..models import Community, Resident, ResidentTag, RoundMember, ServiceRound, Survey, Tag, Visit
from ..queries import cleaning, cleaning_visits
from ..rules.cleaning import default_contact_method

COMMUNITY = "领峰四季园"
SURVEYED_MAX = 60
NOTES = ("家里有狗，请提前敲门", "钥匙放在邻居家（同层对门）", "老人行动不便，需家属在场", "窗户把手松动，注意安全",
         "下午老人午休，两点以后再来", "")
FEEDBACK = ("擦得很干净，谢谢社区", "小伙子们很细心，还自带了拖鞋", "纱窗也洗了，满意", "来得很准时",
            "窗台有点水渍没擦干", "希望明年还能来")
PROBLEMS = ("北卧窗户玻璃有裂纹，已告知家属", "厨房纱窗破损", "阳台护栏有锈蚀，建议报修")


def round_dates(today: dt.date) -> tuple[dt.date, dt.date]:
    """About two weeks inside the current month, ending after today when the month allows."""
    last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    start = max(today.replace(day=1), today - dt.timedelta(days=5))
    return start, min(last, start + dt.timedelta(days=13))


def _make_hearing_impaired(rng: random.Random, round_id: int, households: list[int]) -> list[int]:
    """Two households of the round whose contact person is hearing-impaired (prefers visits in
    person); elderly contacts are made so when the registry has too few. Returns their ids."""
    disability = dict(Resident.select(Resident.id, Resident.disability).where(Resident.id.in_(households)).tuples())
    deaf = [rid for rid in households if disability.get(rid) == "听力"][:2]
    pool = [rid for rid in households if rid not in deaf and not disability.get(rid)]
    disabled = Tag.get(Tag.name == "残疾人")
    for rid in rng.sample(pool, min(2 - len(deaf), len(pool))):
        Resident.update(disability="听力", contact_preference="上门").where(Resident.id == rid).execute()
        ResidentTag.insert(resident=rid, tag=disabled.id).on_conflict_ignore().execute()
        member = RoundMember.get((RoundMember.round == round_id) & (RoundMember.resident == rid))
        member.reason = f"残疾人（听力）、{member.reason}"[:250]
        member.save()
        deaf.append(rid)
    return deaf


def add(rng: random.Random, today: dt.date) -> None:
    community = Community.get_or_none(Community.name == COMMUNITY)
    if community is None or ServiceRound.select().exists():
        return
    teams = [cleaning.save_team({"name": "大爱原香服务队", "leader": "张敏", "members": "张敏、刘强、陈静、王磊"}),
             cleaning.save_team({"name": "四季园家政服务队", "leader": "赵勇", "members": "赵勇、孙丽、周涛"})]
    start, end = round_dates(today)
    round_id = cleaning.save_round({
        "name": f"{today.year}年{today.month}月擦玻璃服务", "community_id": community.id,
        "start_date": start.isoformat(), "end_date": end.isoformat(), "capacity": "4", "min_age": "80",
        "high_floor": "5", "team_ids": teams, "notes": "居家无忧项目：免费上门擦玻璃，工作人员自带拖鞋"})
    cleaning.add_eligible(round_id, today)
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    households = cleaning.household_ids(round_id)
    deaf = _make_hearing_impaired(rng, round_id, households)
    # about one household in eight is still to be surveyed
    others = [rid for rid in households if rid not in deaf]
    surveyed = deaf + others[:min(SURVEYED_MAX, len(others) - len(households) // 8) - len(deaf)]
    for rid in surveyed:
        r = Resident.get_by_id(rid)
        result = "需要" if rid in deaf else rng.choices(("需要", "不需要", "联系不上", "改期"), (75, 10, 8, 7))[0]
        wanted = rng.sample(days, k=min(len(days), rng.choice((0, 0, 1, 2)))) if result == "需要" else []
        cleaning.save_survey(round_id, rid, {
            "contact_method": default_contact_method(r.contact_preference, r.disability), "result": result,
            "preferred_dates": "、".join(d.isoformat() for d in wanted),
            "preferred_slot": rng.choice(("不限", "不限", "上午", "下午")), "windows": str(rng.randint(3, 9))
            if result == "需要" else "", "notes": rng.choice(NOTES) if rng.random() < 0.3 else "",
            "surveyed_by": rng.choice(("张敏", "刘强")), "surveyed_on": (start - dt.timedelta(days=3)).isoformat()})
    cleaning_visits.run_auto_schedule(round_id)
    _complete_past_visits(rng, round_id, today)


def _complete_past_visits(rng: random.Random, round_id: int, today: dt.date) -> None:
    for visit in Visit.select().where(Visit.round == round_id).order_by(Visit.date, Visit.id):
        day = visit.date if isinstance(visit.date, dt.date) else dt.date.fromisoformat(visit.date)
        if day > today or (day == today and visit.slot == "下午"):
            continue
        windows = Survey.get_by_id(visit.survey_id).windows
        hour = 9 if visit.slot == "上午" else 14
        minute = rng.choice((0, 10, 20, 30, 40))
        followed = rng.random() < 0.8
        satisfaction = rng.choices(("满意", "基本满意", "不满意"), (80, 17, 3))[0] if followed else ""
        cleaning_visits.record_visit(visit.id, {
            "done": True, "slippers": True, "glass": True, "screens": True, "sills": True,
            "railings": rng.random() < 0.8, "started_at": f"{hour}:{minute:02d}",
            "finished_at": f"{hour + 1}:{minute:02d}", "windows_cleaned": str(windows),
            "problems": rng.choice(PROBLEMS) if rng.random() < 0.12 else "", "satisfaction": satisfaction,
            "feedback": rng.choice(FEEDBACK) if followed else "",
            "followed_up_on": (day + dt.timedelta(days=1)).isoformat() if followed and day < today else ""})
