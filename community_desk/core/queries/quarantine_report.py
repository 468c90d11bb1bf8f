"""The day's quarantine ledger for the higher office (隔离管控日报): which cases, their rows as of
that day, and the day's counts by classification and measure; and the rows of the printed notices (居家隔离通知).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from peewee import JOIN

from .. import dialect, session, vocabulary
from ..models import Community, QuarantineCase, db_proxy
from ..rules import quarantine as rules
from ..rules.idcard import age_on
from ..rules.masking import mask_id, mask_phone
from . import settings as office_settings

FIXED_HEADERS = ["序号", "姓名", "性别", "身份证号", "联系电话", "年龄", "所属社区", "现居住地址", "来源(市派/自排)",
                 "人员分类", "出发地", "交通方式", "返京日期", "管控措施", "隔离起始日期", "计划解除日期"]
TAIL_HEADERS = ["体温/健康状况", "健康监测责任人", "特殊需求", "状态", "集中隔离地点", "解除日期", "解除方式", "批准人", "备注"]
COUNT_HEADERS = ["分组", "项目", "在管人数", "今日新增", "今日解除", "今日核酸", "今日新增阳性", "累计阳性"]
UNCLASSIFIED = "未分类"
NOT_SAMPLED = "未采样"


def nucleic_header(day_no: int) -> str:
    return f"第{day_no}天核酸"


def daily_headers(test_days: list[int]) -> list[str]:
    """The ledger's columns: the person, the measure, one column per scheduled test day, then the follow-up,
    the needs, the status and the release."""
    return FIXED_HEADERS + [nucleic_header(d) for d in test_days] + TAIL_HEADERS


def report_test_days(ids: list[int]) -> list[int]:
    """The test days the report has columns for: those of every measure's policy (as the office set it) and any
    other day a case of the report has a test on (a case created under an older policy)."""
    stored = office_settings.get(rules.POLICY_SETTING, {}) or {}
    days = {d for m in rules.MEASURES for d in rules.policy_for(m, stored).test_days}
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        marks = ",".join("?" * len(chunk))
        days.update(r[0] for r in db_proxy.execute_sql(
            f"SELECT DISTINCT day_no FROM nucleic_test WHERE case_id IN ({marks})", chunk))
    return sorted(days)


DAILY_HEADERS = daily_headers(sorted(set(rules.DEFAULT_POLICIES["居家隔离"]["test_days"])))  # with the default days
ID_INDEX = FIXED_HEADERS.index("身份证号")
PHONE_INDEX = FIXED_HEADERS.index("联系电话")


def daily_ids(day: dt.date, classification: str | None = None) -> list[int]:
    """Cases under control at some time of the day (released that day included), by address."""
    sql = ("SELECT id FROM quarantine_case WHERE start_date <= ? AND (release_date IS NULL OR release_date >= ?)")
    params: list = [day.isoformat(), day.isoformat()]
    if classification is not None:
        sql += " AND (CASE WHEN classification = '' THEN ? ELSE classification END) = ?"
        params += [UNCLASSIFIED, classification]
    sql += " ORDER BY classification, community_id NULLS FIRST, address, id"
    return [r[0] for r in db_proxy.execute_sql(sql, params)]


_ROWS = """
SELECT q.id, q.name, q.gender, q.id_number, q.phone, r.birth_date, c.name, q.address, q.source, q.classification,
       q.origin, q.transport, q.arrival_date, q.measure, q.start_date, q.planned_end,
       (SELECT {follow_up_date} || ' ' || CASE WHEN f.temperature IS NULL THEN ''
                                          ELSE CAST(ROUND(f.temperature, 1) AS TEXT) || '℃ ' END
               || f.status || CASE WHEN f.symptoms != '' THEN '：' || f.symptoms ELSE '' END
          FROM follow_up f WHERE f.case_id = q.id AND f.date <= :d AND f.status != '未执行'
         ORDER BY f.date DESC, f.id DESC LIMIT 1),
       q.follow_up_worker,
       (SELECT {needs}
          FROM special_need n WHERE n.case_id = q.id AND (n.status != '已办结' OR n.need_date = :d)),
       CASE WHEN q.release_date IS NOT NULL AND q.release_date <= :d THEN q.status
            WHEN q.positive_date IS NOT NULL AND q.positive_date <= :d THEN '{positive}'
            WHEN q.status IN ({closed}) OR q.status = '{positive}' THEN '{under_control}' ELSE q.status END,
       CASE WHEN q.transfer_date IS NOT NULL AND q.transfer_date <= :d THEN q.transfer_site ELSE '' END,
       CASE WHEN q.release_date IS NOT NULL AND q.release_date <= :d THEN q.release_date END,
       CASE WHEN q.release_date IS NOT NULL AND q.release_date <= :d THEN q.release_kind ELSE '' END,
       CASE WHEN q.release_date IS NOT NULL AND q.release_date <= :d THEN q.release_approved_by ELSE '' END,
       q.notes
