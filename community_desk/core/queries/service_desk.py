"""Service desk queries (我来办工作站): categories, requests (工单) in blocks, take in, assign,
resolve, follow-up call, counts for the navigation and the reports."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from peewee import IntegrityError

from .. import session
from ..db import transaction
from ..dialect import glob
from ..models import RequestCategory, Resident, ServiceRequest, db_proxy
from ..models.service_desk import OPEN_STATUSES, REQUEST_STATUSES, SATISFACTION_CHOICES
from ..rules import service_desk as rules
from ..rules.masking import mask_phone
from ..rules.resident import FormErrors
from ..rules.text import ValidationError, clean_text
from . import audit, record_versions
from . import settings as office_settings
from .search_text import like_any, like_contains, order_term, starts_with

TABLE = "service_request"

# The columns of the 12345 hotline's sheet, in its order.
COLUMNS = [
    ("number", "工单编号"), ("received_at", "受理时间"), ("type", "诉求类型"), ("contact_name", "诉求人"),
    ("contact_phone", "联系电话"), ("address", "住址"), ("category", "问题类别"), ("description", "诉求内容"),
    ("channel", "来源渠道"), ("assigned_to", "承办人"), ("deadline", "办理时限"), ("status", "办理状态"),
    ("resolution", "办理结果"), ("resolved_date", "办结日期"), ("solved", "是否解决"),
    ("satisfaction", "满意度"), ("facility", "相关设施"), ("overdue", "是否逾期"),
]
COLUMN_KEYS = [key for key, _ in COLUMNS]
OVERDUE_COLUMN = COLUMN_KEYS.index("overdue")
OVERDUE_TEXT = "逾期"

SORT_SQL = {
    "number": "s.number", "received_at": "s.received_at", "type": "s.type", "contact_name": "s.contact_name",
    "contact_phone": "s.contact_phone", "address": "s.address", "category": "c.sort_order",
    "description": "s.description", "channel": "s.channel", "assigned_to": "s.assigned_to",
    "deadline": "s.deadline", "status": "s.status", "resolution": "s.resolution",
    "resolved_date": "s.resolved_date", "solved": "s.solved", "satisfaction": "s.satisfaction",
    "facility": "s.facility_id", "overdue": "s.deadline",
}

_ROW_SQL = """
SELECT s.id, s.number, s.received_at, s.type, s.contact_name, s.contact_phone, s.address, c.name, s.description,
       s.channel, s.assigned_to, s.deadline, s.status, s.resolution, s.resolved_date, s.solved, s.satisfaction,
       f.name
