"""What belongs to a quarantine case: nucleic-acid tests, daily follow-ups, special needs; the today
view (今日) and the bulk actions on a selection. Every change is audited under its case.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from .. import dialect, session, vocabulary
from ..db import transaction
from ..models import FollowUp, NucleicTest, QuarantineCase, SpecialNeed, db_proxy
from ..rules import quarantine as rules
from ..rules.masking import mask_phone
from ..rules.text import ValidationError, clean_text
from . import audit
from . import settings as office_settings
from .quarantine import TABLE, release


# --- tests ---------------------------------------------------------------------------------
def tests_of(case_id: int) -> list[dict]:
    rows = NucleicTest.select().where(NucleicTest.case == case_id).order_by(NucleicTest.planned_date, NucleicTest.id)
    return [{"id": t.id, "day_no": t.day_no, "planned_date": t.planned_date, "sampling_date": t.sampling_date,
             "institution": t.institution, "result": t.result, "result_date": t.result_date,
             "brought_forward": t.brought_forward, "notes": t.notes} for t in rows]


def _case_name(case_id: int) -> str:
    return QuarantineCase.select(QuarantineCase.name).where(QuarantineCase.id == case_id).scalar() or ""


def record_result(test_id: int, result: str, *, sampling_date: dt.date | None = None,
                  result_date: dt.date | None = None, institution: str = "") -> None:
    """Record a test result (阴性 / 阳性 / 待出). A test without a sampling date is taken as sampled on its
    planned date (or today, if earlier)."""
    session.require_write()
    if result not in rules.RESULTS:
        raise ValidationError(f"检测结果只能是 {' / '.join(rules.RESULTS)}")
    today = dt.date.today()
    with transaction():
        test = NucleicTest.get_by_id(test_id)
        if test.result == vocabulary.RESULT_POSITIVE and result != vocabulary.RESULT_POSITIVE:
            raise ValidationError("阳性结果只能由管理员填写原因后更正（核酸检测页的“更正阳性…”）")
        sampled = sampling_date or test.sampling_date or min(test.planned_date, today)
        if result != vocabulary.RESULT_PENDING:
            result_date = result_date or max(sampled, min(today, sampled + dt.timedelta(days=1)))
            if result_date < sampled:
                raise ValidationError("出结果日期不能早于采样日期")
        NucleicTest.update(result=result, sampling_date=sampled, result_date=result_date if result != vocabulary.RESULT_PENDING else None,
                           institution=clean_text(institution) or test.institution).where(
            NucleicTest.id == test_id).execute()
        audit.record("核酸结果", TABLE, test.case_id,
                     f"{_case_name(test.case_id)} 第{test.day_no}天核酸（{sampled:%m月%d日}采样）：{result}",
                     {"result": (test.result, result), "sampling_date": (test.sampling_date, sampled)})
        if result == vocabulary.RESULT_POSITIVE:
            _mark_positive(test.case_id, sampled)


def _mark_positive(case_id: int, sampled: dt.date) -> None:
    """A positive result: an open case becomes 阳性待转运 (out of every release list, on top of 今日)."""
    case = QuarantineCase.get_by_id(case_id)
    if case.status in rules.OPEN_STATUSES:
        QuarantineCase.update(status=vocabulary.CASE_POSITIVE, positive_date=sampled,
                              updated_at=dt.datetime.now().replace(microsecond=0)).where(
            QuarantineCase.id == case_id).execute()
        audit.record("阳性", TABLE, case_id, f"{case.name} 核酸阳性（{sampled:%m月%d日}采样），转为{vocabulary.CASE_POSITIVE}",
                     {"status": (case.status, vocabulary.CASE_POSITIVE), "positive_date": (None, sampled)})
    elif case.positive_date is None or sampled < case.positive_date:
        QuarantineCase.update(positive_date=sampled).where(QuarantineCase.id == case_id).execute()


def mark_sampled(test_id: int, sampling_date: dt.date | None = None, institution: str = "") -> None:
    record_result(test_id, vocabulary.RESULT_PENDING, sampling_date=sampling_date or dt.date.today(), institution=institution)


def bring_forward(test_id: int, new_date: dt.date) -> None:
    """提前检测: move a planned test earlier; the later tests not yet sampled follow."""
    session.require_write()
    with transaction():
        test = NucleicTest.get_by_id(test_id)
        if test.sampling_date is not None:
            raise ValidationError("该次检测已采样，不能再提前")
        schedule = list(NucleicTest.select().where(NucleicTest.case == test.case_id)
                        .order_by(NucleicTest.planned_date, NucleicTest.id))
        index = [t.id for t in schedule].index(test_id)
        dates = rules.bring_forward([(t.id, t.planned_date, t.sampling_date is not None) for t in schedule],
                                    index, new_date)
        for t, date in zip(schedule, dates, strict=True):
            if date != t.planned_date:
                NucleicTest.update(planned_date=date, brought_forward=True).where(NucleicTest.id == t.id).execute()
        audit.record("提前检测", TABLE, test.case_id,
                     f"{_case_name(test.case_id)} 第{test.day_no}天核酸提前到 {new_date:%m月%d日}，后续检测随之提前")


def add_test(case_id: int, planned_date: dt.date, note: str = "") -> int:
    session.require_write()
    with transaction():
        case = QuarantineCase.get_by_id(case_id)
        test = NucleicTest.create(case=case_id, day_no=rules.day_no(case.start_date, planned_date),
                                  planned_date=planned_date, notes=clean_text(note))
        audit.record("加检", TABLE, case_id, f"{case.name} 增加核酸检测 {planned_date:%m月%d日}")
    return test.id


# --- follow-ups ----------------------------------------------------------------------------
def follow_ups_of(case_id: int) -> list[dict]:
    rows = FollowUp.select().where(FollowUp.case == case_id).order_by(FollowUp.day_no)
    return [{"id": f.id, "day_no": f.day_no, "date": f.date, "status": f.status, "temperature": f.temperature,
             "symptoms": f.symptoms, "method": f.method, "by_whom": f.by_whom} for f in rows]


def _temperature(value: object) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        t = Decimal(str(value).strip()).quantize(Decimal("0.1"))
    except InvalidOperation:
        raise ValidationError(f"体温“{value}”不是数字，例如 36.5") from None
    if not Decimal("34") <= t <= Decimal("43"):
        raise ValidationError(f"体温 {t} 不合理（应在 34 到 43 之间）")
    return t


def record_follow_up(follow_up_id: int, status: str, *, temperature: object = None, symptoms: str = "",
                     method: str = "电话", by_whom: str = "") -> None:
    session.require_write()
    if status not in rules.FOLLOW_UP_STATUSES:
        raise ValidationError(f"监测情况只能是 {' / '.join(rules.FOLLOW_UP_STATUSES)}")
    if method and method not in rules.FOLLOW_UP_METHODS:
        raise ValidationError("监测方式只能是 电话 或 上门")
    temp = _temperature(temperature)
    if status == "异常" and not (symptoms.strip() or temp):
        raise ValidationError("情况异常时请填写体温或症状")
    with transaction():
        fu = FollowUp.get_by_id(follow_up_id)
        FollowUp.update(status=status, temperature=temp, symptoms=clean_text(symptoms), method=method,
                        by_whom=clean_text(by_whom) or session.current.user).where(FollowUp.id == follow_up_id).execute()
        audit.record("健康监测", TABLE, fu.case_id,
                     f"{_case_name(fu.case_id)} 第{fu.day_no}天健康监测：{status}" + (f"，体温 {temp}" if temp else ""))


# --- special needs -------------------------------------------------------------------------
def needs_of(case_id: int) -> list[dict]:
    rows = SpecialNeed.select().where(SpecialNeed.case == case_id).order_by(SpecialNeed.need_date, SpecialNeed.id)
    return [{"id": n.id, "kind": n.kind, "content": n.content, "need_date": n.need_date, "handler": n.handler,
             "status": n.status, "outcome": n.outcome} for n in rows]


def add_need(case_id: int, kind: str, content: str, need_date: dt.date | None, handler: str = "") -> int:
    session.require_write()
    if kind not in rules.NEED_KINDS:
        raise ValidationError(f"需求类别只能是 {' / '.join(rules.NEED_KINDS)}")
    text = clean_text(content, max_length=200, field_label="需求内容")
    if not text:
        raise ValidationError("请填写需要什么")
    with transaction():
        need = SpecialNeed.create(case=case_id, kind=kind, content=text, need_date=need_date,
                                  handler=clean_text(handler))
        when = f"（{need_date:%m月%d日}）" if need_date else ""
        audit.record("特殊需求", TABLE, case_id, f"{_case_name(case_id)} 新增{kind}需求{when}：{text}")
    return need.id


def update_need(need_id: int, *, status: str | None = None, outcome: str | None = None,
                handler: str | None = None, need_date: dt.date | None = None) -> None:
    session.require_write()
    if status is not None and status not in rules.NEED_STATUSES:
        raise ValidationError(f"需求状态只能是 {' / '.join(rules.NEED_STATUSES)}")
    with transaction():
        need = SpecialNeed.get_by_id(need_id)
        changes = {}
        for key, value in (("status", status), ("outcome", outcome), ("handler", handler), ("need_date", need_date)):
            if value is not None and getattr(need, key) != value:
                changes[key] = (getattr(need, key), value)
                setattr(need, key, clean_text(value, max_length=200) if isinstance(value, str) else value)
        if not changes:
            return
        need.updated_at = dt.datetime.now().replace(microsecond=0)
        need.save()
        audit.record("特殊需求", TABLE, need.case_id, f"{_case_name(need.case_id)} {need.kind}需求：{need.status}"
                     + (f"，{need.outcome}" if need.outcome else ""), changes)


# --- today view ----------------------------------------------------------------------------
TODAY_SECTIONS = {  # key: (title, headers)
    "positives": ("阳性待转运", ["姓名", "现居住地址", "联系电话", "阳性采样日期", "人员分类", "状态"]),
    "tests_due": ("今日应检核酸", ["姓名", "现居住地址", "联系电话", "第几天", "计划日期", "检测机构"]),
    "results_pending": ("结果待出", ["姓名", "现居住地址", "联系电话", "第几天", "采样日期", "检测机构"]),
    "releases": ("今明应解除", ["姓名", "现居住地址", "管控措施", "计划解除日期", "最后核酸", "状态"]),
    "needs": ("今日特殊需求", ["姓名", "涉及日期", "类别", "需求内容", "负责人", "状态"]),
    "follow_ups": ("今日健康监测未完成", ["姓名", "现居住地址", "联系电话", "第几天", "健康监测责任人", "状态"]),
}
_OPEN = f"q.status IN ({vocabulary.sql_list(vocabulary.CASE_OPEN_STATUSES)})"


def today_ids(section: str, today: dt.date | None = None) -> list[int]:
    """Ids for a today-view section: test ids, case ids (releases), need ids or follow-up ids."""
    day = today or dt.date.today()
    d = day.isoformat()
    if section == "positives":
        sql = "SELECT q.id FROM quarantine_case q WHERE q.status = ? ORDER BY q.positive_date NULLS FIRST, q.id"
        params = [vocabulary.CASE_POSITIVE]
    elif section == "tests_due":
        sql = (f"SELECT t.id FROM nucleic_test t JOIN quarantine_case q ON q.id = t.case_id WHERE {_OPEN} "
               "AND t.sampling_date IS NULL AND t.planned_date <= ? ORDER BY t.planned_date, q.address, t.id")
        params = [d]
    elif section == "results_pending":
        sql = (f"SELECT t.id FROM nucleic_test t JOIN quarantine_case q ON q.id = t.case_id WHERE {_OPEN} "
               "AND t.sampling_date IS NOT NULL AND t.result = '待出' ORDER BY t.sampling_date, t.id")
        params = []
    elif section == "releases":
        tomorrow = (dt.date.fromisoformat(d) + dt.timedelta(days=1)).isoformat()
        sql = f"SELECT q.id FROM quarantine_case q WHERE {_OPEN} AND q.planned_end <= ? ORDER BY q.planned_end, q.id"
        params = [tomorrow]
    elif section == "needs":
        # a need shows from its lead time before its date (a 12-03 appointment to move: from 11-30)
        sql = ("SELECT n.id FROM special_need n JOIN quarantine_case q ON q.id = n.case_id "
               "WHERE n.need_date <= ? AND n.status != '已办结' ORDER BY n.need_date, n.id")
        params = [(day + dt.timedelta(days=need_lead_days())).isoformat()]
    elif section == "follow_ups":
        sql = (f"SELECT f.id FROM follow_up f JOIN quarantine_case q ON q.id = f.case_id WHERE {_OPEN} "
               "AND f.date = ? AND f.status = '未执行' ORDER BY q.follow_up_worker, q.address, f.id")
        params = [d]
    else:
        raise KeyError(section)
    return [r[0] for r in db_proxy.execute_sql(sql, params).fetchall()]


_TODAY_ROW_SQL = {
    "positives": "SELECT q.id, q.name, q.address, q.phone, q.positive_date, q.classification, q.status, q.id "
                 "FROM quarantine_case q WHERE q.id IN ({m})",
    "tests_due": "SELECT t.id, q.name, q.address, q.phone, '第' || t.day_no || '天', t.planned_date, t.institution, "
                 "t.case_id FROM nucleic_test t JOIN quarantine_case q ON q.id = t.case_id WHERE t.id IN ({m})",
    "results_pending": "SELECT t.id, q.name, q.address, q.phone, '第' || t.day_no || '天', t.sampling_date, "
                       "t.institution, t.case_id FROM nucleic_test t JOIN quarantine_case q ON q.id = t.case_id "
                       "WHERE t.id IN ({m})",
    "releases": "SELECT q.id, q.name, q.address, q.measure, q.planned_end, (SELECT CASE WHEN t.sampling_date "
                "IS NULL THEN '未采样' ELSE t.result END || '（' || {last_test} || '）' "
                "FROM nucleic_test t WHERE t.case_id = q.id "
                "ORDER BY t.planned_date DESC, t.id DESC LIMIT 1), q.status, q.id FROM quarantine_case q "
                "WHERE q.id IN ({m})",
    "needs": "SELECT n.id, q.name, n.need_date, n.kind, n.content, n.handler, n.status, n.case_id FROM special_need n "
             "JOIN quarantine_case q ON q.id = n.case_id WHERE n.id IN ({m})",
    "follow_ups": "SELECT f.id, q.name, q.address, q.phone, '第' || f.day_no || '天', q.follow_up_worker, f.status, "
                  "f.case_id FROM follow_up f JOIN quarantine_case q ON q.id = f.case_id WHERE f.id IN ({m})",
}


_TODAY_PHONE_AT = {"positives": 2, "tests_due": 2, "results_pending": 2, "follow_ups": 2}


def load_today_rows(section: str, ids: list[int], today: dt.date | None = None) -> dict[int, tuple]:
    """{id: (six display values..., case id)}; phones masked unless this session may see them in full.
    A need's date reads against `today` ('12-03（还有3天）')."""
    phone_at = _TODAY_PHONE_AT.get(section)
    day = today or dt.date.today()
    out: dict[int, tuple] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        sql = _TODAY_ROW_SQL[section].format(m=",".join("?" * len(chunk)),
                                             last_test=dialect.text_of("COALESCE(t.sampling_date, t.planned_date)"))
        for r in db_proxy.execute_sql(sql, chunk):
            row = tuple("" if v is None else v for v in r[1:])
            if section == "needs":
                row = (row[0], rules.need_when(dt.date.fromisoformat(str(row[1])[:10]) if row[1] else None, day),
                       *row[2:])
            out[r[0]] = row
    if phone_at is not None and not office_settings.full_ids_shown():  # masked as in every list
        out = {k: (*row[:phone_at], mask_phone(row[phone_at] or ""), *row[phone_at + 1:]) for k, row in out.items()}
    return out


