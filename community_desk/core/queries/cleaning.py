"""Cleaning service queries (擦玻璃服务): rounds, teams, eligible members and the pre-survey.

Visits, the auto-scheduler run, the printed roster and the statistics are in cleaning_visits.py.
A household of a round is represented by its contact person: the member with the smallest
resident id among the round's members of that household (a resident without a household is
a household of one).
"""
from __future__ import annotations

import datetime as dt
import re

from peewee import IntegrityError

from .. import session
from ..db import transaction
from ..dialect import group_concat_ordered, locked, text_of
from ..models import Resident, RoundMember, RoundTeam, ServiceRound, ServiceTeam, Survey, Visit, db_proxy
from ..rules.cleaning import (
    Criteria,
    clean_round,
    clean_survey,
    clean_team,
    default_contact_method,
    eligibility_reasons,
    phone_forbidden,
    span_text,
)
from ..rules.idcard import age_on
from ..rules.masking import mask_phone
from ..rules.resident import FormErrors
from ..rules.text import ValidationError, clean_text
from . import audit, record_versions
from . import settings as office_settings

ROUND_COLUMNS = ["批次名称", "社区", "服务日期", "服务队", "户数", "已统计", "已安排", "已完成"]
MEMBER_COLUMNS = ["姓名", "年龄", "住址", "楼层", "人员类别", "残疾类别", "联系方式偏好", "纳入原因", "来源"]
SURVEY_COLUMNS = ["住址", "楼层", "联系人", "联系电话", "联系方式", "统计结果", "希望日期", "希望时段", "窗户数",
                  "备注", "安排"]


def as_date(value) -> dt.date | None:
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value[:10])
    return value or None


# --- teams ----------------------------------------------------------------------------------------

def list_teams() -> list[tuple[int, str, str, str]]:
    """(id, name, leader, members) of every team."""
    return [(t.id, t.name, t.leader, t.members) for t in ServiceTeam.select().order_by(ServiceTeam.id)]


def get_team(team_id: int) -> dict:
    t = ServiceTeam.get_by_id(team_id)
    return {"name": t.name, "leader": t.leader, "members": t.members, "phone": t.phone, "notes": t.notes}


def save_team(raw: dict, team_id: int | None = None, loaded: dict | None = None) -> int:
    """Validate and store a team; `loaded`: the team as its form loaded it (record_versions). Raises FormErrors,
    EditConflict."""
    session.require_write()
    values = clean_team(raw)
    with transaction():
        if team_id is not None:
            edit = record_versions.begin(ServiceTeam, "service_team", team_id, raw, loaded, get_team)
            if edit.merged:
                values = clean_team(edit.raw)
        other = ServiceTeam.get_or_none(ServiceTeam.name == values["name"])
        if other is not None and other.id != team_id:
            raise FormErrors({"name": f"已有名为“{values['name']}”的服务队"})
        if team_id is None:
            try:
                with transaction():  # a savepoint: another PC may add the same name at this moment
                    team_id = ServiceTeam.create(**values).id
            except IntegrityError:
                raise FormErrors({"name": f"已有名为“{values['name']}”的服务队"}) from None
            audit.record("新增", "service_team", team_id, f"新增服务队 {values['name']}")
        else:
            record_versions.update_versioned(ServiceTeam, team_id, values, edit.version)
            audit.record("修改", "service_team", team_id, f"修改服务队 {values['name']}",
                         audit.diff(edit.theirs, values))
    return team_id


def round_teams(round_id: int) -> list[tuple[int, str]]:
    query = (ServiceTeam.select(ServiceTeam.id, ServiceTeam.name).join(RoundTeam)
             .where(RoundTeam.round == round_id).order_by(ServiceTeam.id))
    return [(t.id, t.name) for t in query]


# --- rounds ---------------------------------------------------------------------------------------

def lock_round(round_id: int) -> ServiceRound:
    """The round, its row locked to the end of the transaction on the server: the writes that check the round's
    members, surveys and slots first (a household's one survey, a slot's capacity) are made one PC at a time."""
    return locked(ServiceRound.select().where(ServiceRound.id == round_id)).get()


def round_ids() -> list[int]:
    return [r.id for r in ServiceRound.select(ServiceRound.id).order_by(ServiceRound.start_date.desc(),
                                                                         ServiceRound.id.desc())]


