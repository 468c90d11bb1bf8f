"""Facility log queries (设施台账): kinds, search ids, rows in blocks, save, history, photos, totals.

Money comes back as Decimal and is summed with core.rules.facilities.sum_money, never SQL SUM.
Photos live in core.queries.facility_photos (re-exported here).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from peewee import IntegrityError

from .. import session
from ..db import transaction
from ..dialect import greatest
from ..models import Building, Facility, FacilityEvent, FacilityKind, FacilityPhoto, db_proxy
from ..models.facilities import FACILITY_STATUSES, PLANNED_STATUSES
from ..rules import facilities as rules
from ..rules.resident import FormErrors
from ..rules.text import ValidationError, clean_text
from . import audit, record_versions
from . import settings as office_settings
from .facility_photos import add_photo, delete_photo, list_photos, photos_dir  # noqa: F401 - re-exported
from .search_text import like_any, like_contains

TABLE = "facility"

COLUMNS = [
    ("kind", "设施种类"), ("name", "设施名称"), ("quantity", "数量"), ("unit", "单位"), ("location", "位置"),
    ("status", "状态"), ("planned_date", "计划日期"), ("installed_date", "安装日期"),
    ("builder", "供货或施工单位"), ("cost", "费用（元）"), ("funding", "资金来源"), ("responsible", "负责人"),
    ("last_inspected", "最近巡检"), ("inspection", "巡检提醒"), ("next_step", "下一步"), ("notes", "备注"),
]
COLUMN_KEYS = [key for key, _ in COLUMNS]
INSPECTION_COLUMN = COLUMN_KEYS.index("inspection")
STATUS_COLUMN = COLUMN_KEYS.index("status")
OVERDUE_TEXT = "逾期未巡检"

SORT_SQL = {
    "kind": "k.sort_order", "name": "f.name", "quantity": "f.quantity", "unit": "f.unit",
    "location": "f.location", "status": "f.status", "planned_date": "f.planned_date",
    "installed_date": "f.installed_date", "builder": "f.builder", "cost": "f.cost", "funding": "f.funding",
    "responsible": "f.responsible", "last_inspected": "last_inspected", "inspection": "last_inspected",
    "next_step": "f.next_step", "notes": "f.notes",
}

_LAST_INSPECTED = "(SELECT MAX(e.date) FROM facility_event e WHERE e.facility_id = f.id AND e.kind = '巡检')"


def _reference() -> str:
    """The later of installation and last inspection (either alone when the other is missing; NULL for neither)."""
    return greatest(f"COALESCE(f.installed_date, {_LAST_INSPECTED})", f"COALESCE({_LAST_INSPECTED}, f.installed_date)")


_ROW_SQL = f"""
SELECT f.id, k.name, f.name, f.quantity, f.unit, c.name, b.name, f.location, f.status, f.planned_date,
       f.installed_date, f.builder, f.cost, f.funding, f.responsible, {_LAST_INSPECTED}, f.next_step, f.notes
FROM facility f JOIN facility_kind k ON k.id = f.kind_id
LEFT JOIN community c ON c.id = f.community_id
LEFT JOIN building b ON b.id = f.building_id
WHERE f.id IN ({{marks}})
"""


@dataclass(frozen=True)
class FacilityFilter:
    text: str = ""
    kind_id: int | None = None
    status: str = ""
    group: str = ""  # "" all, "installed" (not planned), "planned"
    overdue_only: bool = False
    sort_key: str = "kind"
    descending: bool = False


def inspection_days() -> int:
    return int(office_settings.get(rules.INSPECTION_DAYS_SETTING, rules.DEFAULT_INSPECTION_DAYS))


def set_inspection_days(raw: object) -> int:
    session.require_write()
    days = rules.clean_inspection_days(raw)
    office_settings.put(rules.INSPECTION_DAYS_SETTING, days, summary=f"巡检周期改为 {days} 天")  # audited there
    return days


# --- kinds ---
def list_kinds() -> list[tuple[int, str, str]]:
    """(id, name, default unit) in the office's order."""
    return [(k.id, k.name, k.default_unit) for k in FacilityKind.select().order_by(FacilityKind.sort_order,
                                                                                   FacilityKind.id)]


