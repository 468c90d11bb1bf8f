"""Demo quarantine cases (a few dozen, all invented), relative to `today`: dispatched and self-found,
each measure, tests and follow-ups done up to yesterday, one positive, released and extended cases,
and the seed case: a late-stage cancer patient whose weekly hospital check falls inside the
quarantine and must be moved to after it (a special need dated on that day).
"""
from __future__ import annotations

import datetime as dt
import random

from .. import vocabulary
from ..models import PushBatch, db_proxy
from ..queries import quarantine as cases
from ..queries import quarantine_items as items
from ..rules.idcard import make_id
from ..rules.quarantine import DEFAULT_CLASSIFICATIONS
from ..rules.resident import FormErrors
from ..rules.text import ValidationError

ORIGINS = ("云南省德宏州瑞丽市", "江苏省南京市江宁区", "河南省郑州市二七区", "湖南省张家界市永定区",
           "福建省莆田市荔城区", "湖北省武汉市江夏区")
TRANSPORT = ("高铁G923", "自驾", "航班CA8151", "火车K1876", "长途客车")
WORKERS = ("张敏", "李军", "王丽")


def _residents(rng: random.Random, n: int) -> list[tuple]:
    rows = db_proxy.execute_sql(
        "SELECT r.name, r.id_number, r.phone, r.address, r.community_id FROM resident r "
        "WHERE r.id_number IS NOT NULL AND r.phone != '' ORDER BY r.id LIMIT 2000").fetchall()
    rng.shuffle(rows)
    return rows[:n]


def _work_through(case_id: int, today: dt.date, rng: random.Random, positive: bool = False) -> None:
    for t in items.tests_of(case_id):
        if t["planned_date"] < today:
            result = "阳性" if positive else "阴性"
            items.record_result(t["id"], result, sampling_date=t["planned_date"],
                                result_date=t["planned_date"] + dt.timedelta(days=1))
            positive = False
    for f in items.follow_ups_of(case_id):
        if f["date"] < today:
            status = "正常" if rng.random() < 0.93 else "未联系上"
            items.record_follow_up(f["id"], status, temperature=f"36.{rng.randint(2, 8)}" if status == "正常" else None,
                                   method=rng.choice(("电话", "上门")), by_whom=rng.choice(WORKERS))


def add(rng: random.Random, today: dt.date, count: int = 36) -> None:
    people = _residents(rng, count)
    if not people:
        return
    batch = PushBatch.create(push_date=today - dt.timedelta(days=3), sender="房山区疫情防控工作领导小组办公室",
                             file_name="长阳镇返京人员信息推送表.xlsx", row_count=count // 2)
    made = []
    for i, (name, id_number, phone, address, community_id) in enumerate(people):
        dispatched = i % 2 == 0
        measure = ("居家隔离", "居家隔离", "居家健康监测", "集中隔离")[i % 4]
        start = today - dt.timedelta(days=rng.randint(0, 13 if measure != "居家健康监测" else 6))
        raw = {"name": name, "id_number": id_number, "phone": phone, "address": address, "community_id": community_id,
               "source": "市派" if dispatched else "自排", "classification": rng.choice(DEFAULT_CLASSIFICATIONS[:4]),
               "origin": rng.choice(ORIGINS), "arrival_date": start.isoformat(), "transport": rng.choice(TRANSPORT),
               "measure": measure, "start_date": start.isoformat(), "status": vocabulary.CASE_UNDER_CONTROL,
               "verbal_notice_date": start.isoformat(), "home_possible": "是", "supplies_ok": "是",
               "follow_up_worker": WORKERS[i % 3]}
        if not dispatched:
            raw.update(found_by=rng.choice(WORKERS), found_how=rng.choice(("楼门长报告", "入户排查", "物业登记")))
        try:
            cid = cases.create_case(raw, today=today, push_batch=batch.id if dispatched else None,
                                    push_row=i + 4 if dispatched else None)
        except (ValidationError, FormErrors):  # a person already under control is simply skipped
            continue
        _work_through(cid, today, rng, positive=(i == 5))
        made.append(cid)
    if len(made) > 8:
        cases.change_end(made[3], cases.QuarantineCase.get_by_id(made[3]).planned_end + dt.timedelta(days=7),
                         "同住人为密切接触者，延长 7 天")
        for cid in made[-3:]:
            try:
                cases.release(cid, "提前解除", today, approved_by="镇防控办王主任", reason="经批准返岗")
            except ValidationError:
                pass
    _seed_case(today, rng)


def _seed_case(today: dt.date, rng: random.Random) -> None:
    """The cancer patient: weekly hospital checks; the next one falls inside the quarantine."""
    start = today - dt.timedelta(days=2)
    cid = cases.create_case({
        "name": "刘桂英", "id_number": make_id("110111", dt.date(1954, 3, 12), 2), "phone": "13911026688", "gender": "女",
        "address": "原乡小镇5号楼1单元302", "source": "市派", "classification": "中高风险地区返京",
        "origin": "河北省石家庄市", "arrival_date": start.isoformat(), "transport": "自驾", "measure": "居家隔离",
        "start_date": start.isoformat(), "status": vocabulary.CASE_UNDER_CONTROL, "verbal_notice_date": start.isoformat(),
        "written_notice_date": start.isoformat(), "home_possible": "是", "supplies_ok": "是",
        "supplies_comment": "女儿同住，代购生活物资", "follow_up_worker": "张敏",
        "notes": "肺癌晚期，每周二在北京肿瘤医院复查；行动不便"}, today=today)
    _work_through(cid, today, rng)
    hospital_day = today + dt.timedelta(days=2)
    items.add_need(cid, "就医", f"原定 {hospital_day:%m月%d日} 北京肿瘤医院复查，须改约到隔离期满后，"
                   "期满当天优先预约并安排车辆", hospital_day, "张敏")
    items.add_need(cid, "取药", "靶向药每月取药，由社区医生代取", today, "李军")
