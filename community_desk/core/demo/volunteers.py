"""Demo data of the volunteer module: the 大爱原香 team, gate posts, this week's roster with a few
shift logs, gate entries, a training session and the 文明祭扫 event of 8月21日 at 加州商业广场.

Volunteers are drawn from the demo residents (party members first for the 老党员 / 在职党员), plus a
few outside people. A step of core.demo.STEPS.
"""
from __future__ import annotations

import datetime as dt
import random

from ..models import Community, Resident, ResidentTag, Tag
from ..models.volunteers import PARTS
from ..queries import duty, events, gate, volunteers
from ..rules.idcard import make_id
from ..rules.volunteers import availability_code, week_start
from .residents import GIVEN, SURNAMES

STAFF = ["张敏", "李强", "王芳", "刘洋", "陈静", "杨磊"]
POSTS = [("东门", 2, "上午下午晚上"), ("西门", 2, "上午下午晚上"), ("南门", 1, "上午下午")]
KIND_COUNTS = {"老党员": 24, "在职党员": 24, "普通居民": 30}
OUTSIDERS = ["周建华", "吴春梅", "郑志强", "孙凤英", "马德福", "朱海燕", "胡国庆", "林玉兰"]
SKILLS = ("", "", "医护", "电工", "理发", "心理疏导", "摄影", "书法", "驾驶")


def _availability(rng: random.Random, kind: str) -> str:
    slots = set()
    days = rng.sample(range(7), rng.randint(3, 6))
    for day in days:
        if kind == "老党员":
            parts = rng.sample(PARTS[:2], rng.randint(1, 2))
        elif kind == "在职党员":
            parts = ["晚上"] if day < 5 else rng.sample(PARTS, rng.randint(1, 3))
        else:
            parts = rng.sample(PARTS, rng.randint(1, 2))
        slots.update((day, p) for p in parts)
    return availability_code(slots)


def _pick_residents(today: dt.date) -> dict[str, list[int]]:
    party = Tag.get_or_none(Tag.name == "党员")
    party_ids = set()
    if party is not None:
        party_ids = {link.resident_id for link in ResidentTag.select().where(ResidentTag.tag == party.id)}
    adults = list(Resident.select(Resident.id, Resident.birth_date).where(Resident.birth_date.is_null(False))
                  .order_by(Resident.id))
    old, young, others = [], [], []
    for r in adults:
        age = (today - r.birth_date).days // 365
        if age < 18 or age > 85:
            continue
        if r.id in party_ids:
            (old if age >= 60 else young).append(r.id)
        elif age >= 60:
            old.append(r.id)  # filled up with elderly residents when too few party members
        else:
            others.append(r.id)
    old.sort(key=lambda rid: rid not in party_ids)
    young.extend(others)
    taken = set(old[:KIND_COUNTS["老党员"]])
    young = [rid for rid in young if rid not in taken]
    return {"老党员": old[:KIND_COUNTS["老党员"]], "在职党员": young[:KIND_COUNTS["在职党员"]],
            "普通居民": young[KIND_COUNTS["在职党员"]:KIND_COUNTS["在职党员"] + KIND_COUNTS["普通居民"]]}


def add(rng: random.Random, today: dt.date) -> None:
    first = Community.select().order_by(Community.sort_order, Community.id).first()
    volunteers.set_staff_names(STAFF)
    team = volunteers.ensure_team("大爱原香", first.id if first else None)
    ids: list[int] = []
    for kind, resident_ids in _pick_residents(today).items():
        for rid in resident_ids:
            ids.append(volunteers.save({
                "resident_id": rid, "kind": kind, "team_id": team, "availability": _availability(rng, kind),
                "skills": rng.choice(SKILLS), "joined_on": today - dt.timedelta(days=rng.randint(30, 900))}))
    for name in OUTSIDERS:
        ids.append(volunteers.save({
            "name": name, "phone": f"139{rng.randint(0, 99_999_999):08d}", "kind": "其他", "team_id": team,
            "availability": _availability(rng, "普通居民"), "skills": rng.choice(SKILLS),
            "joined_on": today - dt.timedelta(days=rng.randint(30, 400))}))
    for name, minimum, parts in POSTS:
        duty.save_post({"name": name, "min_volunteers": minimum, "parts": parts})

    monday = week_start(today)
    duty.build_roster(monday)
    for cell in duty.week_shifts(monday):
        if cell.date < today and cell.volunteers:
            came = [vid for vid, _n in cell.volunteers if rng.random() < 0.9]
            duty.save_log(cell.shift_id, {"attended_ids": came, "people_checked": rng.randint(20, 120),
                                          "remarks": rng.choice(("正常", "正常", "扫码登记顺畅", "快递较多"))})

    posts = duty.list_posts()
    reasons = ("送快递", "送外卖", "探亲", "返京", "维修", "装修")
    for i in range(14):
        when = dt.datetime.combine(today, dt.time(8, 0)) + dt.timedelta(minutes=25 * i)
        temperature = "37.6" if i == 9 else f"{rng.choice((36.1, 36.3, 36.4, 36.5, 36.6, 36.8))}"
        gate.save_entry({
            "post_id": posts[i % len(posts)].id, "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
            "phone": f"138{rng.randint(0, 99_999_999):08d}", "temperature": temperature, "time_in": when,
            "id_number": make_id("130602", dt.date(1985, 1, 1) + dt.timedelta(days=rng.randint(0, 5000)), i)
            if i % 3 == 0 else "", "reason": rng.choice(reasons), "checked_by": STAFF[i % 3]})

    events.save_training({"date": today - dt.timedelta(days=3), "topic": "疫情防控最新要求",
                          "trainer": "长阳镇防控办", "attendees": STAFF[:4],
                          "materials": "北京市疫情防控最新措施解读\n门岗查验与体温检测操作规范"})
    event_day = dt.date(today.year, 8, 21)
    helpers = rng.sample(ids, min(12, len(ids)))
    events.save_event({"title": "文明祭扫 平安中元", "date": event_day, "place": "加州商业广场",
                       "community_id": first.id if first else None,
                       "volunteers": [(vid, "3") for vid in helpers], "leaflets": 500, "letters": 300,
                       "residents_reached": 326,
                       "notes": "中元节前倡导文明祭扫、绿色祭扫，发放《文明祭扫倡议书》和《致居民的一封信》"})