FROM service_request s JOIN request_category c ON c.id = s.category_id
LEFT JOIN facility f ON f.id = s.facility_id
WHERE s.id IN ({marks})
"""


@dataclass(frozen=True)
class RequestFilter:
    text: str = ""
    status: str = ""  # "" all, a status, or "open"
    category_id: int | None = None
    date_from: dt.date | None = None  # received on or after
    date_to: dt.date | None = None  # received on or before
    overdue_only: bool = False
    sort_key: str = "received_at"
    descending: bool = True


def deadline_days() -> int:
    return int(office_settings.get(rules.DEADLINE_DAYS_SETTING, rules.DEFAULT_DEADLINE_DAYS))


# --- categories ---
def list_categories() -> list[tuple[int, str]]:
    return [(c.id, c.name) for c in RequestCategory.select().order_by(RequestCategory.sort_order, RequestCategory.id)]


def add_category(name: str) -> int:
    session.require_write()
    name = clean_text(name, max_length=20, field_label="问题类别")
    if not name:
        raise ValidationError("请填写问题类别名称")
    with transaction():
        if RequestCategory.get_or_none(RequestCategory.name == name):
            raise ValidationError(f"问题类别“{name}”已存在")
        try:
            with transaction():  # a savepoint: another PC may add the same name at this moment
                category = RequestCategory.create(name=name, sort_order=RequestCategory.select().count() + 100)
        except IntegrityError:
            raise ValidationError(f"问题类别“{name}”已存在") from None
        audit.record("新增", "request_category", category.id, f"新增问题类别 {name}")
    return category.id


# --- list ---
def _where(flt: RequestFilter, today: dt.date) -> tuple[str, list]:
    clauses, params = [], []
    text = flt.text.strip()
    if text:
        like = like_contains(text)
        columns = ["s.number", "s.contact_name", "s.contact_phone", "s.address", "s.description", "s.assigned_to"]
        clauses.append(f"({like_any(columns)} OR c.name = ?)")
        params += [like] * len(columns) + [text]
    if flt.status == "open":
        clauses.append("s.status IN ('待受理', '处理中')")
    elif flt.status:
        clauses.append("s.status = ?")
        params.append(flt.status)
    if flt.category_id:
        clauses.append("s.category_id = ?")
        params.append(flt.category_id)
    if flt.date_from:
        clauses.append("s.received_at >= ?")
        params.append(flt.date_from.isoformat())
    if flt.date_to:
        clauses.append("s.received_at < ?")
        params.append((flt.date_to + dt.timedelta(days=1)).isoformat())
    if flt.overdue_only:
        clauses.append("s.status IN ('待受理', '处理中') AND s.deadline < ?")
        params.append(today.isoformat())
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def search_ids(flt: RequestFilter, today: dt.date | None = None) -> list[int]:
    where, params = _where(flt, today or dt.date.today())
    order = order_term(SORT_SQL.get(flt.sort_key, "s.received_at"), flt.descending)
    direction = " DESC" if flt.descending else ""
    sql = (f"SELECT s.id FROM service_request s JOIN request_category c ON c.id = s.category_id{where} "
           f"ORDER BY {order}, s.id{direction}")
    return [row[0] for row in db_proxy.execute_sql(sql, params).fetchall()]


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def load_rows(ids: list[int], today: dt.date | None = None, *, mask: bool | None = None) -> dict[int, tuple]:
    """{id: tuple in COLUMNS order}; the contact phone masked as settings.masks(mask) says."""
    today = today or dt.date.today()
    mask = office_settings.masks(mask)
    out: dict[int, tuple] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in db_proxy.execute_sql(_ROW_SQL.format(marks=",".join("?" * len(chunk))), chunk):
            deadline = _date(row[11])
            overdue = rules.is_overdue(row[12], deadline, today)
            phone = mask_phone(row[5] or "") if mask else row[5]
            out[row[0]] = (row[1], str(row[2])[:16], row[3], row[4], phone, row[6], row[7], row[8], row[9],
                           row[10], deadline or "", row[12], row[13], _date(row[14]) or "", row[15], row[16],
                           row[17] or "", OVERDUE_TEXT if overdue else "")
    return out


def iter_rows(ids: list[int], block: int = 1000, *, mask: bool = False) -> Iterator[tuple]:
    """Rows for an export: full phones unless `mask` (or the role may not see them)."""
    for start in range(0, len(ids), block):
        chunk = ids[start:start + block]
        rows = load_rows(chunk, mask=mask)
        for rid in chunk:
            if rid in rows:
                yield rows[rid]


# --- counts ---
def status_counts() -> dict[str, int]:
    counts = dict.fromkeys(REQUEST_STATUSES, 0)
    for status, n in db_proxy.execute_sql("SELECT status, COUNT(*) FROM service_request GROUP BY status"):
        counts[status] = n
    return counts


def open_count() -> int:
    counts = status_counts()
    return sum(counts[s] for s in OPEN_STATUSES)


def overdue_count(today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    return db_proxy.execute_sql(
        "SELECT COUNT(*) FROM service_request WHERE status IN ('待受理', '处理中') AND deadline < ?",
        (today.isoformat(),)).fetchone()[0]


def counts_by(field: str, date_from: dt.date | None = None, date_to: dt.date | None = None) -> list[tuple[str, int]]:
    """[(value, count)] for field in category / status / satisfaction over requests received in the period.
    Every known value is listed, also with 0."""
    where, params = _where(RequestFilter(date_from=date_from, date_to=date_to), dt.date.today())
    if field == "category":
        sql = (f"SELECT c.name, COUNT(s.id) FROM service_request s JOIN request_category c ON c.id = s.category_id"
               f"{where} GROUP BY c.id")
        known = [name for _id, name in list_categories()]
    elif field in ("status", "satisfaction", "type", "channel", "solved"):
        sql = (f"SELECT s.{field}, COUNT(s.id) FROM service_request s "
               f"JOIN request_category c ON c.id = s.category_id{where} GROUP BY s.{field}")
        known = {"status": list(REQUEST_STATUSES), "satisfaction": list(SATISFACTION_CHOICES)}.get(field, [])
    else:
        raise ValueError(field)
    found = dict(db_proxy.execute_sql(sql, params).fetchall())
    out = [(name, found.pop(name, 0)) for name in known]
    out += sorted((k or "（未填）", v) for k, v in found.items())
    return out


# --- one request ---
def resident_contact(resident_id: int) -> dict:
    r = Resident.get_by_id(resident_id)
    return {"name": r.name, "phone": r.phone, "address": r.address, "community_id": r.community_id,
            "household_id": r.household_id, "contact_preference": r.contact_preference, "disability": r.disability}


def find_residents(text: str, limit: int = 30) -> list[tuple[int, str]]:
    """(id, "姓名 住址 电话") of residents matching text, for picking the requester."""
    from . import residents

    if not text.strip():
        return []
    ids = residents.search_ids(residents.ResidentFilter(text=text))[:limit]
    rows = residents.load_rows(ids)
    return [(rid, " ".join(p for p in (rows[rid][0], rows[rid][5], rows[rid][6], rows[rid][4]) if p))
            for rid in ids if rid in rows]


def get(request_id: int) -> dict:
    s = ServiceRequest.get_by_id(request_id)
    return {
        "id": s.id, "number": s.number, "type": s.type, "resident_id": s.resident_id,
        "community_id": s.community_id, "contact_name": s.contact_name, "contact_phone": s.contact_phone,
        "address": s.address, "category_id": s.category_id, "category": s.category.name,
        "description": s.description, "received_at": s.received_at, "channel": s.channel,
        "assigned_to": s.assigned_to, "deadline": s.deadline, "status": s.status, "resolution": s.resolution,
        "resolved_date": s.resolved_date, "solved": s.solved, "satisfaction": s.satisfaction,
        "followup_date": s.followup_date, "facility_id": s.facility_id, "version": s.version,
    }


def next_number(year: int) -> str:
    """The next 工单编号 of that year from its counter row (settings.next_count: two PCs taking in at once get
    different numbers); a year's counter starts after the highest number of that year already used. Call inside
    the write transaction that stores the request."""
    def first() -> int:
        used = [row[0] for row in db_proxy.execute_sql(
            f"SELECT number FROM service_request WHERE {glob('number')}",
            (starts_with(f"{rules.NUMBER_PREFIX}-{year:04d}-"),))]
        return rules.next_sequence(year, used)

    return rules.format_number(year, office_settings.next_count(rules.counter_key(year), first))


def take_in(raw: dict, now: dt.datetime | None = None) -> int:
    """Take in a request (受理): the program gives the number; with a 承办人 it is in hand (处理中) at once."""
    session.require_write()
    values = rules.clean_request(raw, now)
    with transaction():
        if values["resident_id"]:
            contact = resident_contact(int(values["resident_id"]))
            values["contact_name"] = values["contact_name"] or contact["name"]
            values["contact_phone"] = values["contact_phone"] or contact["phone"]
            values["address"] = values["address"] or contact["address"]
            values["community_id"] = values["community_id"] or contact["community_id"]
            household = contact["household_id"]
        else:
            household = None
        received = values["received_at"]
        deadline = values["deadline"] or (received.date() + dt.timedelta(days=deadline_days()))
        number = next_number(received.year)
        request = ServiceRequest.create(
            number=number, type=values["type"], resident=values["resident_id"], household=household,
            community=values["community_id"], contact_name=values["contact_name"],
            contact_phone=values["contact_phone"], address=values["address"], category=values["category_id"],
            description=values["description"], received_at=received, channel=values["channel"],
            assigned_to=values["assigned_to"], deadline=deadline,
            status="处理中" if values["assigned_to"] else "待受理", facility=values["facility_id"])
        audit.record("新增", TABLE, request.id, f"受理工单 {number} {values['contact_name']}")
    return request.id


def update(request_id: int, raw: dict, loaded: dict | None = None) -> None:
    """Correct what was taken in (number, status and results stay). `loaded`: the request as the form was filled
    from it (record_versions). Raises FormErrors, EditConflict."""
    session.require_write()
    old = get(request_id)
    values = rules.clean_request({**raw, "received_at": raw.get("received_at") or old["received_at"]})
    with transaction():
        edit = record_versions.begin(ServiceRequest, TABLE, request_id, raw, loaded, get)
        old = edit.theirs
        if edit.merged:
            values = rules.clean_request({**edit.raw, "received_at": edit.raw.get("received_at") or old["received_at"]})
        fields = {k: values[k] for k in ("type", "contact_name", "contact_phone", "address", "description",
                                         "received_at", "channel", "assigned_to")}
        fields.update(resident=values["resident_id"], category=values["category_id"],
                      facility=values["facility_id"], deadline=values["deadline"] or old["deadline"])
        record_versions.update_versioned(ServiceRequest, request_id, fields, edit.version)
        audit.record("修改", TABLE, request_id, f"修改工单 {old['number']}",
                     audit.diff(old, {k: v for k, v in get(request_id).items() if k in old}))


def _move(request_id: int, new_status: str, fields: dict, summary: str) -> None:
    with transaction():
        old = get(request_id)
        try:
            rules.check_transition(old["status"], new_status)
        except ValidationError as exc:
            raise FormErrors({"status": exc.message}) from None
        fields = {**fields, "status": new_status, "updated_at": dt.datetime.now().replace(microsecond=0)}
        ServiceRequest.update(**fields).where(ServiceRequest.id == request_id).execute()
        audit.record("修改", TABLE, request_id, f"{summary} {old['number']}",
                     audit.diff(old, {k: v for k, v in get(request_id).items() if k in old}))


def assign(request_id: int, assigned_to: str, deadline: object = None) -> None:
    """派单: name who handles it (and optionally a new deadline); the request is then 处理中."""
    session.require_write()
    who = clean_text(assigned_to, max_length=30, field_label="承办人")
    if not who:
        raise FormErrors({"assigned_to": "请填写承办人"})
    fields: dict = {"assigned_to": who}
    if deadline not in (None, ""):
        try:
            fields["deadline"] = rules.parse_date(deadline, "办理时限")
        except ValidationError as exc:
            raise FormErrors({"deadline": exc.message}) from None
    current = get(request_id)["status"]
    _move(request_id, "处理中" if current == "待受理" else current, fields, "派单")


def resolve(request_id: int, raw: dict) -> None:
    """办结: what was done, when, and whether it was solved."""
    session.require_write()
    values = rules.clean_resolution(raw, get(request_id)["received_at"])
    _move(request_id, "已办结", values, "办结")


def follow_up(request_id: int, raw: dict) -> None:
    """回访: the resident's satisfaction on the follow-up call."""
    session.require_write()
    values = rules.clean_followup(raw, get(request_id)["resolved_date"])
    _move(request_id, "已回访", values, "回访")


