"""A small office built through the real queries for the home screen tests (core and GUI)."""
from __future__ import annotations

import datetime as dt

from community_desk.core.models import Community
from community_desk.core.queries import communities, duty, residents, service_desk
from community_desk.core.queries import quarantine as cases
from community_desk.core.rules.idcard import make_id


def case(name: str, seq: int, start: dt.date, today: dt.date) -> int:
    return cases.create_case({"name": name, "id_number": make_id("110111", dt.date(1980, 1, 1), seq),
                              "phone": "13800138000", "address": "3号楼2单元501", "measure": "居家隔离",
                              "start_date": start.isoformat()}, today=today)


def seed(community: int, today: dt.date) -> dict:
    """Two communities (原乡小镇 plans 1,688 households), four residents in three households, three
    cases under control (one started today), two open requests (one overdue), one gate post."""
    Community.update(planned_households=1688).where(Community.id == community).execute()
    [other] = communities.ensure_communities(["天瑞嘉园"])
    Community.update(planned_households=1200).where(Community.id == other).execute()
    people = [("王大洋", "A1", ["老年人", "党员"]), ("李秀英", "A1", ["老年人"]), ("赵建国", "A2", ["残疾人"]),
              ("钱淑珍", "", [])]
    for name, household, tags in people:
        residents.save({"name": name, "community_id": community, "building": "3号楼", "unit": "1", "room": "101",
                        "household_number": household, "tags": tags})
    ids = {"early": case("孙德福", 1, today - dt.timedelta(days=10), today),
           "middle": case("周子轩", 2, today - dt.timedelta(days=3), today),
           "new": case("吴晓明", 3, today, today)}
    cats = {name: cid for cid, name in service_desk.list_categories()}
    now = dt.datetime.combine(today, dt.time(9, 0))
    service_desk.take_in({"contact_name": "王秀英", "category_id": cats["漏雨"], "description": "顶楼漏雨"}, now)
    service_desk.take_in({"contact_name": "孙平", "category_id": cats["停电"], "description": "单元停电",
                          "received_at": now - dt.timedelta(days=20),
                          "deadline": (today - dt.timedelta(days=13))}, now)
    duty.save_post({"name": "东门", "min_volunteers": "1", "parts": "上午"})
    return {"other_community": other, **ids}