def add_kind(name: str, unit: str = "个") -> int:
    session.require_write()
    name = clean_text(name, max_length=20, field_label="设施种类")
    if not name:
        raise ValidationError("请填写设施种类名称")
    if unit not in rules.UNITS:
        raise ValidationError(f"单位“{unit}”不可用，可选：{'、'.join(rules.UNITS)}")
    with transaction():
        if FacilityKind.get_or_none(FacilityKind.name == name):
            raise ValidationError(f"设施种类“{name}”已存在")
        order = (FacilityKind.select().count() or 0) + 100
        try:
            with transaction():  # a savepoint: another PC may add the same name at this moment
                kind = FacilityKind.create(name=name, default_unit=unit, sort_order=order)
        except IntegrityError:
            raise ValidationError(f"设施种类“{name}”已存在") from None
        audit.record("新增", "facility_kind", kind.id, f"新增设施种类 {name}")
    return kind.id


# --- list ---
def _where(flt: FacilityFilter, today: dt.date) -> tuple[str, list]:
    clauses, params = [], []
    text = flt.text.strip()
    if text:
        like = like_contains(text)
        columns = ["f.name", "f.location", "k.name", "f.builder", "f.responsible", "f.notes"]
        clauses.append(f"({like_any(columns)})")
        params += [like] * len(columns)
    if flt.kind_id:
        clauses.append("f.kind_id = ?")
        params.append(flt.kind_id)
    if flt.status:
        clauses.append("f.status = ?")
        params.append(flt.status)
    marks = ",".join("?" * len(PLANNED_STATUSES))
    if flt.group == "planned":
        clauses.append(f"f.status IN ({marks})")
        params += list(PLANNED_STATUSES)
    elif flt.group == "installed":
        clauses.append(f"f.status NOT IN ({marks})")
        params += list(PLANNED_STATUSES)
    if flt.overdue_only:
        cutoff = (today - dt.timedelta(days=inspection_days())).isoformat()
        inspected = ",".join(f"'{s}'" for s in rules.INSPECTED_STATUSES)
        reference = _reference()
        clauses.append(f"f.status IN ({inspected}) AND ({reference} IS NULL OR {reference} < ?)")
        params.append(cutoff)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def search_ids(flt: FacilityFilter, today: dt.date | None = None) -> list[int]:
    where, params = _where(flt, today or dt.date.today())
    # dates, cost and last inspection may be empty: first going up, last going down (SQLite's way, said for both)
    order = SORT_SQL.get(flt.sort_key, "k.sort_order") + (" DESC NULLS LAST" if flt.descending else " NULLS FIRST")
    sql = (f"SELECT f.id, {_LAST_INSPECTED} AS last_inspected FROM facility f "
           f"JOIN facility_kind k ON k.id = f.kind_id{where} ORDER BY {order}, f.name, f.id")
    return [row[0] for row in db_proxy.execute_sql(sql, params).fetchall()]


def count_all() -> int:
    return db_proxy.execute_sql("SELECT COUNT(*) FROM facility").fetchone()[0]


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _money(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value)).quantize(rules.CENT)


def place_text(community: str | None, building: str | None, location: str) -> str:
    return " ".join(part for part in (community, building, location) if part)


def load_rows(ids: list[int], today: dt.date | None = None) -> dict[int, tuple]:
    """Display rows {id: tuple in COLUMNS order}; cost is a Decimal, dates are dates."""
    today = today or dt.date.today()
    days = inspection_days()
    out: dict[int, tuple] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in db_proxy.execute_sql(_ROW_SQL.format(marks=",".join("?" * len(chunk))), chunk):
            installed, last = _date(row[10]), _date(row[15])
            overdue = rules.inspection_overdue(row[8], installed, last, today, days)
            out[row[0]] = (row[1], row[2], row[3], row[4], place_text(row[5], row[6], row[7]), row[8],
                           _date(row[9]) or "", installed or "", row[11], _money(row[12]) if row[12] is not None
                           else "", row[13], row[14], last or "", OVERDUE_TEXT if overdue else "", row[16], row[17])
    return out


def iter_rows(ids: list[int], block: int = 1000) -> Iterator[tuple]:
    for start in range(0, len(ids), block):
        chunk = ids[start:start + block]
        rows = load_rows(chunk)
        for fid in chunk:
            if fid in rows:
                yield rows[fid]


# --- one facility ---
def get_form(facility_id: int) -> dict:
    f = Facility.get_by_id(facility_id)
    return {
        "kind_id": f.kind_id, "name": f.name, "quantity": str(f.quantity), "unit": f.unit,
        "community_id": f.community_id, "building": f.building.name if f.building_id else "",
        "location": f.location, "status": f.status,
        "planned_date": f.planned_date.isoformat() if f.planned_date else "",
        "installed_date": f.installed_date.isoformat() if f.installed_date else "",
        "builder": f.builder, "cost": format_cost_input(f.cost), "funding": f.funding,
        "responsible": f.responsible, "next_step": f.next_step, "notes": f.notes, "version": f.version,
    }


