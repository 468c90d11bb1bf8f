"""Importing the dispatched list (导入市派名单), the writing step: `commit(preview)` writes a LedgerPreview made by
ledger_preview.preview. It first backs the database file up (reason "import"; issue 7: a backup before every import,
and no backup, no import; in server mode the server's own backups), then writes every accepted row in ONE
transaction: the push batch with its counts and its rows not imported, the new people with their tests and
follow-ups, the real changes to people already in the ledger, and the conflicts the user took. Both the preview
dialog and the `import-ledger` command commit through it. On a server two PCs may commit at once: the transaction
first waits for the other (dialect.one_writer_at_a_time), then reads again who is registered (issue 17).

The steps before it: ledger_read (the workbook into rows), ledger_preview (the rows checked and sorted).
"""
from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

from .. import dialect, faults, session, vocabulary
from ..backup import BackupError
from ..db import database_path, transaction
from ..models import Building, PushBatch, QuarantineCase, db_proxy
from ..models.base import now
from ..queries import quarantine as cases
from ..rules import quarantine as rules
from ..rules.quarantine_case import search_text
from ..rules.text import ValidationError
from ..startup import backup_now
from . import push_provenance as provenance
from .ledger_preview import LedgerPreview, LedgerRow, imported_before, open_cases_by_id

UPDATABLE = provenance.UPDATABLE
_BUILDING = re.compile(r"(\d+)\s*号楼")


def commit(result: LedgerPreview, again: bool = False) -> dict[str, int]:
    """Back up (reason "import"), then write the push in one transaction: the batch with its counts and its rows
    not imported, the new people, the real changes, and the conflicts the user took (result.conflicts[i].take).
    Returns {"new", "updated", "unchanged", "conflicts", "batch"}.
    Refused with ValidationError before the backup (nothing written): nothing to import, a file imported before
    (unless `again`), rows whose community is not known yet (assign_community first)."""
    session.require_write()
    if not result.importable:
        raise ValidationError(result.nothing_reason())
    if result.already and not again:
        _refuse_again(result.already)
    if result.no_community:
        raise ValidationError(f"有 {len(result.no_community)} 行读不出所属社区，请先选择社区，未写入任何数据")
    _backup_before_import()
    with transaction():
        # Another PC may be importing (or registering) at the same moment on the server: wait for it, then see
        # what it wrote, so that an ID number never gets a second open case. SQLite: the lock file did this.
        dialect.one_writer_at_a_time(cases.ID_NUMBER_LOCK)
        if not again and result.content_hash and (earlier := imported_before(result.content_hash)):
            _refuse_again(earlier)  # the same file, imported since the preview (on another PC)
        known = open_cases_by_id()  # re-checked: someone may have registered a person since the preview
        new = [r for r in result.new if r.values["id_number"] not in known]
        again_known = [LedgerRow(r.row, r.values, known[r.values["id_number"]], r.community_id, r.sheet)
                       for r in result.new if r.values["id_number"] in known]
        rows = result.updated + result.unchanged + result.conflicted + again_known
        rejected = ([("未导入", r) for r in result.rejected] + [("文件内重复", d) for d in result.duplicates]
                    + [("非本社区", o) for o in result.other_community])
        batch = PushBatch.create(push_date=result.push_date, sender=result.sender, file_name=result.file_name,
                                 imported_by=session.current.user, row_count=len(new) + len(rows),
                                 content_hash=result.content_hash, sheets="、".join(result.chosen_sheets)[:250],
                                 new_count=len(new), rejected_count=len(rejected), conflict_count=len(result.conflicts),
                                 hidden_rows=result.hidden_rows)
        _store_rejected(batch.id, rejected)
        _insert_new(new, batch.id)
        taken = {c.key for c in result.conflicts if c.take}
        changed, unchanged = _apply_updates(_unique(rows), batch.id, result.push_date, taken)
        PushBatch.update(updated_count=changed, unchanged_count=unchanged).where(PushBatch.id == batch.id).execute()
        _audit_row(None, "导入", f"导入市派名单 {result.file_name}（推送 {result.push_date:%Y-%m-%d}）："
                   f"新增 {len(new)} 人，更新 {changed} 人，无变化 {unchanged} 人，未导入 {len(rejected)} 行，"
                   f"冲突 {len(result.conflicts)} 项（采用新值 {len(taken)} 项）")
    return {"new": len(new), "updated": changed, "unchanged": unchanged, "conflicts": len(result.conflicts),
            "batch": batch.id}


