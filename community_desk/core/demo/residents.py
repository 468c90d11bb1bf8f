"""Demo step one: the four communities of GLOSSARY.md, their buildings and N fictional residents with valid IDs,
in households, with tags. Every person is invented. Rows are generated in Python and written with executemany
(inside the caller's transaction), so 100,000 residents take seconds. Its names also serve later steps."""
from __future__ import annotations

import datetime as dt
import random

from ..dialect import reserve_ids
from ..models import Community, Tag, db_proxy
from ..models.base import now
from ..rules.idcard import make_id
from ..rules.pinyin import name_keys
from ..rules.resident import floor_of, format_address, search_text_for

COMMUNITIES = [("原乡小镇", 1688), ("天瑞嘉园", 1200), ("领峰四季园", 1500), ("嘉州水郡北区", 900)]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = ("洋", "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英",
         "霞", "平", "刚", "桂英", "建国", "建华", "国庆", "淑珍", "玉兰", "秀兰", "文", "海燕", "红", "鹏", "辉",
         "宇", "浩然", "子涵", "欣怡", "梓萱", "一诺", "思远", "雨桐", "子轩", "俊杰", "志强", "春梅", "凤英", "德福")
AREAS = ("110111", "110111", "110111", "110105", "110108", "130102", "130602", "370102", "410102", "420102")
REGISTERED = {"110111": "北京市房山区", "110105": "北京市朝阳区", "110108": "北京市海淀区", "130102": "河北省石家庄市",
              "130602": "河北省保定市", "370102": "山东省济南市", "410102": "河南省郑州市", "420102": "湖北省武汉市"}
PHONE_PREFIXES = ("130", "131", "135", "136", "138", "139", "150", "151", "158", "186", "188", "189")
DISABILITIES = ("听力", "言语", "视力", "肢体", "智力", "精神")


def add(rng: random.Random, today: dt.date, total: int) -> dict[str, int]:
    """Communities, buildings and `total` residents; returns the figures (communities, households, residents)."""
    communities = _communities()
    buildings = _buildings(communities, per_community=max(4, min(60, total // 400 + 4)))
    tags = {t.name: t.id for t in Tag.select()}
    return _residents(rng, today, total, buildings, communities, tags)


def _communities() -> list[tuple[int, str]]:
    ids = []
    for order, (name, planned) in enumerate(COMMUNITIES):
        community, _ = Community.get_or_create(name=name, defaults={"planned_households": planned, "sort_order": order})
        ids.append((community.id, name))
    return ids


def _buildings(community_ids: list[tuple[int, str]], per_community: int) -> list[tuple[int, int, str, int]]:
    """Create buildings; return (building id, community id, name, floors)."""
    out = []
    for cid, _name in community_ids:
        for number in range(1, per_community + 1):
            floors = 6 if number % 3 else 18
            db_proxy.execute_sql('INSERT INTO building (community_id, name, floors) VALUES (?, ?, ?) '
                                 'ON CONFLICT DO NOTHING',
                                 (cid, f"{number}号楼", floors))
        for bid, name, floors in db_proxy.execute_sql(
                "SELECT id, name, floors FROM building WHERE community_id = ? ORDER BY id", (cid,)):
            out.append((bid, cid, name, floors or 6))
    return out


def _residents(rng, today, total, buildings, communities, tags) -> dict[str, int]:
    stamp = now()
    used_ids: set[str] = set()
    resident_rows, tag_rows, household_rows, search_rows = [], [], [], []
    # ids from the database (dialect.reserve_ids: the tables' sequences on PostgreSQL); a household's id is known
    # once the number of households is, so the rows below hold its index in household_rows until then
    resident_ids = iter(reserve_ids("resident", total))
    made = 0
    while made < total:
        bid, cid, bname, floors = buildings[rng.randrange(len(buildings))]
        unit = str(rng.randint(1, 4))
        room = f"{rng.randint(1, floors)}{rng.randint(1, 2):02d}"
        hh_id = len(household_rows)
        household_rows.append((cid, bname, bid, unit, room))
        size = min(total - made, rng.choice((1, 1, 2, 2, 3, 3, 4)))
        surname = rng.choice(SURNAMES)
        head_age = rng.randint(30, 92)
        for member in range(size):
            is_head = member == 0
            if is_head:
                age = head_age
            elif member == 1:
                age = max(20, head_age + rng.randint(-5, 5))
            else:
                age = max(1, head_age - rng.randint(22, 35))
            birth = today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
            area = rng.choice(AREAS)
            while True:
                number = make_id(area, birth, rng.randint(0, 999))
                if number not in used_ids:
                    used_ids.add(number)
                    break
            name = (surname if member != 1 else rng.choice(SURNAMES)) + rng.choice(GIVEN)
            initials, pinyin = name_keys(name)
            phone = rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}" if age >= 14 else ""
            address = format_address(bname, unit, room)
            disability = rng.choice(DISABILITIES) if rng.random() < 0.03 else ""
            contact = "上门" if disability in ("听力", "言语") else ("短信" if rng.random() < 0.1 else "电话")
            relation = "户主" if is_head else ("配偶" if member == 1 else "子女")
            status = "常住" if rng.random() < 0.85 else rng.choice(("流动", "外出"))
            next_id = next(resident_ids)
            resident_rows.append((
                next_id, stamp, stamp, name, "男" if int(number[16]) % 2 else "女", number, birth.isoformat(), phone,
                cid, bid, unit, room, floor_of(room), address, hh_id, relation, REGISTERED[area],
                area == "110111", status, contact, disability, "", initials, pinyin))
            search_rows.append((next_id, search_text_for(name, initials, pinyin, number, phone, address), pinyin))
            person_tags = []
            if age >= 60:
                person_tags.append("老年人")
                if size == 1 and rng.random() < 0.5:
                    person_tags.append("独居老人")
            if disability:
                person_tags.append("残疾人")
            for tag, share in (("党员", 0.08), ("低保户", 0.02), ("退役军人", 0.02), ("重点关注", 0.01)):
                if rng.random() < share:
                    person_tags.append(tag)
            tag_rows.extend((next_id, tags[t]) for t in person_tags)
            made += 1
    household_ids = reserve_ids("household", len(household_rows))
    household_rows = [(hid, stamp, stamp, cid, f"{bname[:-2]}-{unit}-{room}-{hid}", bid, unit, room, "")
                      for hid, (cid, bname, bid, unit, room) in zip(household_ids, household_rows, strict=True)]
    resident_rows = [row[:14] + (household_ids[row[14]],) + row[15:] for row in resident_rows]
    cursor = db_proxy.cursor()
    cursor.executemany("INSERT INTO household (id, created_at, updated_at, community_id, number, building_id, unit, "
                       "room, notes) VALUES (?,?,?,?,?,?,?,?,?)", household_rows)
    cursor.executemany(
        "INSERT INTO resident (id, created_at, updated_at, name, gender, id_number, birth_date, phone, community_id, "
        "building_id, unit, room, floor, address, household_id, relation_to_head, registered_address, "
        "same_as_registered, residence_status, contact_preference, disability, notes, name_initials, name_pinyin) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", resident_rows)
    cursor.executemany("INSERT INTO resident_search (resident_id, text, sort_key) VALUES (?, ?, ?)", search_rows)
    cursor.executemany("INSERT INTO resident_tag (resident_id, tag_id) VALUES (?, ?)", tag_rows)
    return {"communities": len(communities), "households": len(household_rows), "residents": len(resident_rows)}
