"""Quarantine case queries (隔离管控台账): search ids, load rows, create, update, end change, release.

Tests, follow-ups, special needs, the today view and bulk actions live in quarantine_items.py.
Every change of a case, or of anything that belongs to it, is written to the audit log under the
table `quarantine_case` and the case id, so that the case form can show its whole history.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from .. import dialect, session, vocabulary
from ..db import transaction
from ..models import Building, FollowUp, NucleicTest, QuarantineCase, Resident, db_proxy
from ..rules import quarantine as rules
from ..rules.masking import mask_id, mask_phone
from ..rules.quarantine_case import clean_case
from ..rules.resident import FormErrors
from ..rules.text import ValidationError
from . import audit, record_versions
from . import settings as office_settings
from .search_text import contains, normalize_query, order_term

TABLE = "quarantine_case"
# The lock (dialect.one_writer_at_a_time) of every write that finds a case by ID number, then registers one.
ID_NUMBER_LOCK = "quarantine_case.id_number"

COLUMNS = [
    ("name", "姓名"), ("gender", "性别"), ("id_number", "身份证号"), ("phone", "联系电话"),
    ("address", "现居住地址"), ("source", "来源"), ("classification", "人员分类"), ("measure", "管控措施"),
    ("arrival_date", "返京日期"), ("start_date", "隔离起始日期"), ("planned_end", "计划解除日期"),
    ("last_test", "最近核酸"), ("status", "状态"), ("follow_up_worker", "健康监测责任人"), ("needs", "特殊需求"),
    ("notes", "备注"),
]
COLUMN_KEYS = [key for key, _ in COLUMNS]
SORT_SQL = {
    "name": "q.search_text", "gender": "q.gender", "id_number": "q.id_number", "phone": "q.phone",
    "address": "q.address", "source": "q.source", "classification": "q.classification", "measure": "q.measure",
    "arrival_date": "q.arrival_date", "start_date": "q.start_date", "planned_end": "q.planned_end",
    "last_test": "q.planned_end", "status": "q.status", "follow_up_worker": "q.follow_up_worker",
    "needs": "q.planned_end", "notes": "q.notes",
}
COLOURS = {"positive": "#f8c9c9", "overdue": "#fde2b8", "due": "#fff6bf"}


@dataclass(frozen=True)
class CaseFilter:
    text: str = ""
    source: str = ""
    classification: str = ""
    measure: str = ""
    status: str = ""  # one status, or "open" for 待核实 + 管控中
    community_id: int | None = None
    building_id: int | None = None
    due_today: bool = False  # a test or the planned end falls today (or is overdue)
    extended: bool = False
    positive: bool = False
    sort_key: str = "planned_end"
    descending: bool = False
    today: dt.date | None = None


# --- settings: policies and classifications -------------------------------------------------
def policies() -> dict[str, rules.Policy]:
    stored = office_settings.get(rules.POLICY_SETTING, {}) or {}
    return {m: rules.policy_for(m, stored) for m in rules.MEASURES}


def set_policy(measure: str, days: object, test_days: object) -> rules.Policy:
    """Change the default period and test days of a measure (applies to new cases only)."""
    session.require_write()
    policy = rules.check_policy(measure, days, test_days)
    stored = dict(office_settings.get(rules.POLICY_SETTING, {}) or {})
    old = stored.get(measure) or rules.DEFAULT_POLICIES[measure]
    stored[measure] = {"days": policy.days, "test_days": list(policy.test_days)}
    office_settings.put(rules.POLICY_SETTING, stored, summary=f"{measure}默认 {policy.days} 天，检测日 {list(policy.test_days)}",
                        changes={measure: (old, stored[measure])})
    return policy


def classifications() -> list[str]:
    stored = office_settings.get(rules.CLASSIFICATION_SETTING, None)
    return list(stored) if stored else list(rules.DEFAULT_CLASSIFICATIONS)


def set_classifications(names: list[str]) -> None:
    session.require_write()
    clean = [n.strip() for n in names if n and n.strip()]
    if not clean:
        raise ValidationError("人员分类至少要有一项")
    with transaction():
        office_settings.put(rules.CLASSIFICATION_SETTING, list(dict.fromkeys(clean)))


# --- search and rows -----------------------------------------------------------------------
def _where(flt: CaseFilter) -> tuple[str, list]:
    today = (flt.today or dt.date.today()).isoformat()
    clauses, params = [], []
    query = normalize_query(flt.text)
    if query:
        clauses.append(dialect.glob("q.search_text"))
        params.append(contains(query))
    for column, value in (("source", flt.source), ("classification", flt.classification),
                          ("measure", flt.measure)):
        if value:
            clauses.append(f"q.{column} = ?")
            params.append(value)
    if flt.status == "open":  # 在管: a positive awaiting transfer is still in the office's care
        clauses.append(f"q.status IN ({vocabulary.sql_list(vocabulary.CASE_OPEN_STATUSES + (vocabulary.CASE_POSITIVE,))})")
    elif flt.status:
        clauses.append("q.status = ?")
        params.append(flt.status)
    if flt.community_id:
        clauses.append("q.community_id = ?")
        params.append(flt.community_id)
    if flt.building_id:
        clauses.append("q.building_id = ?")
        params.append(flt.building_id)
    if flt.due_today:
        clauses.append(f"q.status IN ({vocabulary.sql_list(vocabulary.CASE_OPEN_STATUSES)}) AND (q.planned_end <= ? OR EXISTS (SELECT 1 FROM "
                       "nucleic_test t WHERE t.case_id = q.id AND t.sampling_date IS NULL AND t.planned_date <= ?))")
        params += [today, today]
    if flt.extended:
        clauses.append("q.previous_end IS NOT NULL AND q.planned_end > q.previous_end")
    if flt.positive:
        clauses.append(f"EXISTS (SELECT 1 FROM nucleic_test t WHERE t.case_id = q.id AND t.result = '{vocabulary.RESULT_POSITIVE}')")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def search_ids(flt: CaseFilter) -> list[int]:
    where, params = _where(flt)
    order = order_term(SORT_SQL.get(flt.sort_key, "q.planned_end"), flt.descending)  # 返京日期 may be empty
    sql = f"SELECT q.id FROM quarantine_case q{where} ORDER BY {order}, q.id"
    return [row[0] for row in db_proxy.execute_sql(sql, params).fetchall()]


def count_all() -> int:
    return db_proxy.execute_sql("SELECT COUNT(*) FROM quarantine_case").fetchone()[0]


def _row_sql(marks: str) -> str:
    last_test = dialect.text_of("COALESCE(t.sampling_date, t.planned_date)")
    needs = dialect.group_concat_ordered(dialect.text_of("n.need_date") + " || ' ' || n.kind || '：' || n.content",
                                         "；", "n.id")
    return f"""
