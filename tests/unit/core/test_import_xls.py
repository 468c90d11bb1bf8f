"""Old .xls lists (WPS, older town systems) are read with xlrd: the same list as .xls and as .xlsx reads to the same
rows and the same preview; an encrypted .xls, a truncated one and an OLE file that is no workbook are refused in
Chinese with exit 2 by `import-ledger` in a child process (a reader that aborted would fail the test, not pytest).
The .xls files are tests/fixtures/ledger_sample*.xls, made once as tests/fixtures/ledger_sample.py says."""
import datetime as dt
import shutil

import pytest
from openpyxl import Workbook

from community_desk.core.excel import ledger_import as li
from community_desk.core.excel import ledger_preview as lp
from community_desk.core.excel import ledger_read, xls_book
from tests.fixtures import ledger_sample as sample
from tests.import_child import counts, new_database, run_import

PUSH = dt.date(2021, 8, 5)


def sample_xlsx(path):
    """The fixture's list written as an .xlsx: same sheets, same hidden row and hidden sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = sample.SHEET
    for row in sample.ROWS:
        ws.append(row)
    ws.row_dimensions[sample.HIDDEN_ROW].hidden = True
    wb.create_sheet(sample.NOTES_SHEET).append(["身份证号码请填 18 位"])
    old = wb.create_sheet(sample.HIDDEN_SHEET)
    old.append(sample.HEADER)
    old.append([None, "赵六", None, "110111198603010061"])
    old.sheet_state = "hidden"
    wb.save(path)
    return path


def test_xls_and_xlsx_read_to_the_same_rows(tmp_path):
    xls_sheets, xls_hidden = ledger_read.read_sheets(sample.XLS)
    xlsx_sheets, xlsx_hidden = ledger_read.read_sheets(sample_xlsx(tmp_path / "sample.xlsx"))
    assert [name for name, _rows in xls_sheets] == [sample.SHEET, sample.NOTES_SHEET]
    assert xls_sheets == xlsx_sheets
    assert xls_hidden[sample.SHEET] == xlsx_hidden[sample.SHEET] == {sample.HIDDEN_ROW}
    rows = dict(xls_sheets)[sample.SHEET]
    assert rows[2][4] == 13800138000.0 and isinstance(rows[2][4], float)
    assert rows[2][7] == dt.date(2021, 8, 1) and type(rows[2][7]) is dt.date
    assert rows[3][7] == dt.datetime(2021, 8, 2, 14, 30)
    assert rows[2][11] is True and rows[3][11] is False and rows[4][11] == 2.5


def test_xls_and_xlsx_give_the_same_preview(community, tmp_path):
    from_xls = lp.preview(sample.XLS, push_date=PUSH)
    from_xlsx = lp.preview(sample_xlsx(tmp_path / "sample.xlsx"), push_date=PUSH)
    assert from_xls.summary() == from_xlsx.summary()
    assert [(r.row, r.values, r.normalised) for r in from_xls.new] == \
        [(r.row, r.values, r.normalised) for r in from_xlsx.new]
    assert (from_xls.sheets, from_xls.header_row, from_xls.hidden_rows, from_xls.skipped) == \
        ([sample.SHEET], 2, 1, 2)
    assert [r.values["name"] for r in from_xls.new] == ["王伟", "李娜", "张敏", "刘洋"]
    assert [r["row"] for r in from_xls.rejected] == [7] and [d["row"] for d in from_xls.duplicates] == [8]
    assert from_xls.new[1].values["arrival_date"] == dt.date(2021, 8, 2)
    assert from_xls.new[2].values["arrival_date"] == dt.date(2021, 8, 3)
    assert li.commit(from_xls)["new"] == 4


def test_a_too_big_xls_is_refused_before_xlrd_reads_it(tmp_path, monkeypatch):
    monkeypatch.setattr(xls_book, "MAX_XLS_MB", 0.001)
    with pytest.raises(ledger_read.LedgerReadError, match="旧版 Excel 文件太大"):
        ledger_read.read_sheets(sample.XLS)


@pytest.fixture
def database(tmp_path):
    return new_database(tmp_path / "desk.db")


def refused(run, *words):
    assert run.rc == 2, (run.rc, run.err[-2000:])
    assert "Traceback" not in run.err, run.err[-2000:]
    for word in words:
        assert word in run.err, run.err


def test_the_command_imports_an_xls(database, tmp_path):
    path = shutil.copy(sample.XLS, tmp_path / "名单.xls")
    run = run_import(database, str(path), "--push-date", "2021-08-05")
    assert run.rc == 0, run.err
    assert counts(database)["quarantine_case"] == 4


def test_an_encrypted_xls_is_refused(database, tmp_path):
    before = counts(database)
    refused(run_import(database, str(sample.ENCRYPTED_XLS)), "密码")
    assert counts(database) == before


@pytest.mark.parametrize("keep", [600, 2048, 6000])
def test_a_truncated_xls_is_refused_in_chinese(database, tmp_path, keep):
    path = tmp_path / "cut.xls"
    path.write_bytes(sample.XLS.read_bytes()[:keep])
    before = counts(database)
    refused(run_import(database, str(path)), "文件已损坏或不完整", ".xls")
    assert counts(database) == before


def test_an_xls_with_a_value_in_its_last_cell_is_refused_naming_it(database):
    """One value in IV65536 next to the header: 65,536 x 256 cells, over the budget an .xlsx gets."""
    before = counts(database)
    run = run_import(database, str(sample.FAR_XLS))
    refused(run, "IV65536", "表格范围过大")
    assert counts(database) == before
    assert 0 < run.peak_mb < 400, run.peak_mb