def _round_sql(marks: str) -> str:
    return f"""
SELECT sr.id, sr.name, COALESCE(c.name, ''), sr.start_date, sr.end_date,
  (SELECT {group_concat_ordered("t.name", "、", "rt.team_id")} FROM round_team rt
    JOIN service_team t ON t.id = rt.team_id WHERE rt.round_id = sr.id),
  (SELECT COUNT(DISTINCT COALESCE('h' || r.household_id, 'r' || r.id)) FROM round_member m
    JOIN resident r ON r.id = m.resident_id WHERE m.round_id = sr.id),
  (SELECT COUNT(*) FROM survey s WHERE s.round_id = sr.id),
  (SELECT COUNT(*) FROM visit v WHERE v.round_id = sr.id),
  (SELECT COUNT(*) FROM visit v WHERE v.round_id = sr.id AND v.done = TRUE)
FROM service_round sr LEFT JOIN community c ON c.id = sr.community_id WHERE sr.id IN ({marks})
"""


def load_round_rows(ids: list[int]) -> dict[int, tuple]:
    if not ids:
        return {}
    out = {}
    for row in db_proxy.execute_sql(_round_sql(",".join("?" * len(ids))), ids):
        start, end = as_date(row[3]), as_date(row[4])
        out[row[0]] = (row[1], row[2], span_text(start, end), row[5] or "（未选）", row[6], row[7], row[8], row[9])
    return out


def get_round(round_id: int) -> dict:
    r = ServiceRound.get_by_id(round_id)
    criteria = Criteria.from_json(r.criteria)
    return {"id": r.id, "version": r.version, "name": r.name, "community_id": r.community_id,
            "community": r.community.name if r.community_id else "",
            "start_date": as_date(r.start_date), "end_date": as_date(r.end_date), "capacity": r.capacity,
            "notes": r.notes, "criteria": criteria, "tags": criteria.tags, "min_age": criteria.min_age,
            "high_floor": criteria.high_floor or 0, "team_ids": [tid for tid, _ in round_teams(round_id)]}


def _round_row(values: dict, raw: dict) -> dict:
    return {"name": values["name"], "community": raw.get("community_id") or None,
            "start_date": values["start_date"], "end_date": values["end_date"], "capacity": values["capacity"],
            "notes": values["notes"], "criteria": values["criteria"].to_json()}


def save_round(raw: dict, round_id: int | None = None, loaded: dict | None = None) -> int:
    """Validate and store a round with its teams. `loaded`: the get_round the form was filled from
    (record_versions). Raises FormErrors, EditConflict."""
    session.require_write()
    values = clean_round(raw)
    with transaction():
        if round_id is None:
            round_id = ServiceRound.create(**_round_row(values, raw)).id
            audit.record("新增", "service_round", round_id, f"新增服务批次 {values['name']}")
        else:
            lock_round(round_id)
            edit = record_versions.begin(ServiceRound, "service_round", round_id, raw, loaded, get_round)
            raw, values = edit.raw, clean_round(edit.raw) if edit.merged else values
            outside = (Visit.select().where((Visit.round == round_id) & (
                (Visit.date < values["start_date"]) | (Visit.date > values["end_date"]))).count())
            if outside:
                raise FormErrors({"start_date": f"有 {outside} 户已安排在新日期范围之外，请先调整这些安排"})
            old = edit.theirs
            teams_moved = sorted(int(t) for t in raw.get("team_ids", [])) != sorted(old["team_ids"])
            record_versions.update_versioned(ServiceRound, round_id, _round_row(values, raw), edit.version,
                                             moved=teams_moved)
            audit.record("修改", "service_round", round_id, f"修改服务批次 {values['name']}",
                         audit.diff({k: old[k] for k in ("name", "start_date", "end_date", "capacity", "notes")},
                                    {k: values[k] for k in ("name", "start_date", "end_date", "capacity", "notes")}))
        team_ids = [int(t) for t in raw.get("team_ids", [])]
        current = {t.team_id for t in RoundTeam.select().where(RoundTeam.round == round_id)}
        for team_id in set(team_ids) - current:
            RoundTeam.create(round=round_id, team=team_id)
        removed = current - set(team_ids)
        if removed:
            RoundTeam.delete().where((RoundTeam.round == round_id) & RoundTeam.team.in_(list(removed))).execute()
            Visit.update(team=None).where((Visit.round == round_id) & Visit.team.in_(list(removed))
                                          & (Visit.done == False)).execute()  # noqa: E712 - peewee SQL
    return round_id


