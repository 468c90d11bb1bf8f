"""The forms that edit a stored record (issue 18), as the record-version tests drive them: for each, how to make a
record, read it as its form loads it and save the form's values with what was loaded, and two fields with the
values two people type. Shared by tests/unit/core/test_record_versions.py and tests/unit/gui/test_form_conflicts.py."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from community_desk.core import session
from community_desk.core.models import Visit
from community_desk.core.queries import (
    cleaning,
    cleaning_visits,
    duty,
    facilities,
    links,
    quarantine,
    residents,
    service_desk,
    volunteers,
)
from community_desk.core.rules.idcard import make_id
from tests.unit.cleaning_data import small_round

A, B = "王敏", "李强"


@dataclass
class Form:
    """How a test drives one form's record: make one, read it as the form loads it, save the form's values."""
    table: str
    make: Callable[[int], int]
    read: Callable[[int], dict]
    save: Callable[[dict, int, dict | None], object]
    first: tuple[str, object, object]  # a field, B's value, A's value
    second: tuple[str, object]  # another field, A's value
    made: dict = field(default_factory=dict)  # other ids the record needs (a survey's round and resident)


def request(community: int) -> int:
    cats = {name: c for c, name in service_desk.list_categories()}
    return service_desk.take_in({"contact_name": "王秀英", "category_id": cats["漏雨"], "description": "顶楼漏雨",
                                 "community_id": community})


def _survey_form() -> Form:
    made: dict = {}

    def make(community: int) -> int:
        d = small_round(community)
        cleaning.add_eligible(d["round"])
        made.update(round=d["round"], resident=d["zhao"])
        return cleaning.save_survey(d["round"], d["zhao"], {"contact_method": "上门", "result": "需要", "windows": "4"})

    return Form("survey", make, lambda _sid: cleaning.get_survey_form(made["round"], made["resident"]),
                lambda raw, _sid, loaded: cleaning.save_survey(made["round"], made["resident"], raw, loaded=loaded),
                ("notes", "家里有狗", "钥匙在邻居家"), ("windows", "6"), made)


def _visit_form() -> Form:
    def make(community: int) -> int:
        d = small_round(community)
        cleaning.add_eligible(d["round"])
        cleaning.save_survey(d["round"], d["zhao"], {"contact_method": "上门", "result": "需要", "windows": "4"})
        cleaning_visits.run_auto_schedule(d["round"])
        return Visit.get(Visit.round == d["round"]).id

    return Form("visit", make, cleaning_visits.get_visit,
                lambda raw, vid, loaded: cleaning_visits.record_visit(vid, raw, loaded=loaded),
                ("feedback", "擦得很干净", "很满意，谢谢"), ("problems", "北卧玻璃有裂纹"))


def _case(_community: int) -> int:
    return quarantine.create_case({
        "name": "王伟", "id_number": make_id("110111", dt.date(1980, 1, 1), 1), "phone": "13800138000",
        "address": "3号楼2单元501", "source": "市派", "classification": "密切接触者", "measure": "居家隔离",
        "start_date": dt.date.today().isoformat()})


def _shift(_community: int) -> int:
    return duty.ensure_shift(dt.date(2026, 11, 16), "上午", duty.save_post({"name": "东门", "min_volunteers": "1"}))


def _forms() -> dict[str, Callable[[], Form]]:
    return {
        "resident": lambda: Form(
            "resident", lambda c: residents.save({"name": "王洋", "community_id": c, "phone": "13812345678"}),
            residents.get_form, lambda raw, rid, loaded: residents.save(raw, rid, loaded=loaded),
            ("notes", "B 的备注：女儿每周来", "A 的备注"), ("phone", "13900001111")),
        "volunteer": lambda: Form(
            "volunteer", lambda _c: volunteers.save({"name": "赵六", "phone": "13900001111", "kind": "其他"}),
            volunteers.get_form, lambda raw, vid, loaded: volunteers.save(raw, vid, loaded=loaded),
            ("skills", "理发", "修电器"), ("notes", "周末有空")),
        "facility": lambda: Form(
            "facility", lambda c: facilities.save({"kind_id": facilities.list_kinds()[0][0], "name": "秋千",
                                                   "quantity": "2", "unit": "套", "status": "规划中",
                                                   "community_id": c}),
            facilities.get_form, lambda raw, fid, loaded: facilities.save(raw, fid, loaded=loaded),
            ("location", "3号楼南侧", "北门广场"), ("quantity", "3")),
        "service_request": lambda: Form(
            "service_request", request, service_desk.get,
            lambda raw, rid, loaded: service_desk.update(rid, raw, loaded=loaded),
            ("description", "顶楼漏雨，已两天", "顶楼和楼道都漏雨"), ("contact_phone", "13700002222")),
        "survey": _survey_form,
        "service_round": lambda: Form(
            "service_round", lambda c: small_round(c)["round"], cleaning.get_round,
            lambda raw, rid, loaded: cleaning.save_round(raw, rid, loaded=loaded),
            ("name", "2026年11月擦玻璃（一）", "2026年冬季擦玻璃"), ("notes", "楼长协助通知")),
        "visit": _visit_form,
        "quarantine_case": lambda: Form(
            "quarantine_case", _case, quarantine.get_form,
            lambda raw, cid, loaded: quarantine.update_case(cid, raw, loaded=loaded),
            ("follow_up_worker", "张敏", "刘强"), ("origin", "河北廊坊")),
        "duty_shift": lambda: Form(
            "duty_shift", _shift, duty.shift_form, lambda raw, sid, loaded: duty.save_shift(sid, raw, loaded=loaded),
            ("lead", "张敏", "刘强"), ("notes", "雨天带伞")),
        "service_team": lambda: Form(
            "service_team", lambda _c: cleaning.save_team({"name": "大爱原香服务队", "leader": "刘强"}), links.team_form,
            lambda raw, tid, loaded: links.save_team(raw, tid, raw["volunteer_ids"], loaded=loaded),
            ("leader", "陈静", "王芳"), ("phone", "13600003333")),
    }


FORMS = _forms()


def as_user(user: str) -> None:
    session.current = session.Session(user=user, role="管理员")


def loaded_then_theirs_saved(name: str, community: int) -> tuple[Form, int, dict]:
    """A's form loads the record, then B saves the form's first field; the form, the record id, what A loaded."""
    form = FORMS[name]()
    record_id = form.make(community)
    as_user(A)
    loaded = form.read(record_id)
    as_user(B)
    now = form.read(record_id)
    form.save({**now, form.first[0]: form.first[1]}, record_id, now)
    as_user(A)
    return form, record_id, loaded
