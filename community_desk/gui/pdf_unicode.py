"""The text layer of a PDF written by Qt: radical code points put back to the ideographs they stand for.

Qt's PDF writer gives each embedded glyph the lowest code point that the font maps to it (its ToUnicode CMap is the
font's cmap read backwards). Noto Sans CJK draws 女 and the Kangxi radical ⼥ (U+2F25) with one glyph, so the page
shows 女 but its text, copied or searched (pdftotext), is ⼥; the same for 人 日 白 民 长 门 户 ... Measured with
Qt 6.11.3: the font family, weight, QRawFont or glyph runs do not change it, since every path ends in that cmap.

`fix_text_layer(path)` rewrites, in place, the destination code points of every ToUnicode CMap: a character of the
Kangxi Radicals (U+2F00-U+2FDF) or CJK Radicals Supplement (U+2E80-U+2EFF) block becomes its unified ideograph
(RADICAL_IDEOGRAPHS). The glyphs, page content and the rest of the file are not touched; the changed streams keep
their filter (re-compressed when they were), their /Length and the cross-reference table follow the new sizes.
Pure Python: Qt writes a classic cross-reference table and no object streams, which is all this reads.
"""
from __future__ import annotations

import os
import re
import unicodedata
import zlib

# CJK Radicals Supplement -> its Equivalent_Unified_Ideograph (Unicode's EquivalentUnifiedIdeograph.txt,
# U+2E81..U+2EF3; U+2E80 has none, U+2E9A is unassigned), as (first radical, last radical, ideograph).
_SUPPLEMENT = [
    (0x2E81, 0x2E81, 0x5382), (0x2E82, 0x2E82, 0x4E5B), (0x2E83, 0x2E83, 0x4E5A), (0x2E84, 0x2E84, 0x4E59),
    (0x2E85, 0x2E85, 0x4EBB), (0x2E86, 0x2E86, 0x5182), (0x2E87, 0x2E87, 0x20628), (0x2E88, 0x2E88, 0x5200),
    (0x2E89, 0x2E89, 0x5202), (0x2E8A, 0x2E8A, 0x535C), (0x2E8B, 0x2E8B, 0x353E), (0x2E8C, 0x2E8D, 0x5C0F),
    (0x2E8E, 0x2E8E, 0x5140), (0x2E8F, 0x2E8F, 0x5C23), (0x2E90, 0x2E90, 0x5C22), (0x2E91, 0x2E91, 0x21BC2),
    (0x2E92, 0x2E92, 0x5DF3), (0x2E93, 0x2E93, 0x5E7A), (0x2E94, 0x2E94, 0x5F51), (0x2E95, 0x2E95, 0x5F50),
    (0x2E96, 0x2E96, 0x5FC4), (0x2E97, 0x2E97, 0x5FC3), (0x2E98, 0x2E98, 0x624C), (0x2E99, 0x2E99, 0x6535),
    (0x2E9B, 0x2E9B, 0x65E1), (0x2E9C, 0x2E9C, 0x65E5), (0x2E9D, 0x2E9D, 0x6708), (0x2E9E, 0x2E9E, 0x6B7A),
    (0x2E9F, 0x2E9F, 0x6BCD), (0x2EA0, 0x2EA0, 0x6C11), (0x2EA1, 0x2EA1, 0x6C35), (0x2EA2, 0x2EA2, 0x6C3A),
    (0x2EA3, 0x2EA3, 0x706C), (0x2EA4, 0x2EA5, 0x722B), (0x2EA6, 0x2EA6, 0x4E2C), (0x2EA7, 0x2EA7, 0x725B),
    (0x2EA8, 0x2EA8, 0x72AD), (0x2EA9, 0x2EA9, 0x738B), (0x2EAA, 0x2EAA, 0x24D14), (0x2EAB, 0x2EAB, 0x76EE),
    (0x2EAC, 0x2EAC, 0x793A), (0x2EAD, 0x2EAD, 0x793B), (0x2EAE, 0x2EAE, 0x25AD7), (0x2EAF, 0x2EAF, 0x7CF9),
    (0x2EB0, 0x2EB0, 0x7E9F), (0x2EB1, 0x2EB1, 0x7F53), (0x2EB2, 0x2EB2, 0x7F52), (0x2EB3, 0x2EB3, 0x34C1),
    (0x2EB4, 0x2EB4, 0x5197), (0x2EB5, 0x2EB5, 0x2626B), (0x2EB6, 0x2EB6, 0x7F8A), (0x2EB7, 0x2EB7, 0x2634C),
    (0x2EB8, 0x2EB8, 0x2634B), (0x2EB9, 0x2EB9, 0x8002), (0x2EBA, 0x2EBA, 0x8080), (0x2EBB, 0x2EBB, 0x807F),
    (0x2EBC, 0x2EBC, 0x8089), (0x2EBD, 0x2EBD, 0x26951), (0x2EBE, 0x2EC0, 0x8279), (0x2EC1, 0x2EC1, 0x864E),
    (0x2EC2, 0x2EC2, 0x8864), (0x2EC3, 0x2EC3, 0x8980), (0x2EC4, 0x2EC4, 0x897F), (0x2EC5, 0x2EC5, 0x89C1),
    (0x2EC6, 0x2EC6, 0x89D2), (0x2EC7, 0x2EC7, 0x278B2), (0x2EC8, 0x2EC8, 0x8BA0), (0x2EC9, 0x2EC9, 0x8D1D),
    (0x2ECA, 0x2ECA, 0x27FB7), (0x2ECB, 0x2ECB, 0x8F66), (0x2ECC, 0x2ECE, 0x8FB6), (0x2ECF, 0x2ECF, 0x9091),
    (0x2ED0, 0x2ED0, 0x9485), (0x2ED1, 0x2ED1, 0x9577), (0x2ED2, 0x2ED2, 0x9578), (0x2ED3, 0x2ED3, 0x957F),
    (0x2ED4, 0x2ED4, 0x95E8), (0x2ED5, 0x2ED5, 0x28E0F), (0x2ED6, 0x2ED6, 0x961D), (0x2ED7, 0x2ED7, 0x96E8),
    (0x2ED8, 0x2ED8, 0x9752), (0x2ED9, 0x2ED9, 0x97E6), (0x2EDA, 0x2EDA, 0x9875), (0x2EDB, 0x2EDB, 0x98CE),
    (0x2EDC, 0x2EDC, 0x98DE), (0x2EDD, 0x2EDD, 0x98DF), (0x2EDE, 0x2EDE, 0x2967F), (0x2EDF, 0x2EDF, 0x98E0),
    (0x2EE0, 0x2EE0, 0x9963), (0x2EE1, 0x2EE1, 0x29810), (0x2EE2, 0x2EE2, 0x9A6C), (0x2EE3, 0x2EE3, 0x9AA8),
    (0x2EE4, 0x2EE4, 0x9B3C), (0x2EE5, 0x2EE5, 0x9C7C), (0x2EE6, 0x2EE6, 0x9E1F), (0x2EE7, 0x2EE7, 0x5364),
    (0x2EE8, 0x2EE8, 0x9EA6), (0x2EE9, 0x2EE9, 0x9EC4), (0x2EEA, 0x2EEA, 0x9EFE), (0x2EEB, 0x2EEB, 0x6589),
    (0x2EEC, 0x2EEC, 0x9F50), (0x2EED, 0x2EED, 0x6B6F), (0x2EEE, 0x2EEE, 0x9F7F), (0x2EEF, 0x2EEF, 0x7ADC),
    (0x2EF0, 0x2EF0, 0x9F99), (0x2EF1, 0x2EF1, 0x9F9C), (0x2EF2, 0x2EF2, 0x4E80), (0x2EF3, 0x2EF3, 0x9F9F),
]