FROM quarantine_case q
LEFT JOIN resident r ON r.id = q.resident_id
LEFT JOIN community c ON c.id = q.community_id
WHERE q.id IN ({marks})
"""

_CLOSED = vocabulary.sql_list(vocabulary.CASE_CLOSED_STATUSES)
_NEED = ("COALESCE(substr({need_date}, 6), '') || n.kind || '：' || n.content "
         "|| CASE WHEN n.status = '已办结' THEN '（已办结）' ELSE '' END")


def _rows_sql(marks: str) -> str:
    """_ROWS for the engine open now (a date as text; the needs joined in id order, as SQLite reads them)."""
    needs = dialect.group_concat_ordered(_NEED.format(need_date=dialect.text_of("n.need_date")), "；", "n.id")
    return _ROWS.format(marks=marks, closed=_CLOSED, under_control=vocabulary.CASE_UNDER_CONTROL,
                        positive=vocabulary.CASE_POSITIVE, follow_up_date=dialect.text_of("f.date"), needs=needs)


_TESTS = """
SELECT case_id, day_no, planned_date, sampling_date, result, result_date FROM nucleic_test
WHERE case_id IN ({marks}) ORDER BY case_id, day_no, COALESCE(sampling_date, planned_date), id
"""


def _short(iso: str) -> str:
    return iso[5:10] if iso else ""


def nucleic_cell(planned: str, sampled: str | None, result: str, result_date: str | None, day: str) -> str:
    """One test as of the end of `day`: '08-05 阴性' / '08-05 待出' (sampled, result not out that day) /
    '08-08 未采样' (planned, due, no sample) / '' (not due yet)."""
    if sampled and sampled <= day:
        shown = result if result_date and result_date <= day and result != vocabulary.RESULT_PENDING \
            else vocabulary.RESULT_PENDING
        return f"{_short(sampled)} {shown}"
    if planned and planned <= day:
        return f"{_short(planned)} {NOT_SAMPLED}"
    return ""


def _birth(id_number: str, resident_birth) -> dt.date | None:
    number = (id_number or "").strip().upper()
    if len(number) == 18 and number[:17].isdigit():
        try:
            return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            pass
    if resident_birth:
        return resident_birth if isinstance(resident_birth, dt.date) else dt.date.fromisoformat(str(resident_birth)[:10])
    return None


def age_text(id_number: str, resident_birth, day: dt.date) -> int | str:
    birth = _birth(id_number, resident_birth)
    if birth is None or birth > day:
        return ""
    return age_on(birth, day)


def daily_rows(ids: list[int], day: dt.date, test_days: list[int] | None = None) -> Iterator[tuple]:
    """Rows in daily_headers(test_days) order (序号 numbered here), as of the end of `day`: every test of the
    schedule in its own column (a retest on the same day next to it, after '；'), so that an earlier 阳性 never
    hides behind a later 阴性. A session that may not see full ID numbers and phones (read-only) gets them
    masked; exports mask further on request. The age is counted from the ID number on `day`."""
    full = session.current.can_see_full_ids
    test_days = report_test_days(ids) if test_days is None else test_days
    column = {d: i for i, d in enumerate(test_days)}
    iso = day.isoformat()
    n = 0
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        marks = ",".join(f":i{i}" for i in range(len(chunk)))
        params = {"d": iso, **{f"i{i}": v for i, v in enumerate(chunk)}}
        sql = _rows_sql(marks)
        rows = {r[0]: r[1:] for r in db_proxy.execute_sql(sql, params)}
        tests: dict[int, list[list[str]]] = {}
        for cid, day_no, planned, sampled, result, result_date in db_proxy.execute_sql(
                _TESTS.format(marks=marks), params):
            cells = tests.setdefault(cid, [[] for _ in test_days])
            text = nucleic_cell(planned, sampled, result, result_date, iso)
            if text and day_no in column:
                cells[column[day_no]].append(text)
        for cid in chunk:
            if cid not in rows:
                continue
            n += 1
            (name, gender, number, phone, birth, community, address, source, classification, origin, transport,
             arrival, measure, start_date, planned_end, follow_up, worker, needs, status, site, release_date,
             release_kind, approved_by, notes) = rows[cid]
            age = age_text(number, birth, day)
            number, phone = (number or "", phone or "") if full else (mask_id(number or ""), mask_phone(phone or ""))
            test_cells = ["；".join(c) for c in tests.get(cid, [[] for _ in test_days])]
            yield (n, name, gender, number, phone, age, community or "", address, source,
                   classification or UNCLASSIFIED, origin or "", transport or "", arrival or "", measure, start_date,
                   planned_end, *test_cells, _short_follow_up(follow_up), worker or "", needs or "", status,
                   site or "", release_date or "", release_kind or "", approved_by or "", notes)


def _short_follow_up(text: str | None) -> str:
    """'2021-08-07 36.5℃ 正常' → '08-07 36.5℃ 正常'."""
    return f"{_short(text)}{text[10:]}" if text else ""


_COUNTS = """
SELECT CASE WHEN q.classification = '' THEN '未分类' ELSE q.classification END, q.measure,
       COUNT(*) FILTER (WHERE q.start_date <= :d AND (q.release_date IS NULL OR q.release_date > :d)),
       COUNT(*) FILTER (WHERE q.start_date = :d),
       COUNT(*) FILTER (WHERE q.release_date = :d),
       COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM nucleic_test t WHERE t.case_id = q.id AND t.sampling_date = :d)),
       COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM nucleic_test t WHERE t.case_id = q.id AND t.result = '阳性'
                                      AND t.result_date = :d)
                        AND NOT EXISTS (SELECT 1 FROM nucleic_test t WHERE t.case_id = q.id AND t.result = '阳性'
                                        AND t.result_date < :d)),
       COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM nucleic_test t WHERE t.case_id = q.id AND t.result = '阳性'
                                      AND t.result_date <= :d))
