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
import hashlib
import html
import io
import json
import os
import re
import sqlite3
import zipfile
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
from ..rules.text import ValidationError, clean_text, strip_invisible
from ..startup import backup_now
from . import push_provenance as provenance
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
UPDATABLE = provenance.UPDATABLE
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
    sheet: str = ""
    changes: list[provenance.Change] = field(default_factory=list)  # an update: what really changes
    normalised: list[tuple[str, str, str]] = field(default_factory=list)  # (field label, raw, value): 已规范


@dataclass
class SheetPart:
    """One worksheet with the header: its rows, where the header is, its columns."""
    name: str
    rows: list[list]
    header_index: int
    header_rows: int
    columns: dict[str, int]
    hidden_rows: int = 0


@dataclass
class LedgerPreview:
    file_name: str
    sheet: str
    header_row: int
    push_date: dt.date
    sender: str
    new: list[LedgerRow] = field(default_factory=list)
    updated: list[LedgerRow] = field(default_factory=list)  # only rows whose values really change
    rejected: list[dict] = field(default_factory=list)  # {"row", "name", "reason", "sheet", "id_number"}
    duplicates: list[dict] = field(default_factory=list)  # {"row", "first_row", "id_number", "name", "values", ...}
    other_community: list[dict] = field(default_factory=list)  # {"row", "name", "community"}
    skipped: int = 0  # blank and 合计 rows
    header_rows: int = 1  # 2: a header split over two rows (merged 联系方式 over 本人电话 | 紧急联系人电话)
    unchanged: list[LedgerRow] = field(default_factory=list)  # known people the row changes nothing of
    conflicts: list[provenance.Conflict] = field(default_factory=list)  # never applied unless taken
    conflicted: list[LedgerRow] = field(default_factory=list)  # known people with conflicts and no other change
    sheets: list[str] = field(default_factory=list)  # every worksheet with the header (offered)
    chosen_sheets: list[str] = field(default_factory=list)  # the ones read
    hidden_rows: int = 0  # hidden rows among the data (imported: the town sent them; said in the preview)
    content_hash: str = ""
    already: dict | None = None  # the same file imported before: {"batch", "at", "by", "push_date"}
    no_community: list[int] = field(default_factory=list)  # rows whose 所属社区 cannot be read (several served)
    communities: list[tuple[int, str]] = field(default_factory=list)  # the communities served
    warnings: list[str] = field(default_factory=list)

    @property
    def header_text(self) -> str:
        """Where the header is, as the preview says it: 第 3 行, or 第 3–4 行 for a header of two rows."""
        last = self.header_row + self.header_rows - 1
        return f"第 {self.header_row} 行" if last == self.header_row else f"第 {self.header_row}–{last} 行"

    @property
    def normalised(self) -> list[LedgerRow]:
        return [r for r in (*self.new, *self.updated, *self.unchanged) if r.normalised]

    @property
    def needs_community(self) -> bool:
        return bool(self.no_community)

    def assign_community(self, community_id: int) -> None:
        """The community the user chose for the rows whose 所属社区 could not be read."""
        rows = set(self.no_community)
        for item in (*self.new, *self.updated, *self.unchanged, *self.conflicted):
            if item.community_id is None and (item.sheet, item.row) in rows:
                item.community_id = community_id
        self.no_community = []

    def summary(self) -> dict:
        return {"new": len(self.new), "updated": len(self.updated), "unchanged": len(self.unchanged),
                "rejected": [{"row": r["row"], "reason": r["reason"], **({"sheet": r["sheet"]} if len(self.chosen_sheets) > 1 else {})}
                             for r in self.rejected],
                "duplicates": [{k: d[k] for k in ("row", "first_row", "id_number", "name")} for d in self.duplicates],
                "other_community": self.other_community,
                "conflicts": [c.as_dict() for c in self.conflicts],
                "updates": [{"row": r.row, "name": r.values["name"], "changes": [c.text() for c in r.changes]}
                            for r in self.updated],
                "sheets": self.chosen_sheets, "hidden_rows": self.hidden_rows, "warnings": self.warnings,
                "already_imported": self.already, "no_community_rows": [r for _s, r in self.no_community]}

    def to_json(self) -> str:
        return json.dumps(self.summary(), ensure_ascii=False, default=str)

    @property
    def importable(self) -> bool:
        """Whether anyone is in the push: a header-only file or one where every row is refused is not an import."""
        return bool(self.new or self.updated or self.unchanged or self.conflicted)

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


