"""The check a workbook passes before any reader sees it (issue 14 item 6).

python-calamine is fast, but it allocates the whole rectangle its cells span, in Rust, where no Python handler can
catch a failure: one value in XFD1048576 next to one in A1 asks for 512 GiB and aborts the process; a zip of 8 MB of
compressed whitespace did the same. So `checked_source(path)` first reads the file itself:

- an OLE container is never given to calamine: an encrypted workbook is refused (`check_ole`), an old .xls is read
  by xls_book instead (calamine reads .xls without a size check);
- the zip directory: number of parts, each part's and the total uncompressed size, the compression ratio;
- every part is decompressed by this module with the output bounded by the size the directory declares and checked
  against its CRC (a directory that lies about a size is refused, not trusted);
- each worksheet is streamed (never held whole) to find the rectangle its cells span (what the reader would
  allocate; the <dimension> element may be absent or lie, so the cells themselves are measured) and the rectangle
  that holds values that are not blank.

When the cells span a sane rectangle the file is returned as it is. When only blank cells (a space, an empty formula
result filled down to row 1,048,576) make it huge, a copy trimmed to the real data is returned (bytes, in memory),
so a 20-person list with a space in the last row is read as 20 people. When real values make it huge, the file is
refused with the cell named. Every refusal is a WorkbookRefused with a Chinese message.
"""
from __future__ import annotations

import html
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .. import faults

MAX_PARTS = 5_000
MAX_PART_BYTES = 200 * 1024 * 1024  # a 100,000-person sheet is about 60 MB of XML
MAX_TOTAL_BYTES = 320 * 1024 * 1024
RATIO_CHECK_FROM = 8 * 1024 * 1024
MAX_RATIO = 200  # ordinary sheet XML compresses 5-40 times, whitespace about 1,000 times
MAX_ELEMENT_BYTES = 1024 * 1024  # one cell or shared string (Excel holds at most 32,767 characters in a cell)
MAX_COLUMNS = 512
CELL_BUDGET = 4_000_000  # cells the reader may allocate (~32 bytes each in Rust, plus the Python lists)
CHUNK = 1024 * 1024
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384

SAVE_AS = "请在 Excel 或 WPS 中另存为 .xlsx 再导入"
PASSWORD = "文件设有打开密码，无法读取。请在 Excel 中取消密码后另存为 .xlsx 再导入"


class WorkbookRefused(faults.MessageError):
    """A workbook refused before any reader sees it, with the reason in Chinese (`message`)."""


def column_letters(col: int) -> str:
    """1 -> A, 16384 -> XFD."""
    out = ""
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


# --- the zip directory and bounded reading of one part --------------------------------------
def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
        raise WorkbookRefused("文件已损坏或不完整，无法读取（zip 目录不完整）。请重新下载后再导入") from None


def _check_directory(zf: zipfile.ZipFile) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        raise WorkbookRefused(f"文件由 {len(infos):,} 个部分组成，不像一份名单（可能已损坏或是恶意文件），未导入")
    total = 0
    for info in infos:
        total += info.file_size
        if info.flag_bits & 0x1:
            raise WorkbookRefused(PASSWORD)
        if info.file_size > MAX_PART_BYTES:
            raise WorkbookRefused(f"文件中的“{info.filename}”解压后有 {info.file_size / 1024 / 1024:,.0f} MB"
                                  f"（上限 {MAX_PART_BYTES // 1024 // 1024} MB），不像一份名单，可能是恶意的压缩炸弹文件，未导入")
        if info.file_size > RATIO_CHECK_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise WorkbookRefused(f"文件中的“{info.filename}”压缩比异常（{info.compress_size:,} 字节解压为 "
                                  f"{info.file_size:,} 字节），可能是恶意的压缩炸弹文件，未导入")
    if total > MAX_TOTAL_BYTES:
        raise WorkbookRefused(f"文件解压后共有 {total / 1024 / 1024:,.0f} MB（上限 {MAX_TOTAL_BYTES // 1024 // 1024} MB），"
                              "不像一份名单，可能是恶意的压缩炸弹文件，未导入")


def _damaged(name: str) -> WorkbookRefused:
    return WorkbookRefused(f"文件已损坏或不完整（“{name}”与目录不符），无法读取。请重新下载后再导入")