# Where Noto Sans CJK SC (the font sheets are printed with) shares the radical's glyph with another ideograph than
# the Unicode equivalent, that ideograph is what was drawn: 户 (U+6237) is drawn with the glyph of ⼾ U+2F3E, whose
# NFKC form is the traditional 戶 (U+6236). Measured with QRawFont over the font's whole cmap (the test
# test_radical_table_matches_the_print_font checks it again).
_FONT_SHARED = {0x2F3E: 0x6237, 0x2E8D: 0x2D544, 0x2EA9: 0x248E9}


def _radical_table() -> dict[str, str]:
    table = {}
    for first, last, ideograph in _SUPPLEMENT:
        for code in range(first, last + 1):
            table[chr(code)] = chr(ideograph)
    for code in range(0x2F00, 0x2FE0):
        folded = unicodedata.normalize("NFKC", chr(code))
        if folded != chr(code):
            table[chr(code)] = folded
    table.update({chr(radical): chr(ideograph) for radical, ideograph in _FONT_SHARED.items()})
    return table


RADICAL_IDEOGRAPHS: dict[str, str] = _radical_table()
_RADICAL_RE = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")

_TO_UNICODE = re.compile(rb"/ToUnicode\s+(\d+)\s+(\d+)\s+R")
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")
_SECTION = re.compile(rb"(begin(bfchar|bfrange))(.*?)(end\2)", re.S)