def header_sheets(sheets: list[tuple[str, list[list]]]) -> list[SheetPart]:
    """Every sheet with a header row (a list with one sheet per day has several), instruction and example sheets
    ignored. Raises LedgerReadError when no sheet has one."""
    candidates = [s for s in sheets if not any(w in s[0] for w in SKIP_SHEET_WORDS)] or sheets
    parts = []
    for name, rows in candidates:
        found = find_header(rows)
        if found:
            index, columns = found
            split = sub_header(rows, index, columns)
            parts.append(SheetPart(name, rows, index, 2, split) if split else SheetPart(name, rows, index, 1, columns))
    if not parts:
        raise LedgerReadError("找不到表头：须有“姓名”和“身份证号”（或 身份证号码 / 证件号码）两列")
    return parts


_ROW_TAG = re.compile(rb"<row\b[^>]*>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_SHEET_TAG = re.compile(rb'<sheet\b[^>]*>')


def hidden_rows(path: Path) -> dict[str, set[int]]:
    """{sheet name: hidden row numbers} of an .xlsx (calamine does not say); {} when it cannot be told."""
    out: dict[str, set[int]] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            book = zf.read("xl/workbook.xml")
            rels = zf.read("xl/_rels/workbook.xml.rels")
            targets = {m.group(1): m.group(2) for m in re.finditer(
                rb'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
            targets |= {m.group(2): m.group(1) for m in re.finditer(
                rb'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)}
            for tag in _SHEET_TAG.findall(book):
                name = re.search(rb'\bname="([^"]*)"', tag)
                rid = re.search(rb'\br:id="([^"]+)"', tag) or re.search(rb'\bid="([^"]+)"', tag)
                if not name or not rid or rid.group(1) not in targets:
                    continue
                target = targets[rid.group(1)].decode()
                member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                found: set[int] = set()
                tail = b""
                with zf.open(member) as stream:
                    while chunk := stream.read(1 << 20):
                        data = tail + chunk
                        cut = data.rfind(b"<")
                        data, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
                        for row_tag in _ROW_TAG.findall(data):
                            number = _ROW_NUMBER.search(row_tag)
                            if number and _HIDDEN.search(row_tag):
                                found.add(int(number.group(1)))
                out[html.unescape(name.group(1).decode("utf-8"))] = found
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeDecodeError, ValueError):
        return {}
    return out


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


def _normalised(raw, value, label: str) -> tuple[str, str, str] | None:
    """(label, raw, value) when the cell was changed to be read (spaces, full-width digits, 2021.8.3, a serial)."""
    if raw is None or value in (None, ""):
        return None
    shown = value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(raw, dt.date):
        return None
    text = cell_text(raw) if not isinstance(raw, str) else raw
    return None if text == shown else (label, text, shown)


def _clean_row(get, push_date: dt.date) -> tuple[dict, list[tuple[str, str, str]]]:
    name = clean_text(get("name"), max_length=30, field_label="姓名")
    if not name:
        raise ValidationError("缺少姓名")
    raw_id = get("id_number")
    if raw_id is None or (isinstance(raw_id, str) and not strip_invisible(raw_id).strip()):
        raise ValidationError("缺少身份证号")
    if isinstance(raw_id, str) and _SCIENTIFIC.match(strip_invisible(raw_id).strip()):
        raise ValidationError("身份证号被存成了数字（科学计数法），后几位已丢失，请向推送单位索要原始号码")
    info = parse_id(normalize_id(raw_id), today=push_date + dt.timedelta(days=1))
    values = {"name": name, "id_number": info.number, "gender": info.gender,
              "phone": normalize_phone(get("phone")),
              "address": clean_text(get("address"), max_length=100, field_label="现居住地址"),
              "community": clean_text(cell_text(get("community")), max_length=60, field_label="所属社区"),
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
    marks = [_normalised(raw_id, values["id_number"], "身份证号"), _normalised(get("phone"), values["phone"], "联系电话"),
             _normalised(get("arrival_date"), values["arrival_date"], "返京日期")]
    return values, [m for m in marks if m]


def _brief(values: dict) -> str:
    """A row's values as the 文件内重复 tab shows them."""
    arrival = values["arrival_date"].isoformat() if values.get("arrival_date") else ""
    return "，".join(x for x in (values["name"], values["phone"], values["address"], arrival, values["measure"]) if x)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def imported_before(content_hash: str) -> dict | None:
    """The earlier import of the same file (same bytes), if any."""
    batch = (PushBatch.select().where(PushBatch.content_hash == content_hash).order_by(PushBatch.id.desc()).first()
             if content_hash else None)
    if batch is None:
        return None
    at = batch.imported_at
    return {"batch": batch.id, "at": at.strftime("%Y-%m-%d %H:%M") if hasattr(at, "strftime") else str(at)[:16],
            "by": batch.imported_by, "push_date": str(batch.push_date)}


def preview(path: str | os.PathLike, push_date: dt.date | None = None, sender: str = "",
            progress: Callable[[int, int], bool] | None = None, sheets: list[str] | None = None,
            community: str = "") -> LedgerPreview:
    """Read and sort the list; writes nothing. `sheets`: the worksheets to read (default: every one with the
    header). `community`: the community of rows whose 所属社区 cannot be read, in an office serving several.
    progress(done, total) returning False cancels (raises LedgerReadError('已取消'))."""
    path = Path(path)
    parts = header_sheets(read_sheets(path))
    offered = [p.name for p in parts]
    if sheets is not None:
        parts = [p for p in parts if p.name in sheets]
        if not parts:
            raise LedgerReadError("没有选择工作表")
    first = parts[0]
    title_date, title_sender = title_info(first.rows[:first.header_index])
    push_date = push_date or title_date or dt.date.today()
    result = LedgerPreview(file_name=path.name, sheet="、".join(p.name for p in parts), header_row=first.header_index + 1,
                           push_date=push_date, sender=sender or title_sender, header_rows=first.header_rows,
                           sheets=offered, chosen_sheets=[p.name for p in parts], content_hash=_sha256(path))
    result.already = imported_before(result.content_hash)
    hidden = hidden_rows(path)
    served = list_communities()
    result.communities = served
    chosen = None
    if community:
        chosen = next((cid for cid, name in served if name == community.strip()), None)
        if chosen is None:
            raise LedgerReadError(f"没有名为“{community}”的社区，可选：{'、'.join(n for _c, n in served)}")
    match = _community_matcher()
    known = _open_cases_by_id()
    seen: dict[str, tuple[str, int, dict]] = {}
    matched: list[LedgerRow] = []
    filled = sum(1 for p in parts for row in p.rows[p.header_index + p.header_rows:] if not is_blank(row))
    if filled > MAX_DATA_ROWS:
        raise LedgerReadError(f"名单有 {filled:,} 行，超过一次导入的上限 {MAX_DATA_ROWS:,} 行，请分成几个文件导入")
    total = sum(len(p.rows) - p.header_index - p.header_rows for p in parts)
    done = 0
    for part in parts:
        first_data = part.header_index + part.header_rows
        hidden_here = hidden.get(part.name, set())
        for offset, row in enumerate(part.rows[first_data:]):
            excel_row = first_data + 1 + offset
            if progress and done % 500 == 0 and not progress(done, total):
                raise LedgerReadError("已取消")
            done += 1
            if is_blank(row) or is_total(row):
                result.skipped += 1
                continue
            if excel_row in hidden_here:
                result.hidden_rows += 1

            def get(key, row=row, columns=part.columns):
                col = columns.get(key)
                return row[col] if col is not None and col < len(row) else None

            try:
                values, marks = _clean_row(get, push_date)
            except ValidationError as exc:
                raw_id = get("id_number")
                result.rejected.append({"row": excel_row, "name": cell_text(get("name")), "reason": exc.message,
                                        "sheet": part.name, "id_number": strip_invisible(cell_text(raw_id))[:40]})
                continue
            community_id, is_served = match(values["community"], values["address"])
            if not is_served:
                result.other_community.append({"row": excel_row, "name": values["name"],
                                               "community": values["community"], "sheet": part.name})
                continue
            if community_id is None and len(served) > 1:
                if chosen is None:
                    result.no_community.append((part.name, excel_row))
                community_id = chosen
            number = values["id_number"]
            if number in seen:
                first_sheet, first_row, first_values = seen[number]
                result.duplicates.append({"row": excel_row, "first_row": first_row, "id_number": number,
                                          "name": values["name"], "sheet": part.name, "first_sheet": first_sheet,
                                          "values": _brief(values), "first_values": _brief(first_values)})
                continue
            seen[number] = (part.name, excel_row, values)
            item = LedgerRow(excel_row, values, known.get(number), community_id, part.name, normalised=marks)
            (matched if item.case_id else result.new).append(item)
    _sort_known(result, matched)
    _warn_old_arrivals(result)
    return result


def _sort_known(result: LedgerPreview, matched: list[LedgerRow]) -> None:
    """People already in the ledger: 更新 when a value really changes, 无变化 otherwise, and a conflict for each
    value that is newer than this push (a newer push, a staff edit)."""
    states = provenance.load_states([r.case_id for r in matched])
    for item in matched:
        state = states[item.case_id]
        changes, conflicts = provenance.compare(state, item.values, result.push_date)
        notes = item.values["notes"]
        if notes and notes not in state.values["notes"]:
            changes.append(provenance.Change("notes", state.values["notes"], notes))
        item.changes = changes
        result.conflicts += [provenance.Conflict(item.case_id, item.row, item.sheet, item.values["name"], c.field,
                                                 c.old, c.new, why) for c, why in conflicts]
        if changes:
            result.updated.append(item)
        elif conflicts:
            result.conflicted.append(item)
        else:
            result.unchanged.append(item)


def _warn_old_arrivals(result: LedgerPreview) -> None:
    """One line per policy period: people whose 返京日期 is longer ago than the period of their measure."""
    today = dt.date.today()
    policies = cases.policies()
    counts: dict[int, int] = {}
    for item in (*result.new, *result.updated, *result.unchanged):
        arrival = item.values["arrival_date"]
        days = policies[item.values["measure"]].days
        if arrival and (today - arrival).days > days:
            counts[days] = counts.get(days, 0) + 1
    for days, n in sorted(counts.items()):
        result.warnings.append(f"返京日期早于今天 {days} 天以上：共 {n} 人")


def _open_cases_by_id() -> dict[str, int]:
    sql = f"SELECT id_number, MAX(id) FROM quarantine_case WHERE status IN ({vocabulary.sql_list(vocabulary.CASE_OPEN_STATUSES)}) " \
          "AND id_number IS NOT NULL GROUP BY id_number"
    return {r[0]: r[1] for r in db_proxy.execute_sql(sql)}


# --- writing -------------------------------------------------------------------------------
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
        a = result.already
        raise ValidationError(f"该文件已于 {a['at']} 由 {a['by'] or '（未记名）'} 导入过（批次 {a['batch']}），未再次导入")
    if result.no_community:
        raise ValidationError(f"有 {len(result.no_community)} 行读不出所属社区，请先选择社区，未写入任何数据")
    _backup_before_import()
    with transaction():
        known = _open_cases_by_id()  # re-checked: someone may have registered a person since the preview
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
