"""Reading a dispatched list (市派名单) into rows: the workbook's visible sheets, the sheets with the header, and the
hidden rows among them. Nothing here knows the database.

`read_parts(path)` is the whole step: the file is checked (exists, not empty, not too big), measured by
workbook_guard before python-calamine sees an .xlsx, or read by xls_book when it is an old .xls; then every sheet
whose header names 姓名 and 身份证号 comes back as a SheetPart with its hidden row numbers. A file that cannot be
read raises LedgerReadError with the reason in Chinese.
"""
from __future__ import annotations

import html
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from .. import faults
from . import workbook_guard, xls_book
from .ledger_fields import find_header, sub_header

SKIP_SHEET_WORDS = ("说明", "示例", "样例", "样表", "填表", "模板", "字典")


class LedgerReadError(faults.MessageError):
    """A file that cannot be read as a list, with the reason in Chinese (`message`)."""


@dataclass
class SheetPart:
    """One worksheet with the header: its rows, where the header is, its columns, its hidden row numbers."""
    name: str
    rows: list[list]
    header_index: int
    header_rows: int
    columns: dict[str, int]
    hidden: set[int] = field(default_factory=set)


MAX_FILE_MB = 60  # a town-wide list of 100,000 people is about 10 MB
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


def _unreadable(exc: OSError) -> LedgerReadError:
    if isinstance(exc, PermissionError):
        return LedgerReadError(NO_READ_PERMISSION)
    return LedgerReadError(faults.describe_fault(exc) or f"文件无法读取：{exc.strerror or exc}")


def _open_checked(path: Path):
    """The workbook, after workbook_guard has measured it (a file that would make the reader allocate more than a
    list needs is refused or trimmed before calamine sees it)."""
    try:
        source = workbook_guard.checked_source(path)
    except workbook_guard.WorkbookRefused as exc:
        raise LedgerReadError(exc.message) from None
    except OSError as exc:
        raise _unreadable(exc) from None
    if isinstance(source, bytes):
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(source))
    return python_calamine.CalamineWorkbook.from_path(str(source))


def read_sheets(path: str | os.PathLike) -> tuple[list[tuple[str, list[list]]], dict[str, set[int]]]:
    """Every visible worksheet as (name, rows from A1), and {sheet name: hidden row numbers}; an old .xls is read
    by xls_book, an .xlsx by python-calamine. Raises LedgerReadError."""
    path = Path(path)
    _check_file(path)
    try:
        if workbook_guard.is_ole(path):
            workbook_guard.check_ole(path)
            return xls_book.read(path)
    except workbook_guard.WorkbookRefused as exc:
        raise LedgerReadError(exc.message) from None
    except OSError as exc:
        raise _unreadable(exc) from None
    return _read_xlsx(path), hidden_rows(path)


def _read_xlsx(path: Path) -> list[tuple[str, list[list]]]:
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


def read_parts(path: str | os.PathLike) -> list[SheetPart]:
    """Every visible sheet with the header, with its hidden rows. Raises LedgerReadError."""
    sheets, hidden = read_sheets(path)
    parts = header_sheets(sheets)
    for part in parts:
        part.hidden = hidden.get(part.name, set())
    return parts


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
