"""core/excel/row_writer.py writes a row as one parsed element instead of openpyxl's cell by cell: the workbook must
be the same. Each sheet is written twice, once as the program does and once with openpyxl's own writer (the fast
writer not installed), and every part of the two files is compared as canonical XML."""
from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal

import pytest
from lxml import etree
from openpyxl.utils.exceptions import IllegalCharacterError

from community_desk.core import session
from community_desk.core.excel import house_style as hs
from community_desk.core.excel import row_writer
from community_desk.core.excel.house_style import DATE, MONEY, Percent, ReportMeta, Sheet, write_workbook

META = ReportMeta(office="长阳镇原乡小镇社区居委会", reporter="张敏")
LONG = "北京市房山区长阳镇原乡小镇 12 号楼 3 单元 402 室（东侧门进，门铃坏了请敲门）"

ODD_TEXT = ["a & b < c > d", 'say "hi"', "  leading", "trailing  ", "tab\there", "two\nlines", "cr\r\nlf", "\r",
            "", "=SUM(A1:A2)", "=", "+86 138 0000 0000", "-5", "@home", "#N/A", "#DIV/0!", "x" * 40000,
            "𠀀𠀁 astral", "emoji 😀", "]]>", "&amp; already", "中文，全角标点；", " ", "\u3000全角空格"]
NUMBERS = [0, -1, 7, 12345678901234567890, 3.14159, -0.5, 1e-9, 1e300, float("nan"), float("inf"), True, False]
OTHERS = [dt.date(2026, 12, 7), dt.datetime(2026, 12, 7, 8, 30), Decimal("12.30"), Percent(0.25), None]


@pytest.fixture(autouse=True)
def staff_session(monkeypatch):
    """Exports are refused to a read-only session: these run as a staff member, whatever a test before left."""
    monkeypatch.setattr(session, "current", session.Session(user="测试员", role="管理员"))


def openpyxl_writer(ws) -> None:
    """What row_writer.install replaced: openpyxl writes every row itself (cell objects passed through)."""
    ws._values_to_row = row_writer.cells_to_row(ws)


def parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        out = {}
        for name in z.namelist():
            data = z.read(name)
            if name.endswith(".xml") or name.endswith(".rels"):
                root = etree.fromstring(data)
                for stamp in (*root.iter("{http://purl.org/dc/terms/}created"),
                              *root.iter("{http://purl.org/dc/terms/}modified")):
                    stamp.text = ""  # when each workbook was made and saved: a second apart at times
                data = etree.tostring(root, method="c14n")
            out[name] = data
        return out


def write_both(tmp_path, monkeypatch, sheets_of) -> tuple[dict, dict]:
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "openpyxl.xlsx"
    write_workbook(fast, sheets_of(), META)
    with monkeypatch.context() as m:
        m.setattr(row_writer, "install", openpyxl_writer)
        write_workbook(slow, sheets_of(), META)
    return parts(fast), parts(slow)


def sheet_xml(book: dict, n: int = 1) -> bytes:
    return book[f"xl/worksheets/sheet{n}.xml"]


def test_every_kind_of_value_is_written_as_openpyxl_writes_it(tmp_path, monkeypatch):
    values = ODD_TEXT + NUMBERS + OTHERS

    def sheets():
        rows = [(n, value, LONG if n % 2 else "短", value if n % 3 else None) for n, value in enumerate(values, 1)]
        plain = [(n, f"张{n}", "男", n * 2, "110105196801011234", LONG) for n in range(1, 40)]
        return [Sheet(name="杂", title="各种各样的值", headers=["序号", "值", "地址", "又一值"], rows=rows,
                      kinds={3: MONEY}),
                Sheet(name="居民", title="居民台账", headers=["序号", "姓名", "性别", "年龄", "身份证号", "住址"],
                      rows=plain, total=("合计", "", "", 39, "", "")),
                Sheet(name="日期", title="日期列", headers=["日期", "金额"], kinds={"日期": DATE, 1: MONEY},
                      rows=[("2026-08-21", "1234.5"), (dt.date(2026, 8, 22), 7), ("", None)]),
                Sheet(name="签到表", title="签到表", headers=["姓名", "签字"], rows=[("王洋", ""), ("=x", None)],
                      row_height=hs.SIGN_ROW_HEIGHT)]

    fast, slow = write_both(tmp_path, monkeypatch, sheets)
    assert fast.keys() == slow.keys()
    for name in slow:
        assert fast[name] == slow[name], name
    text = sheet_xml(fast).decode()
    assert "a &amp; b &lt; c &gt; d" in text and 'xml:space="preserve"' in text and "&#xD;" in text  # \r kept (c14n writes it so)
    assert 'ht="' in text  # the wrapped rows' heights went with them


def test_the_fast_way_is_taken_for_plain_rows(tmp_path, monkeypatch):
    """The comparison above proves nothing if every row went openpyxl's way: count the rows each way takes."""
    fell_back = []
    original = row_writer.cells_to_row

    def counting(ws):
        to_cells = original(ws)

        def values_to_row(values, row_idx):
            fell_back.append(row_idx)
            return to_cells(values, row_idx)
        return values_to_row

    monkeypatch.setattr(row_writer, "cells_to_row", counting)
    rows = [(n, f"李{n}", LONG, 3.5, "a & b") for n in range(1, 101)] + [(101, dt.date(2026, 1, 1), "", 1, "")]
    write_workbook(tmp_path / "t.xlsx", [Sheet(name="a", title="t", headers=list("ABCDE"), rows=rows)], META)
    assert fell_back == [103]  # only the row with a date; title, header, footer and the plain rows were fast


def test_a_very_wide_row_is_written_as_openpyxl_writes_it(tmp_path, monkeypatch):
    def sheets():
        headers = [f"列{n}" for n in range(250)]
        return [Sheet(name="宽", title="很宽的表", headers=headers, rows=[tuple(range(250)), tuple(map(str, range(250)))])]

    fast, slow = write_both(tmp_path, monkeypatch, sheets)
    assert sheet_xml(fast) == sheet_xml(slow) and b'r="IP4"' in sheet_xml(fast)


@pytest.mark.parametrize("bad", ["bell\x07", "nul\x00", "esc\x1b"])
def test_a_control_character_is_refused_as_openpyxl_refuses_it(tmp_path, bad):
    rows = [(1, "王洋"), (2, bad)]
    with pytest.raises(IllegalCharacterError):
        write_workbook(tmp_path / "t.xlsx", [Sheet(name="a", title="t", headers=["序号", "姓名"], rows=rows)], META)
    assert not (tmp_path / "t.xlsx").exists()


@pytest.mark.parametrize("bad", ["\ufffe", "lone \ud800 surrogate"])
def test_a_character_xml_cannot_hold_goes_to_openpyxl(tmp_path, monkeypatch, bad):
    """Not a control character, so it passes the check, but XML has no place for it: the parse fails and the row
    is openpyxl's, which refuses it as it always did (the same error either way)."""
    def write():
        write_workbook(tmp_path / "t.xlsx", [Sheet(name="a", title="t", headers=["x"], rows=[(bad,)])], META)

    with pytest.raises(Exception) as ours:  # noqa: PT011 - the type is whatever openpyxl raises; compared below
        write()
    monkeypatch.setattr(row_writer, "install", openpyxl_writer)
    with pytest.raises(Exception) as theirs:  # noqa: PT011
        write()
    assert type(ours.value) is type(theirs.value)