def _read_part(path: Path, info: zipfile.ZipInfo):
    """The part's bytes in chunks, decompressed here with the output bounded by the declared size, CRC checked."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise WorkbookRefused(f"文件使用了不支持的压缩方式，{SAVE_AS}")
    with open(path, "rb") as fh:
        fh.seek(info.header_offset)
        header = fh.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise _damaged(info.filename)
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        fh.seek(info.header_offset + 30 + name_len + extra_len)
        inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
        left, size, crc = info.compress_size, 0, 0
        while True:
            if inflate is not None and inflate.unconsumed_tail:
                data = inflate.decompress(inflate.unconsumed_tail, CHUNK)
            elif left > 0:
                raw = fh.read(min(CHUNK, left))
                if not raw:
                    raise _damaged(info.filename)
                left -= len(raw)
                data = inflate.decompress(raw, CHUNK) if inflate is not None else raw
            elif inflate is not None and not inflate.eof:
                data = inflate.flush()
                inflate = None
            else:
                break
            if not data:
                continue
            size += len(data)
            if size > info.file_size:
                raise WorkbookRefused(f"文件中的“{info.filename}”比目录声明的大（可能是恶意的压缩炸弹文件），未导入")
            crc = zlib.crc32(data, crc)
            yield data
    if size != info.file_size or crc != info.CRC:
        raise _damaged(info.filename)


# --- the sheets: where the cells are, where the values are ---------------------------------
_OPEN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(c|row|dimension)\b([^>]*?)(/?)>")
_CELL_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?c>")
_REF = re.compile(rb'\br="\$?([A-Z]{1,3})\$?(\d{1,7})"')
_ROW_NO = re.compile(rb'\br="(\d{1,7})"')
_TYPE = re.compile(rb'\bt="(\w+)"')
_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v\b[^>]*>(.*?)</(?:[A-Za-z_][\w.-]*:)?v>", re.S)
_TEXT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?t\b[^>]*>(.*?)</(?:[A-Za-z_][\w.-]*:)?t>", re.S)
_PHONETIC = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?rPh\b.*?</(?:[A-Za-z_][\w.-]*:)?rPh>", re.S)
_SHEET_DATA_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData>")
_FAST_ROW = re.compile(rb' r="[A-Z]{1,3}(\d{1,7})"')  # a literal start: the fast search (no \b)
_FAST_COL = re.compile(rb' r="([A-Z]{1,3})\d{1,7}"')
_SI = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si\b[^>]*?(/?)>")
_SI_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?si>")


def _blank_text(raw: bytes) -> bool:
    stripped = raw.strip()
    if not stripped:
        return True
    if b"&" not in stripped and max(stripped) < 0x80:
        return False
    return not html.unescape(stripped.decode("utf-8", "replace")).strip()


def _unfinished(buf: bytes, pos: int) -> int:
    """Where the element left unfinished at the end of buf starts (to be read with the next chunk); len(buf) if none."""
    start = buf.rfind(b"<", pos)
    return len(buf) if start < 0 else start


def _shared_string_blanks(path: Path, info: zipfile.ZipInfo | None) -> bytearray:
    """One flag per shared string: 1 when it is blank (spaces only)."""
    flags = bytearray()
    if info is None:
        return flags
    buf = b""
    for chunk in _read_part(path, info):
        buf += chunk
        pos = 0
        while True:
            m = _SI.search(buf, pos)
            if not m:
                pos = _unfinished(buf, pos)
                break
            if m.group(1):
                flags.append(1)
                pos = m.end()
                continue
            end = _SI_END.search(buf, m.end())
            if not end:
                pos = m.start()
                break
            inner = _PHONETIC.sub(b"", buf[m.end():end.start()])
            flags.append(1 if all(_blank_text(t) for t in _TEXT.findall(inner)) else 0)
            pos = end.end()
        buf = buf[pos:]
        if len(buf) > MAX_ELEMENT_BYTES:
            raise WorkbookRefused("文件中有一个单元格的文字超过 Excel 的上限，不像一份名单（可能已损坏或是恶意文件），未导入")
    return flags


@dataclass
class SheetExtent:
    """1-based: the rectangle all cells span (what the reader allocates) and the one holding values."""
    first_row: int = 0
    first_col: int = 0
    last_row: int = 0
    last_col: int = 0
    data_rows: int = 0
    data_cols: int = 0
    rows_with_data: int = 0
    far_cells: list[str] = field(default_factory=list)  # the value furthest down and furthest right
    unnamed_cells: bool = False  # a cell without r="..." (its place follows the one before)
    rows_ordered: bool = True  # each <row r=...> below the one before (then the trimmed copy can stop early)

    @property
    def allocated(self) -> int:
        if not self.last_row:
            return 0
        return (self.last_row - min(self.first_row, 1) + 1) * (self.last_col - min(self.first_col, 1) + 1)

    @property
    def data_cells(self) -> int:
        return self.data_rows * self.data_cols


class _SheetScan:
    """Streams one sheet's XML; with `keep` = (rows, cols) writes a copy without the cells outside that rectangle."""

    def __init__(self, blanks: bytearray, keep: tuple[int, int] | None = None):
        self.blanks = blanks
        self.keep = keep
        self.extent = SheetExtent()
        self.row = 0
        self.col = 0
        self.row_has_data = False
        self.far_down = self.far_right = ""
        self.out = io.BytesIO() if keep else None
        self.skipping = False  # the trimmed copy: past the last row with data, up to </sheetData>

    def feed(self, buf: bytes) -> bytes:
        """Handles every complete element in buf; returns the unfinished tail."""
        pos = out_pos = 0
        ext = self.extent
        if self.skipping:
            end = _SHEET_DATA_END.search(buf)
            if not end:
                return buf[-32:]
            self.skipping = False
            buf, pos = buf[end.start():], 0
        while True:
            m = _OPEN.search(buf, pos)
            if not m:
                pos = _unfinished(buf, pos)
                break
            kind, attrs = m.group(1), m.group(2)
            if kind == b"row":
                r = _ROW_NO.search(attrs)
                row = int(r.group(1)) if r else self.row + 1
                ext.rows_ordered = ext.rows_ordered and row > self.row
                self.row = row
                self.col = 0
                if self.out is not None and ext.rows_ordered and row > self.keep[0]:
                    self.out.write(buf[out_pos:m.start()])
                    self.skipping = True
                    return self.feed(buf[m.end():])
                self.row_has_data = False
                pos = m.end()
                continue
            if kind == b"dimension":
                if self.out is not None:
                    self.out.write(buf[out_pos:m.start()])
                    rows, cols = self.keep
                    self.out.write(f'<dimension ref="A1:{column_letters(max(cols, 1))}{max(rows, 1)}"/>'.encode())
                    out_pos = m.end()
                pos = m.end()
                continue
            if m.group(3):
                end_at, inner = m.end(), b""
            else:
                end = _CELL_END.search(buf, m.end())
                if not end:
                    pos = m.start()
                    break
                end_at, inner = end.end(), buf[m.end():end.start()]
            ref = _REF.search(attrs)
            if ref:
                col, row = _column_number(ref.group(1)), int(ref.group(2))
            else:
                ext.unnamed_cells = True
                col, row = self.col + 1, max(self.row, 1)
            self.col = col
            if row > EXCEL_ROWS or col > EXCEL_COLUMNS:
                raise WorkbookRefused("文件中有单元格位于 Excel 的最大范围之外，文件已损坏或是恶意文件，未导入")
            if not ext.last_row:
                ext.first_row, ext.first_col = row, col
            else:
                ext.first_row, ext.first_col = min(ext.first_row, row), min(ext.first_col, col)
            ext.last_row, ext.last_col = max(ext.last_row, row), max(ext.last_col, col)
            if self._holds_value(attrs, inner):
                if row > ext.data_rows:
                    ext.data_rows, self.far_down = row, ref.group(0) if ref else ""
                if col > ext.data_cols:
                    ext.data_cols, self.far_right = col, ref.group(0) if ref else ""
                if not self.row_has_data:
                    self.row_has_data = True
                    ext.rows_with_data += 1
            if self.out is not None and (row > self.keep[0] or col > self.keep[1]):
                self.out.write(buf[out_pos:m.start()])
                out_pos = end_at
            pos = end_at
        if self.out is not None:
            self.out.write(buf[out_pos:pos])
        tail = buf[pos:]
        if len(tail) > MAX_ELEMENT_BYTES:
            raise WorkbookRefused("文件中有一个单元格的内容超过 Excel 的上限，不像一份名单（可能已损坏或是恶意文件），未导入")
        return tail

    def _holds_value(self, attrs: bytes, inner: bytes) -> bool:
        kind = _TYPE.search(attrs)
        kind = kind.group(1) if kind else b"n"
        if kind == b"inlineStr":
            return not all(_blank_text(t) for t in _TEXT.findall(_PHONETIC.sub(b"", inner)))
        value = _VALUE.search(inner)
        if value is None or kind == b"e":
            return False
        if kind == b"s":
            try:
                index = int(value.group(1))
            except ValueError:
                return True
            return not (0 <= index < len(self.blanks) and self.blanks[index])
        return not _blank_text(value.group(1))

    def finish(self, tail: bytes) -> None:
        if self.out is not None:
            self.out.write(tail)
        self.extent.far_cells = [c.decode()[3:-1].replace("$", "") for c in (self.far_down, self.far_right) if c]


