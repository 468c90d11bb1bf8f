"""Gate entry log queries (出入登记): record people entering at a post, list them, and the fever hook.

A temperature of 37.3 °C or more sets `fever` on the entry. The quarantine tracker (issue 3) reads
`fever_entries()` to offer each one as a new 自排 case and calls `mark_taken_up(entry_id, ref)` when
it has made the case, so an entry is offered only once.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import session
from ..db import transaction
from ..models import GateEntry, db_proxy
from ..rules.masking import mask_id, mask_phone
from ..rules.volunteers import clean_gate_entry
from . import audit
from . import settings as office_settings

TABLE = "gate_entry"
COLUMNS = [("time_in", "登记时间"), ("post", "门岗"), ("name", "姓名"), ("phone", "联系电话"), ("id_number", "身份证号"),
           ("temperature", "体温(℃)"), ("reason", "事由"), ("checked_by", "检查人"), ("flag", "体温异常")]


@dataclass(frozen=True)
class GateFilter:
    day: dt.date | None = None
    post_id: int | None = None
    fever_only: bool = False


def save_entry(raw: dict) -> int:
    """Record one person; returns the id. Raises FormErrors."""
    session.require_write()
    values = clean_gate_entry(raw)
    with transaction():
        entry = GateEntry.create(post=values["post_id"], name=values["name"], phone=values["phone"],
                                 id_number=values["id_number"], temperature=values["temperature"],
                                 fever=values["fever"], time_in=values["time_in"], reason=values["reason"],
                                 checked_by=values["checked_by"])
        flag = "，体温异常" if values["fever"] else ""
        audit.record("新增", TABLE, entry.id, f"出入登记 {values['name']} {values['temperature']}℃{flag}")
    return entry.id


def search_ids(flt: GateFilter = GateFilter()) -> list[int]:  # noqa: B008 - frozen dataclass
    clauses, params = [], []
    if flt.day:
        clauses.append("time_in >= ? AND time_in < ?")
        params += [flt.day.isoformat(), (flt.day + dt.timedelta(days=1)).isoformat()]
    if flt.post_id:
        clauses.append("post_id = ?")
        params.append(flt.post_id)
    if flt.fever_only:
        clauses.append("fever = TRUE")
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    return [r[0] for r in db_proxy.execute_sql(f"SELECT id FROM gate_entry{where} ORDER BY time_in DESC, id DESC",
                                               params)]


def load_rows(ids: list[int], show_full_ids: bool | None = None) -> dict[int, tuple]:
    """{id: row in COLUMNS order}. ID number and phone come masked unless this session may see them in full
    (role and setting; show_full_ids=False masks them anyway)."""
    full = office_settings.full_ids_shown() and show_full_ids is not False
    out = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in db_proxy.execute_sql(
                "SELECT e.id, e.time_in, p.name, e.name, e.phone, e.id_number, e.temperature, e.reason, "
                "e.checked_by, e.fever, e.case_ref FROM gate_entry e LEFT JOIN gate_post p ON p.id = e.post_id "
                f"WHERE e.id IN ({','.join('?' * len(chunk))})", chunk):
            number = row[5] or ""
            flag = ("发热" + (f"（已转{row[10]}）" if row[10] else "")) if row[9] else ""
            phone = row[4] or ""
            out[row[0]] = (str(row[1])[:16], row[2] or "", row[3], phone if full else mask_phone(phone),
                           number if full else mask_id(number),
                           f"{float(row[6]):.1f}", row[7], row[8], flag)
    return out


def fever_entries(include_taken_up: bool = False) -> list[dict]:
    """Entries with a temperature of 37.3 °C or more, newest first: what the quarantine tracker offers
    as new 自排 cases. Each dict: id, time_in, post, name, phone, id_number, temperature (Decimal),
    reason, checked_by, case_ref."""
    query = GateEntry.select().where(GateEntry.fever == True)  # noqa: E712
    if not include_taken_up:
        query = query.where(GateEntry.case_ref == "")
    return [{"id": e.id, "time_in": e.time_in, "post": e.post.name if e.post_id else "", "name": e.name,
             "phone": e.phone, "id_number": e.id_number or "", "temperature": e.temperature, "reason": e.reason,
             "checked_by": e.checked_by, "case_ref": e.case_ref}
            for e in query.order_by(GateEntry.time_in.desc(), GateEntry.id.desc())]


def mark_taken_up(entry_id: int, case_ref: str = "自排") -> None:
    """The quarantine tracker calls this once it has made a case from the entry."""
    session.require_write()
    with transaction():
        GateEntry.update(case_ref=case_ref[:60] or "自排").where(GateEntry.id == entry_id).execute()
        audit.record("修改", TABLE, entry_id, f"出入登记转为{case_ref}")


def day_counts(day: dt.date) -> tuple[int, int]:
    """(entries, fever entries) on that day."""
    row = db_proxy.execute_sql("SELECT COUNT(*), COUNT(*) FILTER (WHERE fever = TRUE) FROM gate_entry WHERE time_in >= ? "
                               "AND time_in < ?", (day.isoformat(), (day + dt.timedelta(days=1)).isoformat())).fetchone()
    return row[0], row[1]
