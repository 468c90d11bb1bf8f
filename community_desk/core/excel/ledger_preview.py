"""The preview of a dispatched list (导入市派名单, step 2 of 3): the rows read by ledger_read, checked and sorted
into new / updated / unchanged / conflicted / rejected (with the Excel row number and a Chinese reason) / repeated
in the file / 非本社区. `preview(path)` writes nothing; ledger_import.commit writes the LedgerPreview it returns.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import vocabulary
from ..models import PushBatch, db_proxy
from ..queries import quarantine as cases
from ..queries.communities import list_communities
from ..rules.idcard import normalize_id, parse_id
from ..rules.phone import normalize_phone
from ..rules.text import ValidationError, clean_text, strip_invisible
from . import push_provenance as provenance
from .ledger_fields import cell_text, is_blank, is_total, parse_ledger_date, parse_measure, title_info
from .ledger_read import LedgerReadError, read_parts

MAX_DATA_ROWS = 200_000
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")


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
    parts = read_parts(path)
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
    served = list_communities()
    result.communities = served
    chosen = None
    if community:
        chosen = next((cid for cid, name in served if name == community.strip()), None)
        if chosen is None:
            raise LedgerReadError(f"没有名为“{community}”的社区，可选：{'、'.join(n for _c, n in served)}")
    match = _community_matcher()
    known = open_cases_by_id()
    seen: dict[str, tuple[str, int, dict]] = {}
    matched: list[LedgerRow] = []
    filled = sum(1 for p in parts for row in p.rows[p.header_index + p.header_rows:] if not is_blank(row))
    if filled > MAX_DATA_ROWS:
        raise LedgerReadError(f"名单有 {filled:,} 行，超过一次导入的上限 {MAX_DATA_ROWS:,} 行，请分成几个文件导入")
    total = sum(len(p.rows) - p.header_index - p.header_rows for p in parts)
    done = 0
    for part in parts:
        first_data = part.header_index + part.header_rows
        for offset, row in enumerate(part.rows[first_data:]):
            excel_row = first_data + 1 + offset
            if progress and done % 500 == 0 and not progress(done, total):
                raise LedgerReadError("已取消")
            done += 1
            if is_blank(row) or is_total(row):
                result.skipped += 1
                continue
            if excel_row in part.hidden:
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


def open_cases_by_id() -> dict[str, int]:
    sql = f"SELECT id_number, MAX(id) FROM quarantine_case WHERE status IN ({vocabulary.sql_list(vocabulary.CASE_OPEN_STATUSES)}) " \
          "AND id_number IS NOT NULL GROUP BY id_number"
    return {r[0]: r[1] for r in db_proxy.execute_sql(sql)}