def _span(path: Path, info: zipfile.ZipInfo) -> tuple[int, int] | None:
    """The quick look (0.6 s for 90 MB): (last row, last column) that the cells reach, counting from A1, found by
    regexes with no work per cell in Python; None when a cell's place is not written as ` r="B7"` (then only the
    full scan knows where it is)."""
    last_row, cols = 0, set()
    tail = b""
    for chunk in _read_part(path, info):
        buf = tail + chunk
        cut = buf.rfind(b"<")
        buf, tail = (buf[:cut], buf[cut:]) if cut >= 0 else (buf, b"")
        if len(tail) > MAX_ELEMENT_BYTES or b":c " in buf or b":c>" in buf:
            return None
        rows = _FAST_ROW.findall(buf)
        if len(rows) != buf.count(b"<c ") + buf.count(b"<c>") + buf.count(b"<c/>"):
            return None
        if rows:
            last_row = max(last_row, max(map(int, rows)))
            cols.update(_FAST_COL.findall(buf))
    return last_row, max(map(_column_number, cols), default=0)


def _scan(path: Path, info: zipfile.ZipInfo, blanks: bytearray, keep=None) -> _SheetScan:
    scan = _SheetScan(blanks, keep)
    tail = b""
    for chunk in _read_part(path, info):
        tail = scan.feed(tail + chunk)
    scan.finish(tail)
    return scan