def delete_round(round_id: int) -> None:
    session.require_write()
    with transaction():
        r = ServiceRound.get_by_id(round_id)
        if Visit.select().where((Visit.round == round_id) & (Visit.done == True)).exists():  # noqa: E712
            raise ValidationError("该批次已有完成的服务记录，不能删除")
        audit.record("删除", "service_round", round_id, f"删除服务批次 {r.name}")
        r.delete_instance()


# --- members --------------------------------------------------------------------------------------

_CANDIDATE_SQL = """
SELECT r.id, r.birth_date, r.floor, r.disability,
  (SELECT {tag_names} FROM resident_tag rt JOIN tag t ON t.id = rt.tag_id WHERE rt.resident_id = r.id)
FROM resident r
WHERE r.id NOT IN (SELECT resident_id FROM round_member WHERE round_id = ?) {community}
  AND (EXISTS (SELECT 1 FROM resident_tag rt JOIN tag t ON t.id = rt.tag_id
               WHERE rt.resident_id = r.id AND t.name IN ({tags}))
       OR r.birth_date <= ? OR (r.floor >= ? AND r.birth_date <= ?))
ORDER BY r.address, r.id
"""


def find_eligible(round_id: int, today: dt.date | None = None) -> list[tuple[int, str]]:
    """(resident id, reason) of the registry's residents who meet the round's criteria and are not members."""
    today = today or dt.date.today()
    r = ServiceRound.get_by_id(round_id)
    criteria = Criteria.from_json(r.criteria)
    tags = [t for t in criteria.tags if t != "老年人"] or ["—"]
    old_birth = _years_before(today, criteria.min_age) if "老年人" in criteria.tags else dt.date(1, 1, 1)
    floor = criteria.high_floor or 10_000
    floor_birth = _years_before(today, criteria.high_floor_age)
    community = "AND r.community_id = ?" if r.community_id else ""
    params = [round_id] + ([r.community_id] if r.community_id else []) + tags + [old_birth, floor, floor_birth]
    sql = _CANDIDATE_SQL.format(community=community, tags=",".join("?" * len(tags)),
                                tag_names=group_concat_ordered("t.name", ",", "rt.tag_id"))
    out = []
    for rid, birth, res_floor, disability, tag_text in db_proxy.execute_sql(sql, params):
        birth = as_date(birth)
        age = age_on(birth, today) if birth else None
        reasons = eligibility_reasons((tag_text or "").split(","), age, res_floor, disability, criteria)
        if reasons:
            out.append((rid, "、".join(reasons)))
    return out


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def add_eligible(round_id: int, today: dt.date | None = None) -> int:
    """Add every eligible resident not yet in the round. Returns the number added."""
    session.require_write()
    with transaction():
        lock_round(round_id)
        found = find_eligible(round_id, today)
        for rid, reason in found:
            RoundMember.create(round=round_id, resident=rid, source="条件筛选", reason=reason[:250])
        if found:
            audit.record("新增", "round_member", round_id, f"按条件纳入 {len(found)} 人")
    return len(found)


def add_member(round_id: int, resident_id: int, reason: str) -> int:
    """Add a resident by hand; the reason is required (it is printed in the list)."""
    session.require_write()
    reason = clean_text(reason, max_length=100, field_label="纳入原因")
    if not reason:
        raise ValidationError("请填写手动添加的原因，例如 家属申请、腿脚不便")
    with transaction():
        lock_round(round_id)
        if RoundMember.get_or_none((RoundMember.round == round_id) & (RoundMember.resident == resident_id)):
            raise ValidationError("该居民已在本批次名单中")
        member = RoundMember.create(round=round_id, resident=resident_id, source="手动添加", reason=reason)
        name = Resident.get_by_id(resident_id).name
        audit.record("新增", "round_member", member.id, f"手动纳入 {name}：{reason}")
    return member.id


def remove_members(member_ids: list[int]) -> int:
    session.require_write()
    with transaction():
        removed = 0
        for member in RoundMember.select().where(RoundMember.id.in_(member_ids)):
            done = Visit.get_or_none((Visit.round == member.round_id) & (Visit.resident == member.resident_id)
                                     & (Visit.done == True))  # noqa: E712
            if done is not None:
                raise ValidationError(f"{member.resident.name} 已完成服务，不能移出名单")
            Visit.delete().where((Visit.round == member.round_id) & (Visit.resident == member.resident_id)).execute()
            audit.record("删除", "round_member", member.id, f"移出名单 {member.resident.name}")
            member.delete_instance()
            removed += 1
    return removed