def _fold(text: str) -> str:
    return _RADICAL_RE.sub(lambda m: RADICAL_IDEOGRAPHS.get(m.group(0), m.group(0)), text)


def _utf16_hex(text: str) -> bytes:
    return text.encode("utf-16-be").hex().upper().encode("ascii")


def _fold_hex(hex_bytes: bytes) -> bytes:
    """One destination string of a CMap (UTF-16BE in hex), folded; unchanged bytes when nothing is a radical."""
    try:
        text = bytes.fromhex(hex_bytes.decode("ascii")).decode("utf-16-be")
    except ValueError:
        return hex_bytes
    folded = _fold(text)
    return hex_bytes if folded == text else _utf16_hex(folded)


def _fold_bfchar(body: bytes) -> bytes:
    """'<src> <dst>' pairs: fold every second string (the destinations), never the glyph codes."""
    out, last, index = [], 0, 0
    for match in _HEX.finditer(body):
        if index % 2 == 1:
            out += [body[last:match.start()], b"<", _fold_hex(match.group(1)), b">"]
            last = match.end()
        index += 1
    out.append(body[last:])
    return b"".join(out)


_RANGE_LINE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]*>)")


def _fold_bfrange(body: bytes) -> bytes:
    """'<lo> <hi> [<dst> ...]' folds each destination; '<lo> <hi> <dst>' (dst counting up) becomes the array form
    when a code in it is a radical, so that the codes after it keep their own characters."""
    def one(match: re.Match) -> bytes:
        lo, hi, dst = match.group(1), match.group(2), match.group(3)
        if dst.startswith(b"["):
            folded = _HEX.sub(lambda m: b"<" + _fold_hex(m.group(1)) + b">", dst)
            return b"<" + lo + b"> <" + hi + b"> " + folded
        start = bytes.fromhex(dst[1:-1].decode("ascii")).decode("utf-16-be", errors="surrogatepass")
        count = int(hi, 16) - int(lo, 16) + 1
        if count < 1 or not start:
            return match.group(0)
        texts = [start[:-1] + chr(ord(start[-1]) + i) for i in range(count)]
        if not any(_RADICAL_RE.search(t) for t in texts):
            return match.group(0)
        items = b" ".join(b"<" + _utf16_hex(_fold(t)) + b">" for t in texts)
        return b"<" + lo + b"> <" + hi + b"> [" + items + b"]"

    return _RANGE_LINE.sub(one, body)


def fold_cmap(cmap: bytes) -> bytes:
    """A ToUnicode CMap program with its radical destinations folded (the rest byte for byte as it was)."""
    def section(match: re.Match) -> bytes:
        body = _fold_bfchar(match.group(3)) if match.group(2) == b"bfchar" else _fold_bfrange(match.group(3))
        return match.group(1) + body + match.group(4)

    return _SECTION.sub(section, cmap)