SELECT q.id, q.name, q.gender, q.id_number, q.phone, q.address, q.source, q.classification, q.measure,
       q.arrival_date, q.start_date, q.planned_end, q.status, q.follow_up_worker, q.notes,
       (SELECT {last_test} || ' ' || t.result FROM nucleic_test t
         WHERE t.case_id = q.id AND t.sampling_date IS NOT NULL
         ORDER BY t.sampling_date DESC, t.id DESC LIMIT 1),
       EXISTS (SELECT 1 FROM nucleic_test t WHERE t.case_id = q.id AND t.result = '阳性'),
       EXISTS (SELECT 1 FROM nucleic_test t WHERE t.case_id = q.id AND t.sampling_date IS NULL
               AND t.planned_date = ?),
       EXISTS (SELECT 1 FROM nucleic_test t WHERE t.case_id = q.id AND t.sampling_date IS NULL
               AND t.planned_date < ?),
       (SELECT {needs}
          FROM special_need n WHERE n.case_id = q.id AND n.status != '已办结')
FROM quarantine_case q WHERE q.id IN ({marks})
"""


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def load_rows(ids: list[int], today: dt.date | None = None) -> dict[int, tuple]:
    """{id: (values in COLUMNS order..., colour key)}; the list shows the COLUMNS, the colour key is last.
    ID number and phone come masked unless this session may see them in full (role and setting)."""
    today = today or dt.date.today()
    full = office_settings.full_ids_shown()
    out: dict[int, tuple] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        sql = _row_sql(",".join("?" * len(chunk)))
        for r in db_proxy.execute_sql(sql, [today.isoformat(), today.isoformat(), *chunk]):
            colour = rules.case_colour(status=r[12], planned_end_date=_date(r[11]), positive=bool(r[16]),
                                       test_due=bool(r[17]), test_overdue=bool(r[18]), today=today)
            number, phone = (r[3] or "", r[4] or "") if full else (mask_id(r[3] or ""), mask_phone(r[4] or ""))
            out[r[0]] = (r[1], r[2], number, phone, r[5], r[6], r[7], r[8], r[9] or "", r[10], r[11],
                         r[15] or "", r[12], r[13], r[19] or "", r[14], colour)
    return out


def iter_rows(ids: list[int], block: int = 2000, today: dt.date | None = None) -> Iterator[tuple]:
    for start in range(0, len(ids), block):
        chunk = ids[start:start + block]
        rows = load_rows(chunk, today)
        for cid in chunk:
            if cid in rows:
                yield rows[cid]


def find_open_case(id_number: str) -> QuarantineCase | None:
    return (QuarantineCase.select().where((QuarantineCase.id_number == id_number)
                                          & QuarantineCase.status.in_(rules.OPEN_STATUSES))
            .order_by(QuarantineCase.id.desc()).first())


# --- forms ---------------------------------------------------------------------------------
FORM_FIELDS = ("name", "gender", "id_number", "phone", "address", "community_id", "building", "source",
               "found_by", "found_how", "classification", "origin", "arrival_date", "transport", "measure",
               "start_date", "planned_end", "end_change_reason", "status", "verbal_notice_date",
               "written_notice_date", "home_possible", "home_comment", "supplies_ok", "supplies_comment",
               "follow_up_worker", "notes")


def get_form(case_id: int) -> dict:
    c = QuarantineCase.get_by_id(case_id)
    out = {}
    for key in FORM_FIELDS:
        if key == "community_id":
            out[key] = c.community_id
        elif key == "building":
            out[key] = c.building.name if c.building_id else ""
        else:
            value = getattr(c, key)
            out[key] = value.isoformat() if isinstance(value, dt.date) else ("" if value is None else value)
    out.update(resident_id=c.resident_id, previous_end=c.previous_end.isoformat() if c.previous_end else "",
               release_date=c.release_date.isoformat() if c.release_date else "", release_kind=c.release_kind,
               release_approved_by=c.release_approved_by, release_reason=c.release_reason,
               push_batch_id=c.push_batch_id, push_row=c.push_row, version=c.version)
    if not session.current.can_see_full_ids:  # a read-only session sees the form, not the full numbers
        out.update(id_number=mask_id(out["id_number"]), phone=mask_phone(out["phone"]))
    return out


def _link_resident(values: dict) -> dict:
    """Link the case to a registry resident with the same ID number and fill what the case lacks."""
    extra = {"resident": None, "building": None}
    if values["id_number"]:
        r = Resident.get_or_none(Resident.id_number == values["id_number"])
        if r is not None:
            extra["resident"] = r.id
            values["phone"] = values["phone"] or r.phone
            values["address"] = values["address"] or r.address
            values["community_id"] = values["community_id"] or r.community_id
            extra["building"] = r.building_id
    if values["building"] and values["community_id"]:
        extra["building"] = Building.get_or_create(community=values["community_id"], name=values["building"])[0].id
    return extra


STORED = ("name", "gender", "id_number", "phone", "address", "source", "found_by", "found_how", "classification",
          "origin", "arrival_date", "transport", "measure", "start_date", "status", "verbal_notice_date",
          "written_notice_date", "home_possible", "home_comment", "supplies_ok", "supplies_comment",
          "follow_up_worker", "notes", "search_text")


def create_case(raw: dict, *, today: dt.date | None = None, push_batch: int | None = None,
                push_row: int | None = None) -> int:
    """Register a new case with its test schedule and daily follow-ups. Raises FormErrors."""
    session.require_write()
    today = today or dt.date.today()
    values = clean_case(raw, today=today)
    policy = policies()[values["measure"]]
    with transaction():
        dialect.one_writer_at_a_time(ID_NUMBER_LOCK)  # an import or a colleague registering the same person
        if values["id_number"]:
            other = find_open_case(values["id_number"])
            if other is not None:
                raise FormErrors({"id_number": f"该身份证号已有在管记录：{other.name}（{other.status}，"
                                               f"计划解除 {other.planned_end:%Y-%m-%d}），请打开该记录修改"})
        extra = _link_resident(values)
        end = values["planned_end"] or rules.planned_end(values["start_date"], policy.days)
        row = {k: values[k] for k in STORED}
        case = QuarantineCase.create(**row, planned_end=end, community=values["community_id"],
                                     building=extra["building"], resident=extra["resident"],
                                     push_batch=push_batch, push_row=push_row)
        generate_schedule(case.id, values["start_date"], end, policy)
        audit.record("新增", TABLE, case.id, f"登记{values['source']}人员 {values['name']}（{values['measure']}，"
                     f"{values['start_date']:%m月%d日}至{end:%m月%d日}）")
    return case.id


def generate_schedule(case_id: int, start: dt.date, end: dt.date, policy: rules.Policy) -> None:
    """The planned tests and daily follow-ups of a new case, written in one transaction (create_case's)."""
    session.require_write()
    tests = [(case_id, n, d.isoformat()) for n, d in rules.test_schedule(start, policy) if d <= end]
    if not tests or tests[-1][2] != end.isoformat():
        tests.append((case_id, rules.day_no(start, end), end.isoformat()))
    with transaction():
        cursor = db_proxy.cursor()
        cursor.executemany("INSERT INTO nucleic_test (case_id, day_no, planned_date) VALUES (?, ?, ?)", tests)
        cursor.executemany("INSERT INTO follow_up (case_id, day_no, date) VALUES (?, ?, ?)",
                           [(case_id, n, d.isoformat()) for n, d in rules.follow_up_days(start, end)])


def update_case(case_id: int, raw: dict, *, today: dt.date | None = None, loaded: dict | None = None) -> None:
    """Save an edited case. A moved planned end needs a reason and keeps the previous end. `loaded`: the get_form
    the form was filled from; its changes are written over the version it loaded (record_versions). Raises
    FormErrors, EditConflict."""
    session.require_write()
    with transaction():
        dialect.one_writer_at_a_time(ID_NUMBER_LOCK)  # before begin's row lock: an import may hold both
        edit = record_versions.begin(QuarantineCase, TABLE, case_id, raw, loaded, get_form)
        raw, old = edit.raw, edit.theirs
        merged = {**raw, "start_date": old["start_date"], "measure": old["measure"],
                  "status": raw.get("status") or old["status"]}
        if raw.get("status") in (vocabulary.CASE_RELEASED, vocabulary.CASE_TRANSFERRED) and old["status"] != raw.get("status"):
            raise FormErrors({"status": "解除或转出请用“解除隔离”，以便检查核酸结果并记下解除方式"})
        positive = (vocabulary.CASE_POSITIVE, vocabulary.CASE_MOVED)
        if merged["status"] != old["status"] and (merged["status"] in positive or old["status"] in positive):
            raise FormErrors({"status": "阳性请在核酸检测中登记；转运用“登记转运”；更正阳性须由管理员填写原因"})
        values = clean_case(merged, today=today)
        if values["id_number"]:
            other = find_open_case(values["id_number"])
            if other is not None and other.id != case_id:
                raise FormErrors({"id_number": f"该身份证号已有在管记录：{other.name}"})
        extra = _link_resident(values)
        row = {k: values[k] for k in STORED}
        record_versions.update_versioned(QuarantineCase, case_id, {
            **row, "community": values["community_id"], "building": extra["building"],
            "resident": extra["resident"] or old["resident_id"]}, edit.version)
        new_end = values["planned_end"]
        if new_end and new_end.isoformat() != old["planned_end"]:  # after the versioned write: it moves the version
            _change_end(case_id, new_end, values["end_change_reason"])
        view = {k: (v.isoformat() if isinstance(v, dt.date) else ("" if v is None else v)) for k, v in values.items()}
        changes = audit.diff({k: ("" if v is None else v) for k, v in old.items()
                              if k not in ("planned_end", "end_change_reason")},
                             {k: view[k] for k in FORM_FIELDS if k in view and k not in ("planned_end",
                                                                                          "end_change_reason")})
        if changes:
            audit.record("修改", TABLE, case_id, f"修改隔离人员 {values['name']}", changes)


def change_end(case_id: int, new_end: dt.date, reason: str) -> str:
    """延长 / 缩短 the planned end of a case; returns the kind."""
    session.require_write()
    with transaction():
        return _change_end(case_id, new_end, reason)


def _change_end(case_id: int, new_end: dt.date, reason: str) -> str:
    case = QuarantineCase.get_by_id(case_id)
    kind = rules.check_end_change(case.start_date, case.planned_end, new_end, reason)
    old_end = case.planned_end
    QuarantineCase.update(planned_end=new_end, previous_end=old_end, end_change_reason=reason.strip()).where(
        QuarantineCase.id == case_id).execute()
    # tests not yet sampled after the new end go; the final test falls on the new end
    NucleicTest.delete().where((NucleicTest.case == case_id) & NucleicTest.sampling_date.is_null()
                               & (NucleicTest.planned_date > new_end)).execute()
    last = NucleicTest.select(NucleicTest.planned_date).where(NucleicTest.case == case_id).order_by(
        NucleicTest.planned_date.desc()).first()
    if last is None or last.planned_date < new_end:
        NucleicTest.create(case=case_id, day_no=rules.day_no(case.start_date, new_end), planned_date=new_end)
    FollowUp.delete().where((FollowUp.case == case_id) & (FollowUp.date > new_end)
                            & (FollowUp.status == "未执行")).execute()
    existing = {f.day_no for f in FollowUp.select(FollowUp.day_no).where(FollowUp.case == case_id)}
    missing = [(case_id, n, d.isoformat()) for n, d in rules.follow_up_days(case.start_date, new_end)
               if n not in existing]
    if missing:
        db_proxy.cursor().executemany("INSERT INTO follow_up (case_id, day_no, date) VALUES (?, ?, ?)", missing)
    audit.record(kind, TABLE, case_id, f"{kind}隔离：计划解除日期 {old_end:%Y-%m-%d} → {new_end:%Y-%m-%d}，原因：{reason}",
                 {"planned_end": (old_end, new_end)})
    return kind


def test_states(case_id: int) -> list[rules.TestState]:
    return [rules.TestState(t.planned_date, t.sampling_date, t.result)
            for t in NucleicTest.select().where(NucleicTest.case == case_id)]


def release(case_id: int, kind: str, release_date: dt.date | None = None, *, approved_by: str = "",
            reason: str = "") -> str:
    """解除隔离 (or 转出): checks the release rules, sets status, date and kind. Returns the new status."""
    session.require_write()
    release_date = release_date or dt.date.today()
    with transaction():
        case = QuarantineCase.get_by_id(case_id)
        status = rules.check_release(status=case.status, kind=kind, release_date=release_date,
                                     planned_end_date=case.planned_end, tests=test_states(case_id),
                                     approved_by=approved_by, reason=reason)
        QuarantineCase.update(status=status, release_date=release_date, release_kind=kind,
                              release_approved_by=approved_by.strip(), release_reason=reason.strip(),
                              updated_at=dt.datetime.now().replace(microsecond=0)).where(
            QuarantineCase.id == case_id).execute()
        FollowUp.delete().where((FollowUp.case == case_id) & (FollowUp.date > release_date)
                                & (FollowUp.status == "未执行")).execute()
        NucleicTest.delete().where((NucleicTest.case == case_id) & NucleicTest.sampling_date.is_null()
                                   & (NucleicTest.planned_date > release_date)).execute()
        who = f"，批准人：{approved_by}" if approved_by else ""
        audit.record("解除", TABLE, case_id, f"{kind} {case.name}（{release_date:%Y-%m-%d}）{who}{'，' + reason if reason else ''}",
                     {"status": (case.status, status), "release_date": (None, release_date)})
    return status


def history(case_id: int) -> list[dict]:
    return audit.history(TABLE, case_id)


def convert_to_resident(case_id: int, community_id: int | None = None) -> int:
    """Register the person of a case in the resident registry in one step; the case is linked to it."""
    from . import residents

    session.require_write()
    case = QuarantineCase.get_by_id(case_id)
    if case.resident_id:
        raise ValidationError(f"{case.name} 已在居民台账中")
    community = community_id or case.community_id
    if not community:
        raise ValidationError("请先在“所属社区”中选择社区，再转为居民登记")
    with transaction():
        rid = residents.save({"name": case.name, "id_number": case.id_number or "", "gender": case.gender,
                              "phone": case.phone, "community_id": community,
                              "building": case.building.name if case.building_id else "",
                              "address": "" if case.building_id else case.address,
                              "residence_status": "常住", "notes": f"由隔离管控台账转入（{case.measure}）"})
        QuarantineCase.update(resident=rid, community=community).where(QuarantineCase.id == case_id).execute()
        audit.record("转为居民", TABLE, case_id, f"{case.name} 登记到居民台账", {"resident_id": (None, rid)})
    return rid
