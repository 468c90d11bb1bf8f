"""A small cleaning round built through the real queries, shared by the core and GUI tests."""
from __future__ import annotations

import datetime as dt

from community_desk.core.queries import cleaning, residents

START = dt.date(2026, 11, 16)
END = dt.date(2026, 11, 18)
TODAY = dt.date(2026, 11, 10)


def person(community: int, name: str, age: int, room: str, *, tags=(), disability: str = "",
           contact: str = "电话", building: str = "3号楼", household: str = "") -> int:
    birth = dt.date(TODAY.year - age, 1, 15)
    return residents.save({
        "name": name, "birth_date": birth.isoformat(), "phone": "13812345678", "community_id": community,
        "building": building, "unit": "1", "room": room, "household_number": household,
        "contact_preference": contact, "disability": disability, "tags": list(tags),
        "residence_status": "常住",
    })


def small_round(community: int, capacity: int = 2, teams: int = 1, high_floor: int = 5) -> dict:
    """Six residents: four eligible (one deaf, one high floor), one too young, one couple sharing a household."""
    ids = {
        "wang": person(community, "王大洋", 86, "101", tags=["老年人"], household="A1"),
        "wang_wife": person(community, "李秀英", 84, "101", tags=["老年人"], household="A1"),
        "zhao": person(community, "赵建国", 70, "301", tags=["老年人", "残疾人"], disability="听力", contact="上门"),
        "qian": person(community, "钱淑珍", 66, "602", tags=["老年人"]),
        "sun": person(community, "孙德福", 75, "201", tags=["老年人", "独居老人"]),
        "young": person(community, "周子轩", 35, "502"),
    }
    team_ids = [cleaning.save_team({"name": f"第{n + 1}服务队", "leader": "刘强", "members": "刘强、陈静"})
                for n in range(teams)]
    round_id = cleaning.save_round({
        "name": "2026年11月擦玻璃服务", "community_id": community, "start_date": START.isoformat(),
        "end_date": END.isoformat(), "capacity": str(capacity), "min_age": "80", "high_floor": str(high_floor),
        "team_ids": team_ids, "tags": ["残疾人", "独居老人", "老年人", "低保户", "特困人员"]})
    return {"round": round_id, "teams": team_ids, **ids}
