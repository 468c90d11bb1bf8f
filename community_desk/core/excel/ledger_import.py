"""Importing the dispatched list (导入市派名单): read with python-calamine, preview, then commit.

`preview(path)` reads the workbook and sorts every row into new / updated / rejected (with the
Excel row number and a Chinese reason) / repeated in the file / 非本社区; it writes nothing.
`commit(preview)` first backs the database up (reason "import"; issue 7: a backup before every
import, and no backup, no import), then writes every accepted row in ONE transaction. Both the
preview dialog and the `import-ledger` command commit through it. A file that cannot be read raises
LedgerReadError with the reason and changes nothing.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from .. import faults, session, vocabulary
from ..backup import BackupError
from ..db import database_path, transaction
from ..models import Building, PushBatch, QuarantineCase, db_proxy
from ..models.base import now
from ..queries import quarantine as cases
from ..queries.communities import list_communities
from ..rules import quarantine as rules
from ..rules.idcard import normalize_id, parse_id
from ..rules.phone import normalize_phone
from ..rules.quarantine_case import search_text
from ..rules.text import ValidationError, clean_text
from ..startup import backup_now
from . import workbook_guard
from .ledger_fields import (
    cell_text,
    find_header,
    is_blank,
    is_total,
    parse_ledger_date,
    parse_measure,
    sub_header,
    title_info,
)

SKIP_SHEET_WORDS = ("说明", "示例", "样例", "样表", "填表", "模板", "字典")
UPDATABLE = ("name", "phone", "address", "classification", "origin", "arrival_date", "transport")
_BUILDING = re.compile(r"(\d+)\s*号楼")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")


class LedgerReadError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class LedgerRow:
    row: int  # Excel row number
    values: dict
    case_id: int | None = None  # set for an update
    community_id: int | None = None


@dataclass
class LedgerPreview:
    file_name: str
    sheet: str
    header_row: int
    push_date: dt.date
    sender: str
    new: list[LedgerRow] = field(default_factory=list)
    updated: list[LedgerRow] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)  # {"row", "name", "reason"}
    duplicates: list[dict] = field(default_factory=list)  # {"row", "first_row", "id_number", "name"}
    other_community: list[dict] = field(default_factory=list)  # {"row", "name", "community"}
    skipped: int = 0  # blank and 合计 rows
    header_rows: int = 1  # 2: a header split over two rows (merged 联系方式 over 本人电话 | 紧急联系人电话)

    @property
    def header_text(self) -> str:
        """Where the header is, as the preview says it: 第 3 行, or 第 3–4 行 for a header of two rows."""
        last = self.header_row + self.header_rows - 1
        return f"第 {self.header_row} 行" if last == self.header_row else f"第 {self.header_row}–{last} 行"

    def summary(self) -> dict:
        return {"new": len(self.new), "updated": len(self.updated),
                "rejected": [{"row": r["row"], "reason": r["reason"]} for r in self.rejected],
                "duplicates": self.duplicates, "other_community": self.other_community}

    def to_json(self) -> str:
        return json.dumps(self.summary(), ensure_ascii=False)

    @property
    def importable(self) -> bool:
        """Whether anyone would be written: a header-only file or one where every row is refused is not an import."""
        return bool(self.new or self.updated)

    def nothing_reason(self) -> str:
        """Why nothing can be imported, as the command and the window say it (empty when something can)."""
        if self.importable:
            return ""
        parts = [f"{label} {n} 行" for label, n in (("未导入", len(self.rejected)), ("文件内重复", len(self.duplicates)),
                                                   ("非本社区", len(self.other_community))) if n]
        detail = "每一行都不能导入（" + "，".join(parts) + "）" if parts else f"表头（{self.header_text}）下面没有人员"
        return f"没有可导入的人员：{detail}，未写入任何数据"


# --- reading -------------------------------------------------------------------------------
MAX_FILE_MB = 60  # a town-wide list of 100,000 people is about 10 MB
MAX_DATA_ROWS = 200_000


NO_READ_PERMISSION = "没有读取该文件的权限（文件被设为他人专用或在受保护的文件夹中），请复制到桌面后再导入"


def _check_file(path: Path) -> None:
    if not path.exists():
        raise LedgerReadError(f"找不到文件：{path}")
    if path.is_dir():
        raise LedgerReadError(f"{faults.IS_A_FOLDER}：{path}")
    size = path.stat().st_size
    if size == 0:
        raise LedgerReadError("文件是空的（0 字节），请重新下载或向推送单位索要")
    if size > MAX_FILE_MB * 1024 * 1024:
        raise LedgerReadError(f"文件太大（{size / 1024 / 1024:.0f} MB，最多 {MAX_FILE_MB} MB），不像一份推送名单。"
                              "请确认文件是否正确，或删去多余的工作表、图片后另存再导入")


def _open_checked(path: Path):
    """The workbook, after workbook_guard has measured it (a file that would make the reader allocate more than a
    list needs is refused or trimmed before calamine sees it)."""
    try:
        source = workbook_guard.checked_source(path)
    except workbook_guard.WorkbookRefused as exc:
        raise LedgerReadError(exc.message) from None
    except PermissionError:
        raise LedgerReadError(NO_READ_PERMISSION) from None
    except OSError as exc:
        raise LedgerReadError(faults.describe_fault(exc) or f"文件无法读取：{exc.strerror or exc}") from None
    if isinstance(source, bytes):
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(source))
    return python_calamine.CalamineWorkbook.from_path(str(source))


def read_sheets(path: str | os.PathLike) -> list[tuple[str, list[list]]]:
    """Every visible worksheet as (name, rows from A1); raises LedgerReadError."""
    path = Path(path)
    _check_file(path)
    wb = None
    try:
        wb = _open_checked(path)
        out = []
        for meta in wb.sheets_metadata:
            if str(getattr(meta, "visible", "Visible")).lower().endswith("hidden"):
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            out.append((meta.name, sheet.to_python(skip_empty_area=False)))
        return out
    except LedgerReadError:
        raise
    except python_calamine.PasswordError:
        raise LedgerReadError(workbook_guard.PASSWORD) from None
    except (python_calamine.CalamineError, python_calamine.ZipError, python_calamine.XmlError) as exc:
        raise LedgerReadError(f"文件已损坏或不完整，无法读取（{type(exc).__name__}）。请重新下载后再导入") from None
    except Exception as exc:  # noqa: BLE001 - calamine raises plain errors for some broken files
        raise LedgerReadError(f"文件无法读取：{exc}") from None
    finally:
        if wb is not None:
            wb.close()


def choose_sheet(sheets: list[tuple[str, list[list]]]) -> tuple[str, list[list], int, int, dict[str, int]]:
    """The data sheet: the first with a header row, instructions and example sheets ignored.
    Returns (sheet, rows, index of the header's first row, how many rows the header has (1 or 2), columns)."""
    candidates = [s for s in sheets if not any(w in s[0] for w in SKIP_SHEET_WORDS)] or sheets
    for name, rows in candidates:
        found = find_header(rows)
        if found:
            index, columns = found
            split = sub_header(rows, index, columns)
            return (name, rows, index, 2, split) if split else (name, rows, index, 1, columns)
    raise LedgerReadError("找不到表头：须有“姓名”和“身份证号”（或 身份证号码 / 证件号码）两列")


# --- sorting the rows ----------------------------------------------------------------------
def _community_matcher() -> Callable[[str, str], tuple[int | None, bool]]:
    served = [(cid, name) for cid, name in list_communities()]
    only = served[0][0] if len(served) == 1 else None

    def match(community: str, address: str) -> tuple[int | None, bool]:
        """(community id, served?)"""
        compact = re.sub(r"\s", "", community)
        if compact:
            for cid, name in served:
                if name in compact or compact in name:
                    return cid, True
            return None, False
        for cid, name in served:
            if name in address:
                return cid, True
        return only, True

    return match


def _clean_row(get, push_date: dt.date) -> dict:
    name = clean_text(get("name"), max_length=30, field_label="姓名")
    if not name:
        raise ValidationError("缺少姓名")
    raw_id = get("id_number")
    if raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
        raise ValidationError("缺少身份证号")
    if isinstance(raw_id, str) and _SCIENTIFIC.match(raw_id.strip()):
        raise ValidationError("身份证号被存成了数字（科学计数法），后几位已丢失，请向推送单位索要原始号码")
    info = parse_id(normalize_id(raw_id), today=push_date + dt.timedelta(days=1))
    values = {"name": name, "id_number": info.number, "gender": info.gender,
              "phone": normalize_phone(get("phone")),
              "address": clean_text(get("address"), max_length=100, field_label="现居住地址"),
              "community": cell_text(get("community")),
              "classification": clean_text(get("classification"), max_length=30, field_label="人员分类"),
              "origin": clean_text(get("origin"), max_length=60, field_label="出发地"),
              "transport": clean_text(get("transport"), max_length=40, field_label="交通方式"),
              "notes": clean_text(get("notes"), max_length=500, field_label="备注"),
              "measure": parse_measure(get("measure")) or "居家隔离"}
    values["arrival_date"] = parse_ledger_date(get("arrival_date"), push_date, "返京日期")
    values["start_date"] = (parse_ledger_date(get("start_date"), push_date, "隔离起始日期")
                            or values["arrival_date"] or push_date)
    if values["arrival_date"] and values["arrival_date"] > push_date + dt.timedelta(days=1):
        raise ValidationError(f"返京日期 {values['arrival_date']:%Y-%m-%d} 晚于推送日期")
    return values


def preview(path: str | os.PathLike, push_date: dt.date | None = None, sender: str = "",
            progress: Callable[[int, int], bool] | None = None) -> LedgerPreview:
    """Read and sort the list; writes nothing. progress(done, total) returning False cancels
    (raises LedgerReadError('已取消'))."""
    path = Path(path)
    sheet, rows, header_index, header_rows, columns = choose_sheet(read_sheets(path))
    title_date, title_sender = title_info(rows[:header_index])
    push_date = push_date or title_date or dt.date.today()
    result = LedgerPreview(file_name=path.name, sheet=sheet, header_row=header_index + 1, push_date=push_date,
                           sender=sender or title_sender, header_rows=header_rows)
    first_data = header_index + header_rows
    match = _community_matcher()
    known = _open_cases_by_id()
    seen: dict[str, int] = {}
    total = len(rows) - first_data
    filled = sum(1 for row in rows[first_data:] if not is_blank(row))  # rows that hold data, not the used range
    if filled > MAX_DATA_ROWS:
        raise LedgerReadError(f"名单有 {filled:,} 行，超过一次导入的上限 {MAX_DATA_ROWS:,} 行，请分成几个文件导入")
    for offset, row in enumerate(rows[first_data:]):
        excel_row = first_data + 1 + offset
        if progress and offset % 500 == 0 and not progress(offset, total):
            raise LedgerReadError("已取消")
        if is_blank(row) or is_total(row):
            result.skipped += 1
            continue

        def get(key, row=row):
            col = columns.get(key)
            return row[col] if col is not None and col < len(row) else None

        try:
            values = _clean_row(get, push_date)
        except ValidationError as exc:
            result.rejected.append({"row": excel_row, "name": cell_text(get("name")), "reason": exc.message})
            continue
        community_id, served = match(values["community"], values["address"])
        if not served:
            result.other_community.append({"row": excel_row, "name": values["name"], "community": values["community"]})
            continue
        number = values["id_number"]
        if number in seen:
            result.duplicates.append({"row": excel_row, "first_row": seen[number], "id_number": number,
                                      "name": values["name"]})
            continue
        seen[number] = excel_row
        item = LedgerRow(excel_row, values, known.get(number), community_id)
        (result.updated if item.case_id else result.new).append(item)
    return result


def _open_cases_by_id() -> dict[str, int]:
    sql = f"SELECT id_number, MAX(id) FROM quarantine_case WHERE status IN ({vocabulary.sql_list(vocabulary.CASE_OPEN_STATUSES)}) " \
          "AND id_number IS NOT NULL GROUP BY id_number"
    return {r[0]: r[1] for r in db_proxy.execute_sql(sql)}


# --- writing -------------------------------------------------------------------------------
def commit(result: LedgerPreview) -> dict[str, int]:
    """Back up (reason "import"), then write the accepted rows in one transaction. Returns {"new", "updated", "batch"}.
    Nothing to import (a header-only file, every row refused) raises ValidationError before the backup: no empty
    batch, no backup, no audit line."""
    session.require_write()
    if not result.importable:
        raise ValidationError(result.nothing_reason())
    _backup_before_import()
    with transaction():
        known = _open_cases_by_id()  # re-checked: someone may have registered a person since the preview
        new = [r for r in result.new if r.values["id_number"] not in known]
        updates = result.updated + [LedgerRow(r.row, r.values, known[r.values["id_number"]], r.community_id)
                                    for r in result.new if r.values["id_number"] in known]
        batch = PushBatch.create(push_date=result.push_date, sender=result.sender, file_name=result.file_name,
                                 imported_by=session.current.user, row_count=len(new) + len(updates))
        _insert_new(new, batch.id)
        changed = _apply_updates(updates, batch.id)
        _audit_row(None, "导入", f"导入市派名单 {result.file_name}（推送 {result.push_date:%Y-%m-%d}）："
                   f"新增 {len(new)} 人，更新 {changed} 人，未导入 {len(result.rejected)} 行")
    return {"new": len(new), "updated": len(updates), "batch": batch.id}


def _backup_before_import() -> Path | None:
    """The backup every import takes first (core.startup.backup_now, reason "import")."""
    path = database_path()
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
    next_id = db_proxy.execute_sql("SELECT COALESCE(MAX(id), 0) FROM quarantine_case").fetchone()[0] + 1
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
        cid = next_id
        next_id += 1
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


def _apply_updates(rows: list[LedgerRow], batch_id: int) -> int:
    """A person already in the ledger is updated from the file (never duplicated): fields the file fills
    and that differ are written; the notes get the new remark appended. Returns how many changed."""
    changed = 0
    loaded: dict[int, QuarantineCase] = {}
    ids = [r.case_id for r in rows]
    for start in range(0, len(ids), 500):
        loaded.update({c.id: c for c in QuarantineCase.select().where(QuarantineCase.id.in_(ids[start:start + 500]))})
    for item in rows:
        case = loaded[item.case_id]
        v = item.values
        changes = {}
        for key in UPDATABLE:
            new = v.get(key)
            if new not in (None, "") and getattr(case, key) != new:
                changes[key] = (getattr(case, key), new)
        if v["notes"] and v["notes"] not in case.notes:
            changes["notes"] = (case.notes, rules.append_note(case.notes, f"市派名单：{v['notes']}", result_day()))
        if not changes:
            continue
        update = {k: new for k, (_old, new) in changes.items()}
        update["search_text"] = search_text(update.get("name", case.name), case.id_number,
                                            update.get("phone", case.phone), update.get("address", case.address))
        QuarantineCase.update(**update, updated_at=_stamp()).where(QuarantineCase.id == case.id).execute()
        plain = {k: [o.isoformat() if isinstance(o, dt.date) else o, n.isoformat() if isinstance(n, dt.date) else n]
                 for k, (o, n) in changes.items()}
        _audit_row(case.id, "导入更新", f"市派名单更新 {case.name}（批次 {batch_id} 第 {item.row} 行）", plain)
        changed += 1
    return changed


def result_day() -> dt.date:
    return dt.date.today()
