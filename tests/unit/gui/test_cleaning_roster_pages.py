"""Pages of the printed window-cleaning roster (擦玻璃服务花名册, issue 16): its 服务要求 and signature line (带队人签字 /
完成日期 / 填报人) never stand alone on a page; they go with the last rows of the list, as on every printed table
(gui.printing.Tables).

The round is real (small_round); the sheet's rows come from a stand-in for the roster query, so that any number of
visits can be laid out quickly: what is under test is where the lines fall, not which visits are scheduled."""
from __future__ import annotations

import subprocess

import pytest

from community_desk.core.queries.cleaning_visits import RosterSection
from community_desk.gui import printing
from community_desk.gui.windows.cleaning import roster_print
from tests.pdf_text import pdf_pages, pdf_text
from tests.unit.cleaning_data import START, small_round

SIGN = "带队人签字"
RULES = "服务要求"


@pytest.fixture
def sheet_of(community, monkeypatch):
    """sheet_of(n): the roster document of a round whose one team-day sheet has n visits."""
    round_id = small_round(community)["round"]

    def make(n: int) -> printing.Document:
        rows = [("上午" if i <= n // 2 else "下午", f"3号楼{i % 6 + 1}单元{i % 9 + 1}01室", i % 9 + 1, f"王大{i}",
                 "上门" if i % 4 == 0 else "电话", i % 5 + 2, "听力残疾，敲门后稍等" if i % 3 == 0 else "")
                for i in range(1, n + 1)]
        section = RosterSection(START, "第1服务队", "刘强", "刘强、陈静", rows)
        monkeypatch.setattr(roster_print.cleaning_visits, "roster", lambda *_args: [section])
        document, count = roster_print.roster_document(round_id)
        assert count == n and len(document.parts) == 1
        return document
    return make


def _top_page(doc, text: str, height: float) -> int:
    block = doc.find(text).block()
    assert block.isValid(), text
    top = doc.documentLayout().blockBoundingRect(block).top() + block.layout().lineAt(0).y()
    return int(top // height)


def _last_row_page(doc, height: float) -> int:
    table = printing._tables(doc)[-1]
    return int(printing._rows(doc, table)[-1][0] // height)


def _qt_alone(document: printing.Document):
    """The sheet laid out by Qt alone (its HTML as it is, no row moved)."""
    _label, maker = document.parts[0]
    return printing._lay_out_part(document, maker(printing.Tables()), printing._body_size(document))


@pytest.mark.parametrize("rows", range(12, 48, 1))
def test_the_requirements_and_sign_line_stay_with_the_last_rows(qapp, sheet_of, rows):
    laid = printing.lay_out(sheet_of(rows))
    _label, doc, _rules = laid.parts[0]
    height = laid.body.height()
    assert (_top_page(doc, RULES, height) == _top_page(doc, SIGN, height) == _last_row_page(doc, height)
            == laid.page_count - 1)


def test_a_sign_line_that_would_stand_alone_takes_the_last_rows_with_it(qapp, sheet_of, tmp_path):
    # the number of visits at which Qt alone puts the sign line on a page of its own, under 服务要求 that still fits
    alone = None
    for rows in range(10, 40):
        document = sheet_of(rows)
        doc = _qt_alone(document)
        height = printing._body_size(document).height()
        if _top_page(doc, RULES, height) == _last_row_page(doc, height) < _top_page(doc, SIGN, height):
            alone = rows
            break
    assert alone is not None, "no length puts the sign line alone: the test would not test anything"
    document = sheet_of(alone)
    pages = printing.write_pdf(document, tmp_path / "roster.pdf")
    assert pages == pdf_pages(tmp_path / "roster.pdf") == 2
    assert SIGN in pdf_text(tmp_path / "roster.pdf")
    texts = [subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), str(tmp_path / "roster.pdf"), "-"],
                            capture_output=True, text=True, check=True).stdout for p in (1, 2)]
    sign_page = next(text for text in texts if SIGN in text)
    # the header is repeated on a page only above rows of the list: the sign line's page holds the table's rows
    assert "窗户数" in sign_page and "联系方式" in sign_page and RULES in sign_page
    assert "第 2 页，共 2 页" in sign_page


def test_without_the_check_the_sign_line_is_left_alone(qapp, sheet_of, tmp_path, monkeypatch):
    """The test above sees a sign line left alone (Qt's own layout leaves it so)."""
    monkeypatch.setattr(printing, "_orphaned_footer", lambda *_args: None)
    with pytest.raises(AssertionError):
        test_a_sign_line_that_would_stand_alone_takes_the_last_rows_with_it(qapp, sheet_of, tmp_path)