def format_cost_input(value) -> str:
    return "" if value is None else str(_money(value))


STORED = ("name", "quantity", "unit", "location", "status", "planned_date", "installed_date", "builder", "cost",
          "funding", "responsible", "next_step", "notes")


def save(raw: dict, facility_id: int | None = None, today: dt.date | None = None, loaded: dict | None = None) -> int:
    """Validate and store one facility. A status change is checked and written to its history. `loaded`: the
    get_form the form was filled from (record_versions). Raises FormErrors, EditConflict."""
    session.require_write()
    values = rules.clean_facility(raw)
    today = today or dt.date.today()
    with transaction():
        if facility_id is not None:
            edit = record_versions.begin(Facility, TABLE, facility_id, raw, loaded, get_form)
            if edit.merged:
                values = rules.clean_facility(edit.raw)
        building_id = None
        if values["building"]:
            if not values["community_id"]:
                raise FormErrors({"building": "填写楼栋时请先选择社区"})
            building_id = Building.get_or_create(community=values["community_id"], name=values["building"])[0].id
        row = {k: values[k] for k in STORED}
        row.update(kind=values["kind_id"], community=values["community_id"], building=building_id)
        if facility_id is None:
            facility = Facility.create(**row)
            facility_id = facility.id
            FacilityEvent.create(facility=facility_id, kind="状态变更", date=today, who=session.current.user,
                                 found="登记入台账", old_status="", new_status=values["status"])
            audit.record("新增", TABLE, facility_id, f"新增设施 {values['name']}")
        else:
            old = edit.theirs
            try:
                rules.check_transition(old["status"], values["status"])
            except ValidationError as exc:
                raise FormErrors({"status": exc.message}) from None
            record_versions.update_versioned(Facility, facility_id, row, edit.version)
            if old["status"] != values["status"]:
                FacilityEvent.create(facility=facility_id, kind="状态变更", date=today, who=session.current.user,
                                     old_status=old["status"], new_status=values["status"])
            new = get_form(facility_id)
            audit.record("修改", TABLE, facility_id, f"修改设施 {values['name']}", audit.diff(old, new))
    return facility_id


def add_event(facility_id: int, raw: dict) -> int:
    """Record an inspection (巡检) or repair (维修); `new_status` optionally moves the facility
    (a repair starts: 维修中; it is done: 已完工)."""
    session.require_write()
    values = rules.clean_event(raw)
    with transaction():
        facility = Facility.get_by_id(facility_id)
        new_status = values["new_status"]
        if new_status and new_status != facility.status:
            try:
                rules.check_transition(facility.status, new_status)
            except ValidationError as exc:
                raise FormErrors({"new_status": exc.message}) from None
        event = FacilityEvent.create(facility=facility_id, kind=values["kind"], date=values["date"],
                                     who=values["who"], found=values["found"], cost=values["cost"])
        if new_status and new_status != facility.status:
            FacilityEvent.create(facility=facility_id, kind="状态变更", date=values["date"], who=values["who"],
                                 old_status=facility.status, new_status=new_status)
            Facility.update(status=new_status, updated_at=dt.datetime.now().replace(microsecond=0)).where(
                Facility.id == facility_id).execute()
        audit.record("新增", "facility_event", event.id,
                     f"{facility.name} {values['kind']}记录 {values['date']:%Y-%m-%d}")
    return event.id


def history(facility_id: int) -> list[dict]:
    """The facility's history, newest first: status changes, inspections, repairs, and the
    service requests (我来办工单) that name it."""
    items = []
    for e in FacilityEvent.select().where(FacilityEvent.facility == facility_id):
        if e.kind == "状态变更":
            text = (f"登记为“{e.new_status}”" if not e.old_status else f"状态 {e.old_status} → {e.new_status}")
            if e.found and e.old_status:
                text += f"：{e.found}"
        else:
            text = e.found
        items.append({"date": e.date, "kind": e.kind, "who": e.who, "text": text,
                      "cost": _money(e.cost), "order": (e.date, 1, e.id)})
    rows = db_proxy.execute_sql(
        "SELECT id, number, received_at, contact_name, description, status, assigned_to FROM service_request "
        "WHERE facility_id = ?", (facility_id,))
    for rid, number, received, name, description, status, assigned in rows:
        day = _date(received)
        items.append({"date": day, "kind": "我来办工单", "who": assigned or "",
                      "text": f"{number} {name}：{description}（{status}）", "cost": None,
                      "order": (day, 0, rid)})
    items.sort(key=lambda item: item["order"], reverse=True)
    for item in items:
        del item["order"]
    return items