def need_lead_days() -> int:
    """特殊需求提前提醒天数 (office setting, default 3)."""
    try:
        return rules.check_lead_days(office_settings.get(rules.NEED_LEAD_SETTING, rules.DEFAULT_NEED_LEAD_DAYS))
    except ValidationError:
        return rules.DEFAULT_NEED_LEAD_DAYS


def set_need_lead_days(value: object) -> int:
    session.require_write()
    days = rules.check_lead_days(value)
    office_settings.put(rules.NEED_LEAD_SETTING, days)
    return days


def today_counts(today: dt.date | None = None) -> dict[str, int]:
    return {key: len(today_ids(key, today)) for key in TODAY_SECTIONS}


# --- bulk actions --------------------------------------------------------------------------
def _append_notes(case_ids: list[int], line: str, day: dt.date) -> None:
    for case in QuarantineCase.select(QuarantineCase.id, QuarantineCase.notes).where(QuarantineCase.id.in_(case_ids)):
        QuarantineCase.update(notes=rules.append_note(case.notes, line, day)).where(
            QuarantineCase.id == case.id).execute()


def bulk_assign_worker(case_ids: list[int], worker: str, today: dt.date | None = None) -> int:
    session.require_write()
    name = clean_text(worker, max_length=30, field_label="健康监测责任人")
    if not name:
        raise ValidationError("请填写健康监测责任人")
    day = today or dt.date.today()
    with transaction():
        for cid in case_ids:
            old = QuarantineCase.get_by_id(cid).follow_up_worker
            QuarantineCase.update(follow_up_worker=name).where(QuarantineCase.id == cid).execute()
            audit.record("批量修改", TABLE, cid, f"健康监测责任人：{name}", {"follow_up_worker": (old, name)})
        _append_notes(case_ids, f"指定健康监测责任人：{name}", day)
    return len(case_ids)