FROM quarantine_case q
WHERE q.start_date <= :d
GROUP BY 1, 2
"""


def daily_counts(day: dt.date) -> list[tuple]:
    """Rows of COUNT_HEADERS: each classification, each measure, then 合计. 今日新增 counts the cases that
    started that day; 今日新增阳性 the cases whose first positive result came out that day, 累计阳性 all of them
    up to that day: two figures, never one."""
    raw = [(r[0], r[1], *(int(v or 0) for v in r[2:])) for r in db_proxy.execute_sql(_COUNTS, {"d": day.isoformat()})]
    out = []
    for group, position in (("人员分类", 0), ("管控措施", 1)):
        keys = sorted({r[position] for r in raw})
        for key in keys:
            sums = [sum(r[i] for r in raw if r[position] == key) for i in range(2, 8)]
            out.append((group, key, *sums))
    out.append(("合计", "", *[sum(r[i] for r in raw) for i in range(2, 8)]))
    return out


def classifications_on(day: dt.date) -> list[str]:
    sql = ("SELECT DISTINCT CASE WHEN classification = '' THEN ? ELSE classification END FROM quarantine_case "
           "WHERE start_date <= ? AND (release_date IS NULL OR release_date >= ?) ORDER BY 1")
    return [r[0] for r in db_proxy.execute_sql(sql, (UNCLASSIFIED, day.isoformat(), day.isoformat()))]


def _with_community(community: str | None, address: str | None) -> str:
    """'原乡小镇 3号楼2单元501'; an address that already names its community (a list typed so) is left as it is."""
    address = address or ""
    if not community or address.startswith(community):
        return address
    return f"{community} {address}".strip()


def notice_rows(case_ids: list[int]) -> list[tuple]:
    """The cases a notice is printed for, by community and address: named tuples (id, name, id_number, address,
    measure, start_date, planned_end, follow_up_worker); the address begins with the community's name (an office
    serving several communities has a 1号楼1单元 in each)."""
    q, c = QuarantineCase, Community
    found = (q.select(q.id, q.name, q.id_number, q.address, q.measure, q.start_date, q.planned_end,
                      q.follow_up_worker, c.name.alias("community"))
             .join(c, JOIN.LEFT_OUTER, on=(q.community == c.id))
             .where(q.id.in_(case_ids)).namedtuples())
    rows = sorted((r._replace(address=_with_community(r.community, r.address)) for r in found),
                  key=lambda r: (r.address, r.id))
    if office_settings.full_ids_shown():
        return rows
    return [r._replace(id_number=mask_id(r.id_number or "")) for r in rows]  # printed as every list shows it
