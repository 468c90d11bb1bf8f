"""The text layer of printed PDFs: pdftotext reads the ideographs that were printed, never radical look-alikes."""
import re
import shutil
import subprocess
import unicodedata

import pytest

from community_desk.gui.pdf_unicode import RADICAL_IDEOGRAPHS, fold_cmap, fold_pdf
from community_desk.gui.printing import TableSheet, write_pdf
from tests.pdf_text import pdf_pages, pdf_text

NAMES = "女 白 人 日 民 长 户 门 页 见 马 鱼 西 母"


def _radicals(text: str) -> str:
    return "".join(ch for ch in text if 0x2E80 <= ord(ch) <= 0x2FDF)


def test_a_printed_sheet_reads_back_exactly(qapp, tmp_path):
    path = tmp_path / "名单.pdf"
    rows = [("王长春", "女", "户主"), ("白人日民", "男", "户籍在京"), ("门页见马鱼西母", "女", "")]
    sheet = TableSheet(f"居民名单 {NAMES}", ["姓名", "性别", "备注"], rows, footer="共 3 人")
    assert write_pdf(sheet, path) == 1

    text = pdf_text(path)
    assert _radicals(text) == ""
    assert f"居民名单 {NAMES}" in text
    for name, gender, note in rows:
        assert re.search(f"{name}\\s+{gender}", text), name
        assert note in text
    assert "第 1 页，共 1 页" in text
    # still a whole PDF every poppler tool reads (poppler repairs a broken cross-reference table silently, so
    # check the offsets too)
    assert pdf_pages(path) == 1
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")], check=True)
        assert (tmp_path / "page-1.png").stat().st_size > 1000
    _assert_xref_exact(path.read_bytes())


def _assert_xref_exact(data: bytes) -> None:
    at = int(re.search(rb"startxref\s+(\d+)", data[data.rfind(b"startxref"):]).group(1))
    assert data[at:at + 4] == b"xref"
    header = re.compile(rb"xref\s+(\d+)\s+(\d+)\s*\n").match(data, at)
    rows = re.findall(rb"(\d{10}) (\d{5}) ([nf])", data[header.end():header.end() + 20 * int(header.group(2))])
    for number, (offset, _gen, kind) in enumerate(rows, start=int(header.group(1))):
        if kind == b"n":
            assert re.match(rb"%d 0 obj" % number, data[int(offset):int(offset) + 20]), number


def test_a_radical_that_becomes_a_longer_character_moves_the_offsets(qapp, tmp_path):
    """⺩ U+2EA9 shares its glyph with 𤣩 U+248E9, four UTF-16 bytes instead of two: the CMap grows and every
    object after it moves."""
    path = tmp_path / "长.pdf"
    write_pdf(TableSheet("𤣩 王 女", ["备注"], [("𤣩",)] * 40), path)
    text = pdf_text(path)
    assert _radicals(text) == ""
    assert text.count("𤣩") == 41 and "𤣩王女" in text.replace(" ", "")
    _assert_xref_exact(path.read_bytes())


def test_cmap_destinations_fold_and_glyph_codes_do_not():
    cmap = (b"2 beginbfchar\n<2F25> <2F25>\n<0003> <0041>\nendbfchar\n"
            b"2 beginbfrange\n<0001> <0003> [<2F08> <2ED3> <738B>]\n<2F20> <2F22> <2F24>\nendbfrange\n")
    folded = fold_cmap(cmap).decode()
    assert "<2F25> <5973>" in folded  # a glyph code 2F25 stays; its character 女 is folded
    assert "<0001> <0003> [<4EBA> <957F> <738B>]" in folded
    # a counting range over radicals becomes an array: ⼤ ⼥ ⼦ -> 大 女 子
    assert "<2F20> <2F22> [<5927> <5973> <5B50>]" in folded
    assert fold_cmap(b"1 beginbfchar\n<0001> <738B>\nendbfchar\n") == b"1 beginbfchar\n<0001> <738B>\nendbfchar\n"


def test_every_radical_has_an_ideograph():
    kangxi = [chr(c) for c in range(0x2F00, 0x2FD6)]
    supplement = [chr(c) for c in range(0x2E81, 0x2EF4) if c != 0x2E9A]
    for radical in kangxi + supplement:
        ideograph = RADICAL_IDEOGRAPHS[radical]
        assert unicodedata.name(ideograph).startswith("CJK UNIFIED IDEOGRAPH"), radical
    assert RADICAL_IDEOGRAPHS["⼥"] == "女" and RADICAL_IDEOGRAPHS["⻓"] == "长" and RADICAL_IDEOGRAPHS["⺠"] == "民"
    assert RADICAL_IDEOGRAPHS["⼾"] == "户"  # not NFKC's traditional 戶: the print font draws 户 with this glyph


def test_radical_table_matches_the_print_font(qapp):
    """Where the font sheets are printed with draws a radical and an ideograph with one glyph, the table names that
    ideograph (the character a sheet printed)."""
    from PySide6.QtGui import QFont, QRawFont

    font = QFont("Noto Sans CJK SC", 12)
    raw = QRawFont.fromFont(font)
    if raw.familyName() != "Noto Sans CJK SC":
        pytest.skip("Noto Sans CJK SC is not installed")
    by_glyph = {}
    for first, last in ((0x4E00, 0xA000), (0x3400, 0x4DC0), (0x20000, 0x2EBE0)):
        for code in range(first, last):
            glyph = raw.glyphIndexesForString(chr(code))
            if glyph and glyph[0]:
                by_glyph.setdefault(glyph[0], []).append(chr(code))
    for radical, ideograph in RADICAL_IDEOGRAPHS.items():
        glyph = raw.glyphIndexesForString(radical)
        shared = by_glyph.get(glyph[0], []) if glyph and glyph[0] else []
        assert not shared or ideograph in shared, (radical, ideograph, shared)


def test_a_fixed_pdf_is_left_byte_for_byte(qapp, tmp_path):
    path = tmp_path / "abc.pdf"
    write_pdf(TableSheet("ABC", ["x"], [("1",)]), path)
    data = path.read_bytes()
    assert fold_pdf(data) == data