class _Pdf:
    """Just enough of a classic PDF file to replace a few stream objects and rebuild the cross-reference table."""

    def __init__(self, data: bytes):
        self.data = data
        start = data.rfind(b"startxref")
        match = re.match(rb"startxref\s+(\d+)", data[start:]) if start >= 0 else None
        if match is None:
            raise ValueError("no startxref")
        self.xref_at = int(match.group(1))
        header = re.compile(rb"xref\s+(\d+)\s+(\d+)\s*?\r?\n").match(data, self.xref_at)
        if header is None:
            raise ValueError("no classic cross-reference table (object streams are not read here)")
        first, count = int(header.group(1)), int(header.group(2))
        self.table_at = header.end()
        self.offsets: dict[int, int] = {}
        entry = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
        pos = self.table_at
        for number in range(first, first + count):
            row = entry.match(data, pos)
            if row is None:
                raise ValueError("a damaged cross-reference table")
            if row.group(3) == b"n":
                self.offsets[number] = int(row.group(1))
            pos = row.end()
            while data[pos:pos + 1] in (b" ", b"\r", b"\n"):
                pos += 1
        self.table_end = pos
        self.first = first

    def stream(self, number: int) -> tuple[int, int, bytes, int, int]:
        """(dict start, dict end, dict bytes, data start, data end) of stream object `number`."""
        at = self.offsets[number]
        head = re.compile(rb"\d+\s+\d+\s+obj\s*(<<.*?>>)\s*stream(\r\n|\n)", re.S).match(self.data, at)
        if head is None:
            raise ValueError(f"object {number} is not a stream")
        dictionary = head.group(1)
        length = re.search(rb"/Length\s+(\d+)(\s+(\d+)\s+R)?", dictionary)
        if length is None:
            raise ValueError(f"object {number} has no /Length")
        size = self.integer(int(length.group(1))) if length.group(2) else int(length.group(1))
        return head.start(1), head.end(1), dictionary, head.end(), head.end() + size

    def integer(self, number: int) -> int:
        match = re.compile(rb"\d+\s+\d+\s+obj\s*(\d+)\s*endobj").match(self.data, self.offsets[number])
        if match is None:
            raise ValueError(f"object {number} is not a number")
        return int(match.group(1))


def _splice(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """`data` with each (start, end, replacement) put in place of data[start:end]; edits sorted, not overlapping."""
    out, last = [], 0
    for start, end, replacement in edits:
        out += [data[last:start], replacement]
        last = end
    out.append(data[last:])
    return b"".join(out)


def fold_pdf(data: bytes) -> bytes:
    """The PDF with its ToUnicode CMaps folded; the same bytes when none maps to a radical."""
    pdf = _Pdf(data)
    edits: list[tuple[int, int, bytes]] = []  # (start, end, replacement), not overlapping
    for number in sorted({int(m.group(1)) for m in _TO_UNICODE.finditer(data)}):
        dict_start, dict_end, dictionary, data_start, data_end = pdf.stream(number)
        raw = data[data_start:data_end]
        filters = re.search(rb"/Filter\s*(/\w+|\[[^\]]*\])", dictionary)
        flate = filters is not None and filters.group(1).strip(b"[] ") == b"/FlateDecode"
        if filters is not None and not flate:
            raise ValueError(f"ToUnicode object {number} has a filter this cannot read: {filters.group(1)!r}")
        cmap = zlib.decompress(raw) if flate else raw
        folded = fold_cmap(cmap)
        if folded == cmap:
            continue
        new_raw = zlib.compress(folded) if flate else folded
        new_dict, direct = re.subn(rb"/Length\s+\d+\b(?!\s+\d+\s+R)", b"/Length %d" % len(new_raw), dictionary)
        if not direct:  # an indirect /Length: give the stream a direct one (the old length object stays, unused)
            new_dict = re.sub(rb"/Length\s+\d+\s+\d+\s+R", b"/Length %d" % len(new_raw), dictionary)
        edits.append((dict_start, dict_end, new_dict))
        edits.append((data_start, data_end, new_raw))
    if not edits:
        return data
    edits.sort()
    body = _splice(data, edits)

    def moved(offset: int) -> int:
        return offset + sum(len(new) - (end - start) for start, end, new in edits if start < offset)

    xref_at = moved(pdf.xref_at)
    table_at, table_end = moved(pdf.table_at), moved(pdf.table_end)
    rows = []
    entry = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
    for index, row in enumerate(entry.finditer(body, table_at, table_end)):
        if row.group(3) == b"n":
            row_text = b"%010d %s n" % (moved(pdf.offsets[pdf.first + index]), row.group(2))
        else:
            row_text = row.group(0)
        rows.append((row.start(), row.end(), row_text))
    body = _splice(body, rows)
    tail = body.rfind(b"startxref")
    return body[:tail] + re.sub(rb"startxref\s+\d+", b"startxref\n%d" % xref_at, body[tail:], count=1)


def fix_text_layer(path: str | os.PathLike) -> bool:
    """Fold the radicals of the PDF at `path` in place. True when something changed."""
    with open(path, "rb") as fh:
        data = fh.read()
    fixed = fold_pdf(data)
    if fixed == data:
        return False
    with open(path, "wb") as fh:
        fh.write(fixed)
    return True