def _refuse_again(a: dict) -> None:
    raise ValidationError(f"该文件已于 {a['at']} 由 {a['by'] or '（未记名）'} 导入过（批次 {a['batch']}），未再次导入")


def _unique(rows: list[LedgerRow]) -> list[LedgerRow]:
    seen, out = set(), []
    for r in rows:
        if r.case_id not in seen:
            seen.add(r.case_id)
            out.append(r)
    return out


def _store_rejected(batch_id: int, rejected: list[tuple[str, dict]]) -> None:
    out = []
    for kind, r in rejected:
        if kind == "文件内重复":
            first = f"{r.get('first_sheet', '')} " if r.get("first_sheet") and r.get("first_sheet") != r.get("sheet") else ""
            reason = (f"身份证号与{first}第 {r['first_row']} 行重复（本行：{r.get('values', '')}；"
                      f"第 {r['first_row']} 行：{r.get('first_values', '')}）")
        elif kind == "非本社区":
            reason = f"非本社区（{r.get('community', '')}）"
        else:
            reason = r["reason"]
        out.append((batch_id, kind, r.get("sheet", ""), r["row"], r.get("name", "")[:250],
                    r.get("id_number", "")[:250], reason))
    if out:
        db_proxy.cursor().executemany(
            'INSERT INTO push_rejected (batch_id, kind, sheet, "row", name, id_number, reason) VALUES (?,?,?,?,?,?,?)',
            out)


def _backup_before_import() -> Path | None:
    """The backup every import of a database file takes first (core.startup.backup_now, reason "import"). In
    server mode none is taken here: the server is backed up by its own schedule (`main.py --db URL backup`, an
    administrator's), a staff member's PC may not dump the whole database, and the import is one transaction."""
    path = database_path()  # None in server mode
    if path is None:
        return None
    try:
        return backup_now(path, "import").path
    except (BackupError, OSError, sqlite3.Error) as exc:
        cause = faults.describe_fault(exc)
        if cause:  # a full disk, no permission ...: the command's exit 2 and the dialog's message name it
            raise faults.EnvironmentFault(f"导入前备份失败，未导入任何数据：{cause}") from exc
        raise ValidationError(f"导入前备份失败，未导入任何数据：{exc}") from exc


def _stamp() -> str:
    return now().strftime("%Y-%m-%d %H:%M:%S")


def _audit_row(case_id: int | None, action: str, summary: str, changes: dict | None = None) -> None:
    db_proxy.execute_sql(
        'INSERT INTO audit_log ("at", "user", "action", "table", "record_id", "summary", "changes") '
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (_stamp(), session.current.user, action, cases.TABLE, case_id, summary[:250],
         json.dumps(changes or {}, ensure_ascii=False)))


def _residents_by_id(numbers: list[str]) -> dict[str, tuple]:
    out = {}
    for start in range(0, len(numbers), 500):
        chunk = numbers[start:start + 500]
        sql = ("SELECT id_number, id, community_id, building_id, phone, address FROM resident "
               f"WHERE id_number IN ({','.join('?' * len(chunk))})")
        out.update({r[0]: r[1:] for r in db_proxy.execute_sql(sql, chunk)})
    return out


def _building_id(cache: dict, community_id: int | None, address: str) -> int | None:
    m = _BUILDING.search(address or "")
    if community_id is None or not m:
        return None
    key = (community_id, f"{m.group(1)}号楼")
    if key not in cache:
        cache[key] = Building.get_or_create(community=community_id, name=key[1])[0].id
    return cache[key]