def bulk_verify(case_ids: list[int], today: dt.date | None = None) -> int:
    """待核实 -> 管控中 for the selected cases (the office has reached the person)."""
    session.require_write()
    day = today or dt.date.today()
    with transaction():
        pending = [c.id for c in QuarantineCase.select(QuarantineCase.id).where(
            QuarantineCase.id.in_(case_ids) & (QuarantineCase.status == vocabulary.CASE_PENDING))]
        for cid in pending:
            QuarantineCase.update(status=vocabulary.CASE_UNDER_CONTROL).where(QuarantineCase.id == cid).execute()
            audit.record("核实", TABLE, cid, f"{_case_name(cid)} 已核实，转为管控中", {"status": (vocabulary.CASE_PENDING, vocabulary.CASE_UNDER_CONTROL)})
        _append_notes(pending, "已核实，转为管控中", day)
    return len(pending)


def bulk_set_test_date(case_ids: list[int], test_date: dt.date, today: dt.date | None = None) -> int:
    """The next test not yet sampled of each case moves to test_date (a test is added if none is left)."""
    session.require_write()
    day = today or dt.date.today()
    with transaction():
        for cid in case_ids:
            case = QuarantineCase.get_by_id(cid)
            nxt = (NucleicTest.select().where((NucleicTest.case == cid) & NucleicTest.sampling_date.is_null())
                   .order_by(NucleicTest.planned_date).first())
            if nxt is None:
                NucleicTest.create(case=cid, day_no=rules.day_no(case.start_date, test_date), planned_date=test_date)
            else:
                NucleicTest.update(planned_date=test_date, day_no=rules.day_no(case.start_date, test_date)).where(
                    NucleicTest.id == nxt.id).execute()
            audit.record("批量修改", TABLE, cid, f"{case.name} 核酸检测日期定为 {test_date:%m月%d日}")
        _append_notes(case_ids, f"统一安排核酸检测：{test_date:%m月%d日}", day)
    return len(case_ids)


def bulk_release(case_ids: list[int], kind: str, reason: str, *, approved_by: str = "",
                 release_date: dt.date | None = None) -> tuple[int, list[tuple[int, str, str]]]:
    """Release each case with the same reason. Returns (released, [(case id, name, why refused)])."""
    session.require_write()
    day = release_date or dt.date.today()
    done, refused = [], []
    with transaction():
        for cid in case_ids:
            try:
                with transaction():
                    release(cid, kind, day, approved_by=approved_by, reason=reason)
                done.append(cid)
            except ValidationError as exc:
                refused.append((cid, _case_name(cid), exc.message))
        if done:
            _append_notes(done, f"{kind}：{reason}" if reason else kind, day)
    return len(done), refused