def member_ids(round_id: int) -> list[int]:
    sql = ("SELECT m.id FROM round_member m JOIN resident r ON r.id = m.resident_id WHERE m.round_id = ? "
           "ORDER BY r.address, r.id")
    return [row[0] for row in db_proxy.execute_sql(sql, (round_id,))]


_MEMBER_SQL = """
SELECT m.id, r.name, r.birth_date, r.address, r.floor,
  (SELECT {tag_names} FROM resident_tag rt JOIN tag t ON t.id = rt.tag_id WHERE rt.resident_id = r.id),
  r.disability, r.contact_preference, m.reason, m.source
FROM round_member m JOIN resident r ON r.id = m.resident_id WHERE m.id IN ({marks})
"""


def load_member_rows(ids: list[int], today: dt.date | None = None) -> dict[int, tuple]:
    today = today or dt.date.today()
    if not ids:
        return {}
    out = {}
    for row in db_proxy.execute_sql(_MEMBER_SQL.format(marks=",".join("?" * len(ids)),
                                                     tag_names=group_concat_ordered("t.name", "、", "rt.tag_id")), ids):
        birth = as_date(row[2])
        out[row[0]] = (row[1], age_on(birth, today) if birth else "", row[3], row[4] or "", row[5] or "",
                       row[6], row[7], row[8], row[9])
    return out


# --- surveys (one per household) --------------------------------------------------------------------

_UNITS = """
WITH unit AS (
  SELECT MIN(m.resident_id) AS rid, r.household_id AS hid FROM round_member m
  JOIN resident r ON r.id = m.resident_id WHERE m.round_id = :round
  GROUP BY r.household_id, CASE WHEN r.household_id IS NULL THEN r.id END)
"""
_SURVEY_JOIN = """
LEFT JOIN survey s ON s.round_id = :round AND (s.resident_id = u.rid OR (u.hid IS NOT NULL AND s.household_id = u.hid))
"""


def household_ids(round_id: int, result: str = "") -> list[int]:
    """Contact-person ids of the round's households, in address order; result filters: a survey
    result, '未统计' or '' for all."""
    where = ""
    params: dict = {"round": round_id}
    if result == "未统计":
        where = "WHERE s.id IS NULL"
    elif result:
        where, params["result"] = "WHERE s.result = :result", result
    sql = (_UNITS + "SELECT u.rid FROM unit u JOIN resident r ON r.id = u.rid" + _SURVEY_JOIN + where
           + " ORDER BY r.address, r.id")
    return [row[0] for row in db_proxy.execute_sql(*_named(sql, params))]


def _named(sql: str, params: dict) -> tuple[str, list]:
    """Turn :name parameters into ? in order (one query text, the values in a list)."""
    names = re.findall(r":(\w+)", sql)
    return re.sub(r":(\w+)", "?", sql), [params[n] for n in names]


_SURVEY_ROW_SQL = """
SELECT u.rid, r.address, r.floor, r.name,
  (SELECT COUNT(*) - 1 FROM round_member m2 JOIN resident r2 ON r2.id = m2.resident_id
    WHERE m2.round_id = :round AND u.hid IS NOT NULL AND r2.household_id = u.hid),
  r.phone, r.contact_preference, r.disability, s.contact_method, s.result, s.preferred_dates,
  s.preferred_slot, s.windows, s.notes,
  (SELECT {visit_date} || ' ' || v.slot || ' ' || COALESCE(t.name, '未分队') FROM visit v
     LEFT JOIN service_team t ON t.id = v.team_id WHERE v.survey_id = s.id ORDER BY v.id LIMIT 1)
FROM unit u JOIN resident r ON r.id = u.rid
"""


def load_household_rows(round_id: int, ids: list[int]) -> dict[int, tuple]:
    if not ids:
        return {}
    marks = ",".join(str(int(i)) for i in ids)
    sql = (_UNITS + _SURVEY_ROW_SQL.format(visit_date=text_of("v.date")) + _SURVEY_JOIN
           + f" WHERE u.rid IN ({marks})")
    out = {}
    mask = office_settings.masks()
    for row in db_proxy.execute_sql(*_named(sql, {"round": round_id})):
        (rid, address, floor, name, others, phone, pref, disability, method, result, dates, slot, windows,
         notes, visit) = row
        person = f"{name}等{others + 1}人" if others > 0 else name
        no_phone = phone_forbidden(pref, disability)
        hint = method or f"（建议{default_contact_method(pref, disability)}）"
        if no_phone:
            hint += "·勿电话"
        shown_dates = "、".join(f"{int(d[5:7])}月{int(d[8:10])}日" for d in (dates or "").split(",") if d)
        out[rid] = (address, floor or "", person, mask_phone(phone or "") if mask else phone, hint, result or "未统计",
                    shown_dates or ("不限" if result else ""), slot or "", windows if result else "", notes or "",
                    _visit_text(visit))
    return out


