"""Volunteer queries (志愿者): teams, search ids, rows in blocks, save, delete, and hours served.

Hours are never typed: `hours_for` sums every registered hour source. Two sources live here
(attended gate shifts and publicity events); another module adds its own by appending to
HOUR_SOURCES, e.g. the window-cleaning roster (issue 5) with its visits:

    from community_desk.core.queries import volunteers
    volunteers.register_hour_source("擦玻璃服务", lambda ids: {vid: Decimal(...) for vid in ids})

A source takes a list of volunteer ids and returns {volunteer_id: hours as Decimal} (missing ids = 0).
Staff names (for 带班 and training attendance) come from STAFF_SOURCES the same way; the built-in
source is the office-editable list in the settings ("staff_names"); staff accounts can add theirs.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .. import session
from ..db import transaction
from ..dialect import glob, locked
from ..models import Resident, Volunteer, VolunteerTeam, db_proxy
from ..rules.masking import mask_phone
from ..rules.pinyin import name_keys
from ..rules.resident import FormErrors
from ..rules.text import ValidationError, clean_text
from ..rules.volunteers import availability_text, clean_volunteer
from . import audit, record_versions
from . import settings as office_settings
from .search_text import contains, later_word_starts_with, normalize_query, order_term, starts_with

TABLE = "volunteer"

COLUMNS = [("name", "姓名"), ("kind", "类别"), ("team", "服务队"), ("phone", "联系电话"), ("address", "住址"),
           ("skills", "特长"), ("availability", "可服务时间"), ("joined_on", "加入日期"), ("active", "状态"),
           ("hours", "服务时长(小时)")]
COLUMN_KEYS = [k for k, _ in COLUMNS]
SORT_SQL = {"name": "v.name_pinyin", "kind": "v.kind", "team": "t.name", "phone": "v.phone",
            "joined_on": "v.joined_on", "active": "v.active DESC"}

HourSource = Callable[[list[int]], dict[int, Decimal]]
HOUR_SOURCES: list[tuple[str, HourSource]] = []
StaffSource = Callable[[], list[str]]
STAFF_SOURCES: list[StaffSource] = []
TENTH = Decimal("0.1")


def register_hour_source(label: str, source: HourSource) -> None:
    HOUR_SOURCES.append((label, source))


def _minutes_to_hours(minutes: int | None) -> Decimal:
    return (Decimal(minutes or 0) / 60).quantize(TENTH, rounding=ROUND_HALF_UP)


def _sum_minutes(sql: str, ids: list[int]) -> dict[int, Decimal]:
    out: dict[int, Decimal] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for vid, minutes in db_proxy.execute_sql(sql.format(marks=",".join("?" * len(chunk))), chunk):
            out[vid] = _minutes_to_hours(minutes)
    return out


def shift_hours(ids: list[int]) -> dict[int, Decimal]:
    """Hours of the gate shifts each volunteer signed in for (签到) in the shift log."""
    return _sum_minutes("SELECT sv.volunteer_id, SUM(s.minutes) FROM shift_volunteer sv "
                        "JOIN duty_shift s ON s.id = sv.shift_id WHERE sv.attended = TRUE "
                        "AND sv.volunteer_id IN ({marks}) GROUP BY sv.volunteer_id", ids)


def event_hours(ids: list[int]) -> dict[int, Decimal]:
    return _sum_minutes("SELECT volunteer_id, SUM(minutes) FROM event_volunteer WHERE volunteer_id IN ({marks}) "
                        "GROUP BY volunteer_id", ids)


register_hour_source("门岗值守", shift_hours)
register_hour_source("宣传活动", event_hours)


def hours_by_source(ids: list[int]) -> dict[int, dict[str, Decimal]]:
    out: dict[int, dict[str, Decimal]] = {vid: {} for vid in ids}
    for label, source in HOUR_SOURCES:
        for vid, hours in source(ids).items():
            if vid in out and hours:
                out[vid][label] = Decimal(hours)
    return out


def hours_for(ids: list[int]) -> dict[int, Decimal]:
    """Total hours served per volunteer, summed over every hour source."""
    return {vid: sum(parts.values(), Decimal("0")).quantize(TENTH) for vid, parts in hours_by_source(ids).items()}


# --- staff names ---


def _settings_staff() -> list[str]:
    return list(office_settings.get("staff_names") or [])


STAFF_SOURCES.append(_settings_staff)


def staff_names() -> list[str]:
    names: list[str] = []
    for source in STAFF_SOURCES:
        names.extend(source())
    return list(dict.fromkeys(n for n in names if n))


def set_staff_names(names: list[str]) -> list[str]:
    session.require_write()
    cleaned = list(dict.fromkeys(clean_text(n, max_length=30, field_label="工作人员姓名") for n in names))
    cleaned = [n for n in cleaned if n]
    with transaction():
        old = _settings_staff()
        office_settings.put("staff_names", cleaned, summary="修改工作人员名单",  # audited there
                            changes={"staff_names": (old, cleaned)})
    return cleaned


# --- teams ---


def list_teams() -> list[tuple[int, str]]:
    return [(t.id, t.name) for t in VolunteerTeam.select().order_by(VolunteerTeam.id)]


def ensure_team(name: str, community_id: int | None = None) -> int:
    session.require_write()
    name = clean_text(name, max_length=30, field_label="服务队名称")
    if not name:
        raise ValidationError("请填写服务队名称")
    with transaction():
        team, created = VolunteerTeam.get_or_create(name=name, defaults={"community": community_id})
        if created:
            audit.record("新增", "volunteer_team", team.id, f"新增志愿服务队 {name}")
    return team.id


# --- the list ---


@dataclass(frozen=True)
class VolunteerFilter:
    text: str = ""
    team_id: int | None = None
    kind: str = ""
    active_only: bool = False
    available_weekday: int | None = None
    sort_key: str = "name"
    descending: bool = False


def search_ids(flt: VolunteerFilter = VolunteerFilter()) -> list[int]:  # noqa: B008 - frozen dataclass
    clauses, params = [], []
    query = normalize_query(flt.text)
    if query:
        pattern = contains(query)
        # name keys hold every reading a name allows, space-separated ('wcc wzc'): a reading may start a later key
        columns = ("v.name", "v.name_initials", "v.name_initials", "v.name_pinyin", "v.name_pinyin", "v.phone",
                   "v.skills")
        clauses.append("(" + " OR ".join(glob(column) for column in columns) + ")")
        first, later = starts_with(query), later_word_starts_with(query)
        params += [pattern, first, later, first, later, pattern, pattern]
    if flt.team_id:
        clauses.append("v.team_id = ?")
        params.append(flt.team_id)
    if flt.kind:
        clauses.append("v.kind = ?")
        params.append(flt.kind)
    if flt.active_only:
        clauses.append("v.active = TRUE")
    if flt.available_weekday is not None:
        start = flt.available_weekday * 3 + 1
        clauses.append("substr(v.availability, ?, 3) != '000'")
        params.append(start)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    order = order_term(SORT_SQL.get(flt.sort_key, "v.name_pinyin"), flt.descending)
    sql = f"SELECT v.id FROM volunteer v LEFT JOIN volunteer_team t ON t.id = v.team_id{where} ORDER BY {order}, v.id"
    ids = [r[0] for r in db_proxy.execute_sql(sql, params)]
    if flt.sort_key == "hours":
        hours = hours_for(ids)
        ids.sort(key=lambda vid: hours.get(vid, Decimal(0)), reverse=not flt.descending)
    return ids


def count_all() -> int:
    return db_proxy.execute_sql("SELECT COUNT(*) FROM volunteer").fetchone()[0]


_ROW_SQL = """SELECT v.id, v.name, v.kind, t.name, v.phone, trim(c.name || ' ' || r.address), v.skills,
       v.availability, v.joined_on, v.active, r.id FROM volunteer v LEFT JOIN volunteer_team t ON t.id = v.team_id
       LEFT JOIN resident r ON r.id = v.resident_id LEFT JOIN community c ON c.id = r.community_id
       WHERE v.id IN ({marks})"""


def load_rows(ids: list[int], *, mask: bool | None = None) -> dict[int, tuple]:
    """{id: tuple in COLUMNS order}; hours summed from every source. Phones masked as settings.masks(mask) says."""
    mask = office_settings.masks(mask)
    out: dict[int, tuple] = {}
    hours = hours_for(list(ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in db_proxy.execute_sql(_ROW_SQL.format(marks=",".join("?" * len(chunk))), chunk):
            vid = row[0]
            address = row[5] or ("（非本社区居民）" if row[10] is None else "")
            out[vid] = (row[1], row[2], row[3] or "", mask_phone(row[4] or "") if mask else row[4], address, row[6], availability_text(row[7]),
                        row[8] or "", "在队" if row[9] else "已退出", str(hours.get(vid, Decimal("0.0"))))
    return out


def iter_rows(ids: list[int], block: int = 500, *, mask: bool = False):
    """Rows for an export: full phones unless `mask` (or the role may not see them)."""
    for start in range(0, len(ids), block):
        chunk = ids[start:start + block]
        rows = load_rows(chunk, mask=mask)
        for vid in chunk:
            if vid in rows:
                yield rows[vid]


def choices(active_only: bool = True) -> list[tuple[int, str]]:
    """(id, 'name（kind）') of volunteers for pickers, in pinyin order."""
    query = Volunteer.select(Volunteer.id, Volunteer.name, Volunteer.kind).order_by(Volunteer.name_pinyin, Volunteer.id)
    if active_only:
        query = query.where(Volunteer.active == True)  # noqa: E712 - peewee expression
    return [(v.id, f"{v.name}（{v.kind}）") for v in query]


def names(ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {v.id: v.name for v in Volunteer.select(Volunteer.id, Volunteer.name).where(Volunteer.id.in_(ids))}


# --- one volunteer ---


def get_form(volunteer_id: int) -> dict:
    v = Volunteer.get_by_id(volunteer_id)
    return {"resident_id": v.resident_id, "name": v.name, "phone": v.phone, "team_id": v.team_id, "kind": v.kind,
            "skills": v.skills, "availability": v.availability,
            "joined_on": v.joined_on.isoformat() if v.joined_on else "", "active": v.active, "notes": v.notes,
            "version": v.version}


def resident_choice(resident_id: int) -> dict:
    """What the volunteer form fills in when a resident is picked from the registry."""
    r = Resident.get_by_id(resident_id)
    return {"resident_id": r.id, "name": r.name, "phone": r.phone, "address": f"{r.community.name} {r.address}"}


def save(raw: dict, volunteer_id: int | None = None, loaded: dict | None = None) -> int:
    """Validate and store a volunteer; `loaded`: the get_form the form was filled from (record_versions). Raises
    FormErrors, EditConflict."""
    session.require_write()
    values = clean_volunteer(raw)
    with transaction():
        if volunteer_id is not None:
            edit = record_versions.begin(Volunteer, TABLE, volunteer_id, raw, loaded, get_form)
            if edit.merged:
                values = clean_volunteer(edit.raw)
        if values["resident_id"]:
            # the resident locked: another PC registering the same resident now waits, then finds this volunteer
            resident = locked(Resident.select().where(Resident.id == values["resident_id"])).get_or_none()
            if resident is None:
                raise FormErrors({"name": "所选居民已不在居民台账中"})
            other = Volunteer.get_or_none((Volunteer.resident == resident.id) & (Volunteer.id != (volunteer_id or 0)))
            if other is not None:
                raise FormErrors({"name": f"{resident.name} 已登记为志愿者"})
            values["name"] = resident.name
            values["phone"] = values["phone"] or resident.phone
        initials, pinyin = name_keys(values["name"])
        row = {"resident": values["resident_id"], "name": values["name"], "phone": values["phone"],
               "team": values["team_id"], "kind": values["kind"], "skills": values["skills"],
               "availability": values["availability"], "joined_on": values["joined_on"], "active": values["active"],
               "notes": values["notes"], "name_initials": initials, "name_pinyin": pinyin}
        if volunteer_id is None:
            volunteer = Volunteer.create(**row)
            audit.record("新增", TABLE, volunteer.id, f"新增志愿者 {values['name']}")
            return volunteer.id
        record_versions.update_versioned(Volunteer, volunteer_id, row, edit.version)
        new = get_form(volunteer_id)
        audit.record("修改", TABLE, volunteer_id, f"修改志愿者 {values['name']}", audit.diff(edit.theirs, new))
    return volunteer_id


def delete(ids: list[int]) -> int:
    session.require_write()
    with transaction():
        found = names(ids)
        for vid, name in found.items():
            audit.record("删除", TABLE, vid, f"删除志愿者 {name}")
        Volunteer.delete().where(Volunteer.id.in_(list(found))).execute()
    return len(found)


def roster_candidates() -> list[tuple[int, str]]:
    """(id, availability code) of the active volunteers, for the roster builder."""
    return [(v.id, v.availability) for v in
            Volunteer.select(Volunteer.id, Volunteer.availability).where(Volunteer.active == True)  # noqa: E712
            .order_by(Volunteer.id)]


from . import links as _links  # noqa: E402,F401 - registers the 擦玻璃服务 hour source (volunteers in service teams)