def reopen(request_id: int, reason: object, today: dt.date | None = None) -> None:
    """重新办理: a request marked 已办结 that is not solved after all (the resident calls again) goes back to 处理中.
    The reason, dated, is added under the earlier result, which stays; 办结日期 and 是否解决 are cleared."""
    session.require_write()
    why = clean_text(reason, max_length=200, field_label="重新办理的原因")
    if not why:
        raise FormErrors({"reason": "请填写重新办理的原因，例如“居民来电：仍然漏雨”"})
    old = get(request_id)
    if old["status"] != "已办结":
        raise FormErrors({"reason": f"这件工单“{old['status']}”，只有已办结的工单可以重新办理"})
    note = f"{today or dt.date.today():%Y-%m-%d} 重新办理：{why}"
    resolution = f"{old['resolution']}\n{note}" if old["resolution"] else note
    _move(request_id, "处理中", {"resolution": resolution, "resolved_date": None, "solved": ""}, "重新办理")


def delete(request_ids: list[int]) -> int:
    session.require_write()
    with transaction():
        numbers = {s.id: s.number for s in ServiceRequest.select(ServiceRequest.id, ServiceRequest.number)
                   .where(ServiceRequest.id.in_(request_ids))}
        for rid, number in numbers.items():
            audit.record("删除", TABLE, rid, f"删除工单 {number}")
        ServiceRequest.delete().where(ServiceRequest.id.in_(list(numbers))).execute()
    return len(numbers)