def _insert_new(rows: list[LedgerRow], batch_id: int) -> None:
    if not rows:
        return
    policies = cases.policies()
    registry = _residents_by_id([r.values["id_number"] for r in rows])
    ids = iter(dialect.reserve_ids(cases.TABLE, len(rows)))  # PostgreSQL: from the sequence, none reused
    stamp = _stamp()
    buildings: dict = {}
    case_rows, test_rows, follow_rows, audit_rows = [], [], [], []
    for item in rows:
        v = item.values
        resident = registry.get(v["id_number"])
        community_id = item.community_id or (resident[1] if resident else None)
        phone = v["phone"] or (resident[3] if resident else "")
        address = v["address"] or (resident[4] if resident else "")
        building_id = resident[2] if resident and resident[2] else _building_id(buildings, community_id, address)
        policy = policies[v["measure"]]
        end = rules.planned_end(v["start_date"], policy.days)
        cid = next(ids)
        case_rows.append((cid, stamp, stamp, resident[0] if resident else None, v["name"], v["gender"],
                          v["id_number"], phone, address, community_id, building_id, "市派", batch_id, item.row,
                          v["classification"], v["origin"], v["arrival_date"].isoformat() if v["arrival_date"] else None,
                          v["transport"], v["measure"], v["start_date"].isoformat(), end.isoformat(), vocabulary.CASE_PENDING,
                          v["notes"], search_text(v["name"], v["id_number"], phone, address)))
        tests = [(cid, n, d.isoformat()) for n, d in rules.test_schedule(v["start_date"], policy)]
        if tests[-1][2] != end.isoformat():
            tests.append((cid, policy.days, end.isoformat()))
        test_rows += tests
        follow_rows += [(cid, n, d.isoformat()) for n, d in rules.follow_up_days(v["start_date"], end)]
        audit_rows.append((stamp, session.current.user, "新增", cases.TABLE, cid,
                           f"市派导入 {v['name']}（第 {item.row} 行，{v['measure']}，{v['start_date']:%m月%d日}至{end:%m月%d日}）",
                           "{}"))
    cursor = db_proxy.cursor()
    cursor.executemany(
        "INSERT INTO quarantine_case (id, created_at, updated_at, resident_id, name, gender, id_number, phone, address, "
        "community_id, building_id, source, push_batch_id, push_row, classification, origin, arrival_date, "
        "transport, measure, start_date, planned_end, status, notes, search_text) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", case_rows)
    cursor.executemany("INSERT INTO nucleic_test (case_id, day_no, planned_date) VALUES (?, ?, ?)", test_rows)
    cursor.executemany("INSERT INTO follow_up (case_id, day_no, date) VALUES (?, ?, ?)", follow_rows)
    cursor.executemany('INSERT INTO audit_log ("at", "user", "action", "table", "record_id", "summary", "changes") '
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", audit_rows)


def _apply_updates(rows: list[LedgerRow], batch_id: int, push_date: dt.date,
                   taken: set[tuple[int, str]] = frozenset()) -> tuple[int, int]:
    """A person already in the ledger is updated from the file (never duplicated), compared again with what is
    stored now: a value is written when it differs and is not newer than this push (a newer push, a staff edit
    on or after the push date), or when the user took that conflict. The notes get the new remark appended.
    Returns (how many changed, how many unchanged)."""
    changed = unchanged = 0
    states = provenance.load_states([r.case_id for r in rows])
    sources: list[tuple[int, str]] = []
    for item in rows:
        state = states[item.case_id]
        v = item.values
        apply, conflicts = provenance.compare(state, v, push_date)
        apply += [c for c, _why in conflicts if (item.case_id, c.field) in taken]
        changes = {c.field: (c.old, c.new) for c in apply}
        if v["notes"] and v["notes"] not in state.values["notes"]:
            changes["notes"] = (state.values["notes"],
                                rules.append_note(state.values["notes"], f"市派名单：{v['notes']}", result_day()))
        if not changes:
            unchanged += 0 if conflicts else 1
            continue
        case = state.values
        update = {k: new for k, (_old, new) in changes.items()}
        update["search_text"] = search_text(update.get("name", case["name"]), item.values.get("id_number", ""),
                                            update.get("phone", case["phone"]), update.get("address", case["address"]))
        QuarantineCase.update(**update, updated_at=_stamp()).where(QuarantineCase.id == item.case_id).execute()
        sources += [(item.case_id, k) for k in changes if k in UPDATABLE]
        plain = {k: [o.isoformat() if isinstance(o, dt.date) else o, n.isoformat() if isinstance(n, dt.date) else n]
                 for k, (o, n) in changes.items()}
        _audit_row(item.case_id, "导入更新", f"市派名单更新 {case['name']}（批次 {batch_id} 第 {item.row} 行）", plain)
        changed += 1
    provenance.record_sources(sources, batch_id)
    return changed, unchanged


def result_day() -> dt.date:
    return dt.date.today()