def repair_costs(facility_id: int) -> Decimal:
    return rules.sum_money(e.cost for e in FacilityEvent.select(FacilityEvent.cost).where(
        FacilityEvent.facility == facility_id))


def delete(facility_ids: list[int]) -> int:
    session.require_write()
    files = []
    with transaction():
        names = {f.id: f.name for f in Facility.select(Facility.id, Facility.name).where(Facility.id.in_(facility_ids))}
        for p in FacilityPhoto.select().where(FacilityPhoto.facility.in_(list(names))):
            files.append(p.file_name)
        for fid, name in names.items():
            audit.record("删除", TABLE, fid, f"删除设施 {name}")
        Facility.delete().where(Facility.id.in_(list(names))).execute()
    for name in files:
        (photos_dir() / name).unlink(missing_ok=True)
    return len(names)


# --- totals ---
def totals_by_kind() -> list[tuple[str, int, str]]:
    """(kind, quantity, unit) of facilities in use (已完工 / 维修中), in the kinds' order."""
    marks = ",".join("?" * len(rules.IN_USE_STATUSES))
    sql = (f"SELECT k.name, SUM(f.quantity), f.unit FROM facility f JOIN facility_kind k ON k.id = f.kind_id "
           f"WHERE f.status IN ({marks}) GROUP BY k.id, f.unit ORDER BY k.sort_order, k.id, f.unit")
    return [(name, qty, unit) for name, qty, unit in db_proxy.execute_sql(sql, list(rules.IN_USE_STATUSES))]


def totals_text() -> str:
    return "　".join(f"{name} {qty} {unit}" for name, qty, unit in totals_by_kind())


@dataclass
class KindTotals:
    kind: str
    units: str
    by_status: dict[str, int]
    quantity: int
    count: int
    cost: Decimal


def totals_by_kind_and_status() -> list[KindTotals]:
    """One line per kind that has facilities: quantity in each status, items, exact cost sum."""
    rows = db_proxy.execute_sql(
        "SELECT k.id, k.name, f.unit, f.status, f.quantity, f.cost FROM facility f "
        "JOIN facility_kind k ON k.id = f.kind_id ORDER BY k.sort_order, k.id, f.id").fetchall()
    out: dict[int, KindTotals] = {}
    costs: dict[int, list] = {}
    for kid, kind, unit, status, qty, cost in rows:
        line = out.setdefault(kid, KindTotals(kind, "", {s: 0 for s in FACILITY_STATUSES}, 0, 0, Decimal("0.00")))
        if unit not in line.units.split("、"):
            line.units = f"{line.units}、{unit}" if line.units else unit
        line.by_status[status] = line.by_status.get(status, 0) + qty
        line.quantity += qty
        line.count += 1
        costs.setdefault(kid, []).append(_money(cost))
    for kid, line in out.items():
        line.cost = rules.sum_money(costs[kid])
    return list(out.values())


def cost_sum(ids: list[int] | None = None) -> Decimal:
    """Exact sum of the facilities' costs (all facilities when ids is None)."""
    query = Facility.select(Facility.cost)
    if ids is not None:
        query = query.where(Facility.id.in_(ids))
    return rules.sum_money(f.cost for f in query)


def planned_projects() -> list[dict]:
    rows = (Facility.select(Facility, FacilityKind).join(FacilityKind)
            .where(Facility.status.in_(PLANNED_STATUSES))
            .order_by(Facility.planned_date.asc(nulls="FIRST"), Facility.id))
    return [{"id": f.id, "kind": f.kind.name, "name": f.name, "quantity": f.quantity, "unit": f.unit,
             "location": place_text(f.community.name if f.community_id else None,
                                    f.building.name if f.building_id else None, f.location),
             "status": f.status, "planned_date": f.planned_date or "", "cost": _money(f.cost),
             "funding": f.funding, "responsible": f.responsible, "next_step": f.next_step} for f in rows]


def facility_choices() -> list[tuple[int, str]]:
    """(id, label) of facilities that a service request can name."""
    rows = db_proxy.execute_sql(
        "SELECT f.id, f.name, f.location FROM facility f JOIN facility_kind k ON k.id = f.kind_id "
        "WHERE f.status != '已拆除' ORDER BY k.sort_order, f.name, f.id")
    return [(fid, f"{name}（{location}）" if location else name) for fid, name, location in rows]