def _visit_text(visit: str | None) -> str:
    if not visit:
        return ""
    day, slot, team = visit.split(" ", 2)
    return f"{int(day[5:7])}月{int(day[8:10])}日{slot} {team}"


def get_survey_form(round_id: int, resident_id: int) -> dict:
    """What the survey form shows for one household: the person, the phone rule, stored values."""
    r = Resident.get_by_id(resident_id)
    rnd = ServiceRound.get_by_id(round_id)
    survey = _find_survey(round_id, r)
    forbidden = phone_forbidden(r.contact_preference, r.disability)
    values = {
        "resident_id": r.id, "name": r.name, "address": r.address, "floor": r.floor, "phone": r.phone,
        "contact_preference": r.contact_preference, "disability": r.disability, "phone_forbidden": forbidden,
        "start_date": as_date(rnd.start_date), "end_date": as_date(rnd.end_date), "survey_id": None,
        "contact_method": default_contact_method(r.contact_preference, r.disability), "result": "需要",
        "preferred_dates": "", "preferred_slot": "不限", "windows": "", "notes": "", "surveyed_by": session.current.user,
        "surveyed_on": dt.date.today().isoformat(), "version": None,
    }
    if survey is not None:
        values.update(survey_id=survey.id, version=survey.version, contact_method=survey.contact_method, result=survey.result,
                      preferred_dates="、".join(d[5:] for d in survey.preferred_dates.split(",") if d),
                      preferred_slot=survey.preferred_slot, windows=str(survey.windows or ""), notes=survey.notes,
                      surveyed_by=survey.surveyed_by,
                      surveyed_on=as_date(survey.surveyed_on).isoformat() if survey.surveyed_on else "")
    return values


def _find_survey(round_id: int, resident: Resident) -> Survey | None:
    cond = Survey.resident == resident.id
    if resident.household_id:
        cond = cond | (Survey.household == resident.household_id)
    return Survey.select().where((Survey.round == round_id) & cond).first()


def save_survey(round_id: int, resident_id: int, raw: dict, loaded: dict | None = None) -> int:
    """Store the survey of the household of resident_id. Raises FormErrors, EditConflict. A household that no longer
    wants the service loses its visit (unless it was already done). `loaded`: the get_survey_form the form was filled
    from; a survey stored meanwhile by someone else is merged with it as an edit is (record_versions)."""
    session.require_write()
    r = Resident.get_by_id(resident_id)
    rnd = ServiceRound.get_by_id(round_id)
    values = clean_survey(raw, as_date(rnd.start_date), as_date(rnd.end_date), r.contact_preference, r.disability)
    with transaction():
        lock_round(round_id)  # one survey a household: another PC surveying its other member now waits
        survey = _find_survey(round_id, r)
        if survey is None:
            survey = Survey.create(round=round_id, resident=r.id, household=r.household_id, **values)
            audit.record("新增", "survey", survey.id, f"前期统计 {r.name}：{values['result']}")
        else:
            edit = record_versions.begin(Survey, "survey", survey.id, raw, loaded,
                                         lambda _sid: get_survey_form(round_id, resident_id))
            if edit.merged:
                values = clean_survey(edit.raw, as_date(rnd.start_date), as_date(rnd.end_date), r.contact_preference,
                                      r.disability)
            old = {k: getattr(survey, k) for k in values}
            record_versions.update_versioned(Survey, survey.id, values, edit.version)
            audit.record("修改", "survey", survey.id, f"修改前期统计 {r.name}：{values['result']}",
                         audit.diff(old, values))
        if values["result"] != "需要":
            cancelled = Visit.delete().where((Visit.survey == survey.id) & (Visit.done == False)).execute()  # noqa: E712
            if cancelled:
                audit.record("删除", "visit", survey.id, f"{r.name} 统计结果为{values['result']}，取消安排")
    return survey.id
