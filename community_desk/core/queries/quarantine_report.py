"""The day's quarantine ledger for the higher office (隔离管控日报): which cases, their rows as of
that day, and the day's counts by classification and measure; and the rows of the printed notices (居家隔离通知).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from .. import session, vocabulary
from ..models import QuarantineCase, db_proxy
from ..rules.masking import mask_id, mask_phone
from . import settings as office_settings

DAILY_HEADERS = ["序号", "姓名", "性别", "身份证号", "联系电话", "现居住地址", "来源(市派/自排)", "人员分类", "管控措施",
                 "返京日期", "隔离起始日期", "计划解除日期", "最近核酸日期及结果", "特殊需求", "状态", "备注"]
COUNT_HEADERS = ["分组", "项目", "在管人数", "今日新增", "今日解除", "今日核酸", "今日新增阳性", "累计阳性"]
UNCLASSIFIED = "未分类"


def daily_ids(day: dt.date, classification: str | None = None) -> list[int]:
    """Cases under control at some time of the day (released that day included), by address."""
    sql = ("SELECT id FROM quarantine_case WHERE start_date <= ? AND (release_date IS NULL OR release_date >= ?)")
    params: list = [day.isoformat(), day.isoformat()]
    if classification is not None:
        sql += " AND (CASE WHEN classification = '' THEN ? ELSE classification END) = ?"
        params += [UNCLASSIFIED, classification]
    sql += " ORDER BY classification, community_id, address, id"
    return [r[0] for r in db_proxy.execute_sql(sql, params)]


_ROWS = """
SELECT q.id, q.name, q.gender, q.id_number, q.phone, q.address, q.source, q.classification, q.measure,
       q.arrival_date, q.start_date, q.planned_end,
       (SELECT t.sampling_date || ' ' || CASE WHEN t.result_date IS NULL OR t.result_date > :d THEN '待出'
               ELSE t.result END FROM nucleic_test t
         WHERE t.case_id = q.id AND t.sampling_date IS NOT NULL AND t.sampling_date <= :d
         ORDER BY t.sampling_date DESC, t.id DESC LIMIT 1),
       (SELECT group_concat(COALESCE(substr(n.need_date, 6), '') || n.kind || '：' || n.content
               || CASE WHEN n.status = '已办结' THEN '（已办结）' ELSE '' END, '；')
          FROM special_need n WHERE n.case_id = q.id AND (n.status != '已办结' OR n.need_date = :d)),
       CASE WHEN q.release_date IS NOT NULL AND q.release_date <= :d THEN q.status
            WHEN q.status IN ({closed}) THEN '{under_control}' ELSE q.status END,
       q.notes
FROM quarantine_case q WHERE q.id IN ({marks})
"""

_CLOSED = vocabulary.sql_list((vocabulary.CASE_RELEASED, vocabulary.CASE_TRANSFERRED))


def daily_rows(ids: list[int], day: dt.date) -> Iterator[tuple]:
    """Rows in DAILY_HEADERS order (序号 numbered here), as of the end of `day`. A session that may not see
    full ID numbers and phones (read-only) gets them masked; exports mask further on request."""
    full = session.current.can_see_full_ids
    n = 0
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        marks = ",".join(f":i{i}" for i in range(len(chunk)))
        params = {"d": day.isoformat(), **{f"i{i}": v for i, v in enumerate(chunk)}}
        rows = {r[0]: r[1:] for r in db_proxy.execute_sql(_ROWS.format(marks=marks, closed=_CLOSED, under_control=vocabulary.CASE_UNDER_CONTROL), params)}
        for cid in chunk:
            if cid in rows:
                n += 1
                r = rows[cid]
                number, phone = (r[2] or "", r[3] or "") if full else (mask_id(r[2] or ""), mask_phone(r[3] or ""))
                yield (n, r[0], r[1], number, phone, r[4], r[5], r[6] or UNCLASSIFIED, r[7], r[8] or "", r[9],
                       r[10], r[11] or "", r[12] or "", r[13], r[14])


_COUNTS = """
SELECT CASE WHEN q.classification = '' THEN '未分类' ELSE q.classification END, q.measure,
       SUM(q.start_date <= :d AND (q.release_date IS NULL OR q.release_date > :d)),
       SUM(q.start_date = :d),
       SUM(q.release_date = :d),
       SUM(EXISTS (SELECT 1 FROM nucleic_test t WHERE t.case_id = q.id AND t.sampling_date = :d)),
       SUM(EXISTS (SELECT 1 FROM nucleic_test t WHERE t.case_id = q.id AND t.result = '阳性' AND t.result_date = :d)
           AND NOT EXISTS (SELECT 1 FROM nucleic_test t WHERE t.case_id = q.id AND t.result = '阳性'
                           AND t.result_date < :d)),
       SUM(EXISTS (SELECT 1 FROM nucleic_test t WHERE t.case_id = q.id AND t.result = '阳性'
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


def notice_rows(case_ids: list[int]) -> list[tuple]:
    """The cases a notice is printed for, by address: named tuples (id, name, id_number, address, measure,
    start_date, planned_end, follow_up_worker)."""
    q = QuarantineCase
    rows = list(q.select(q.id, q.name, q.id_number, q.address, q.measure, q.start_date, q.planned_end,
                         q.follow_up_worker)
                .where(q.id.in_(case_ids)).order_by(q.address, q.id).namedtuples())
    if office_settings.full_ids_shown():
        return rows
    return [r._replace(id_number=mask_id(r.id_number or "")) for r in rows]  # printed as every list shows it
