"""Pages of a printed table (issue 16): the footer never stands alone on a page, and the last row on a page the
table goes on from keeps its bottom rule (Qt leaves it out)."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from community_desk.gui import printing
from tests.pdf_text import pdf_pages, pdf_text

FOOTER = "填报单位：原乡小镇社区居委会　填报人：张敏　填报日期：2026年12月06日"


def _sheet(rows: int) -> printing.TableSheet:
    return printing.TableSheet("居民名单", ["序号", "姓名", "住址"],
                               [(i, f"居民{i}", f"{i % 30 + 1}号楼{i % 6 + 1}01") for i in range(1, rows + 1)],
                               subtitle="共", footer=FOOTER)


def _page_of_footer(laid: printing.LaidOut) -> int:
    _label, doc, _rules = laid.parts[0]
    block = doc.find("填报单位").block()
    top = doc.documentLayout().blockBoundingRect(block).top() + block.layout().lineAt(0).y()
    return int(top // laid.body.height())


def _page_of_last_row(laid: printing.LaidOut) -> int:
    _label, doc, _rules = laid.parts[0]
    table = printing._tables(doc)[-1]
    return int(printing._rows(doc, table)[-1][0] // laid.body.height())


@pytest.mark.parametrize("rows", range(18, 30))
def test_the_footer_stays_on_the_page_of_the_last_rows(qapp, rows):
    laid = printing.lay_out(_sheet(rows))
    assert _page_of_footer(laid) == _page_of_last_row(laid) == laid.page_count - 1


def test_a_footer_that_would_stand_alone_takes_the_last_rows_with_it(qapp, tmp_path):
    # find the length at which Qt alone would put the footer on a page of its own
    alone = None
    for rows in range(15, 40):
        doc = printing._lay_out_part(printing.Document.single("x", ""), printing.sheet_html(_sheet(rows)),
                                     printing._body_size(_sheet(rows).document()))
        block = doc.find("填报单位").block()
        table = printing._tables(doc)[0]
        height = printing._body_size(_sheet(rows).document()).height()
        top = doc.documentLayout().blockBoundingRect(block).top() + block.layout().lineAt(0).y()
        if int(top // height) > int(printing._rows(doc, table)[-1][0] // height):
            alone = rows
            break
    assert alone is not None, "no length puts the footer alone: the test would not test anything"
    pages = printing.write_pdf(_sheet(alone), tmp_path / "s.pdf")
    assert pages == pdf_pages(tmp_path / "s.pdf") == 2
    last_page = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(tmp_path / "s.pdf"), "-"],
                               capture_output=True, text=True, check=True).stdout
    assert f"居民{alone}" in last_page and f"居民{alone - 1}" in last_page and "填报单位" in last_page
    assert "填报单位" in pdf_text(tmp_path / "s.pdf")


def _dark_rows(pgm) -> list[int]:
    """Rows of pixels (from the top) that are mostly dark across the middle of a PGM image."""
    parts = pgm.read_bytes().split(b"\n", 3)  # P5, width height, maxval, pixels
    width, height = map(int, parts[1].split())
    pixels = parts[3]
    out = []
    for y in range(height):
        line = pixels[y * width:(y + 1) * width]
        middle = line[width // 10: width * 9 // 10]
        if sum(1 for v in middle if v < 140) > len(middle) * 0.9:
            out.append(y)
    return out


def test_the_last_row_on_a_page_keeps_its_bottom_rule(qapp, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    sheet = _sheet(60)
    laid = printing.lay_out(sheet)
    _label, doc, rules = laid.parts[0]
    assert laid.page_count >= 2 and rules.get(0), "the table goes on to page 2: page 1 needs a rule"
    printing.write_pdf(_sheet(60), tmp_path / "t.pdf")
    subprocess.run(["pdftoppm", "-r", "72", "-gray", "-f", "1", "-l", "1", str(tmp_path / "t.pdf"),
                    str(tmp_path / "p")], check=True)
    image = next(tmp_path.glob("p*.pgm"))
    dark = _dark_rows(image)
    table = printing._tables(doc)[0]
    rows = printing._rows(doc, table)
    last_on_page_1 = max(bottom for top, bottom in rows if top < laid.body.height())
    # document pixels (96 dpi) under the top margin -> pixels of the 72 dpi image
    margin_top = sheet.document().margins_mm[1] / 25.4 * 72
    expected = margin_top + (last_on_page_1 + 3.5) * 72 / 96
    assert any(abs(y - expected) <= 3 for y in dark), (expected, dark[-5:])
    # and nothing (a side rule running on) under it before the page number
    assert max(dark) <= expected + 3


def test_without_the_rule_the_check_fails(qapp, tmp_path, monkeypatch):
    """The check above sees a missing rule (Qt's own drawing leaves it out)."""
    monkeypatch.setattr(printing, "_page_break_rules", lambda doc, height: {})
    with pytest.raises(AssertionError):
        test_the_last_row_on_a_page_keeps_its_bottom_rule(qapp, tmp_path)