# --- the workbook --------------------------------------------------------------------------
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"


def is_ole(path: Path) -> bool:
    """An OLE compound file: an old .xls, or a workbook with an opening password (Excel wraps those in one)."""
    with open(path, "rb") as fh:
        return fh.read(4) == OLE_SIGNATURE


def check_ole(path: Path) -> None:
    """Refuses an OLE file that holds an encrypted workbook (.xlsx with a password); an .xls passes."""
    with open(path, "rb") as fh:
        body = fh.read(4_000_000)
    if "EncryptionInfo".encode("utf-16-le") in body or "EncryptedPackage".encode("utf-16-le") in body:
        raise WorkbookRefused(PASSWORD)


def _check_head(path: Path) -> None:
    if is_ole(path):
        check_ole(path)
        raise WorkbookRefused(f"文件是旧版 Excel 格式（.xls），不能交给 .xlsx 的读取程序，{SAVE_AS}")
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not head.startswith(b"PK"):
        raise WorkbookRefused(f"文件不是 Excel 工作簿（.xlsx），{SAVE_AS}")


def _is_worksheet(name: str) -> bool:
    return name.startswith("xl/") and name.endswith(".xml") and "sheets/" in name and "_rels" not in name


def range_message(extent: SheetExtent) -> str:
    far = "、".join(dict.fromkeys(extent.far_cells)) or f"{column_letters(extent.data_cols)}{extent.data_rows}"
    cells = extent.data_cells
    size = f"约 {cells / 1e8:,.0f} 亿个单元格" if cells >= 1e8 else f"{cells:,} 个单元格"
    return (f"文件中有单元格位于 {far}，表格范围过大（A1:{column_letters(extent.data_cols)}{extent.data_rows}，{size}），"
            "请删除多余的行列后另存再导入")


def checked_source(path: str | Path) -> Path | bytes:
    """The file to give the reader: `path` itself, or the bytes of a copy trimmed to the real data.
    Raises WorkbookRefused; OSError (missing file, no permission ...) goes up as it is."""
    path = Path(path)
    _check_head(path)
    with _open_zip(path) as zf:
        _check_directory(zf)
        infos = {info.filename: info for info in zf.infolist()}
    if "xl/workbook.xml" not in infos:
        other = "（.xlsb 二进制格式）" if "xl/workbook.bin" in infos else ""
        raise WorkbookRefused(f"文件已损坏或不是 .xlsx 工作簿{other}（缺少 xl/workbook.xml），{SAVE_AS}")
    blanks = _shared_string_blanks(path, infos.get("xl/sharedStrings.xml"))
    trimmed: dict[str, bytes] = {}
    for name, info in infos.items():
        if not _is_worksheet(name):
            continue
        span = _span(path, info)
        if span is not None and span[1] <= MAX_COLUMNS and span[0] * span[1] <= CELL_BUDGET:
            continue
        extent = _scan(path, info, blanks).extent
        if extent.data_cols > MAX_COLUMNS or extent.data_cells > CELL_BUDGET:
            raise WorkbookRefused(range_message(extent))
        if extent.last_col > MAX_COLUMNS or extent.allocated > CELL_BUDGET:
            if extent.unnamed_cells:
                raise WorkbookRefused(range_message(extent))
            trimmed[name] = _scan(path, info, blanks, keep=(extent.data_rows, extent.data_cols)).out.getvalue()
    for name, info in infos.items():  # every other part is read once, so none can lie about its size
        if name not in trimmed and not _is_worksheet(name):
            for _chunk in _read_part(path, info):
                pass
    if not trimmed:
        return path
    return _copy_with(path, infos, trimmed)


def _copy_with(path: Path, infos: dict[str, zipfile.ZipInfo], replaced: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, info in infos.items():
            if name.endswith("/"):
                continue
            if name in replaced:
                z.writestr(name, replaced[name])
            else:
                z.writestr(name, b"".join(_read_part(path, info)))
    return out.getvalue()
