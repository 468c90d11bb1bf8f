"""Hostile and odd workbooks (issue 14 items 6, 7, 9), written by hand with zipfile and imported by `main.py
import-ledger` in a child process: a reader that aborts the process fails the test instead of killing pytest. Each
refusal is exit 2, a Chinese line on stderr, no traceback, nothing written; the zip bomb is refused before it is read
(the child's peak memory stays small)."""
import datetime as dt

import pytest

from community_desk.core.rules.idcard import make_id
from tests.hostile_xlsx import (
    cell,
    column_letters,
    ole_file,
    people_rows,
    row_xml,
    whitespace_bomb,
    write_xlsx,
)
from tests.import_child import counts, new_database, run_import, verdict


def people(n=20):
    return [[i, f"王{i}", make_id("110111", dt.date(1980, 1, 1), i), "13800138000", "原乡小镇3号楼501", "原乡小镇",
             "2021-08-01", "居家隔离"] for i in range(1, n + 1)]


@pytest.fixture
def database(tmp_path):
    return new_database(tmp_path / "desk.db")


def refused(run, *words):
    assert run.rc == 2, (run.rc, run.err[-2000:])
    assert "Traceback" not in run.err and "panicked" not in run.err, run.err[-2000:]
    for word in words:
        assert word in run.err, run.err


def test_a_value_in_xfd1048576_is_refused_naming_the_cell(database, tmp_path):
    path = write_xlsx(tmp_path / "far.xlsx", [*people_rows(people()),
                                              '<row r="1048576">' + cell(1048576, 16383, "x") + "</row>"],
                      dimension="A1:XFD1048576")
    assert path.stat().st_size < 10_000
    before = counts(database)
    run = run_import(database, str(path))
    refused(run, "XFD1048576", "表格范围过大", "请删除多余的行列后另存再导入")
    assert counts(database) == before


def test_a_dimension_that_lies_does_not_fool_the_check(database, tmp_path):
    path = write_xlsx(tmp_path / "liar.xlsx", [*people_rows(people()),
                                               '<row r="900000">' + cell(900000, 9000, "x") + "</row>"],
                      dimension="A1:H21")
    before = counts(database)
    refused(run_import(database, str(path)), f"{column_letters(9000)}900000")
    assert counts(database) == before


@pytest.mark.parametrize("megabytes, word", [(1024, "压缩炸弹"), (120, "压缩比异常")])
def test_a_whitespace_zip_bomb_is_refused_before_reading(database, tmp_path, megabytes, word):
    path = whitespace_bomb(tmp_path / "bomb.xlsx", megabytes)
    assert path.stat().st_size < 2_000_000
    before = counts(database)
    run = run_import(database, str(path))
    refused(run, word)
    assert counts(database) == before
    assert 0 < run.peak_mb < 200, run.peak_mb  # read in full it took 2.1 GB (and 8 GB aborted)


@pytest.mark.parametrize("encrypted, word", [(True, "密码"), (False, ".xls")])
def test_ole_files_are_refused_clearly(database, tmp_path, encrypted, word):
    before = counts(database)
    run = run_import(database, str(ole_file(tmp_path / "old.xls", encrypted)))
    refused(run, word, "另存为 .xlsx")
    assert counts(database) == before


def test_a_space_in_the_last_row_is_not_a_million_rows(database, tmp_path):
    path = write_xlsx(tmp_path / "space.xlsx", [*people_rows(people()),
                                                '<row r="1048576">' + cell(1048576, 10, " ") + "</row>"])
    run = run_import(database, str(path), "--push-date", "2021-08-05")
    assert run.rc == 0, run.err
    assert "新增 20 人" in run.out and "超过" not in run.out + run.err
    assert counts(database)["quarantine_case"] == 20
    assert run.peak_mb < 250, run.peak_mb  # calamine alone allocated 373 MB for the used range


def test_a_formula_filled_down_to_the_last_row_is_not_a_million_rows(database, tmp_path):
    filled = (f'<row r="{r}"><c r="I{r}" t="str"><f>IF(B{r}="","",B{r})</f><v></v></c></row>'
              for r in range(22, 1048577))
    path = write_xlsx(tmp_path / "formula.xlsx", [*people_rows(people()), *filled])
    run = run_import(database, str(path), "--push-date", "2021-08-05", timeout=300)
    assert run.rc == 0, run.err
    assert "新增 20 人" in run.out
    assert counts(database)["quarantine_case"] == 20
    assert run.peak_mb < 300, run.peak_mb


def test_a_header_only_file_is_not_imported(database, tmp_path):
    path = write_xlsx(tmp_path / "empty.xlsx", people_rows([]))
    before = counts(database)
    run = run_import(database, str(path))
    refused(run, "没有可导入的人员")
    assert "已导入" not in run.out
    assert counts(database) == before  # no empty batch, no audit line
    assert not (database.parent / "backups").exists() or not any((database.parent / "backups").iterdir())
    run = run_import(database, str(path), "--json")
    assert run.rc == 2
    out = verdict(run)
    assert out["committed"] is False and out["importable"] is False and "没有可导入的人员" in out["error"]


def test_every_row_refused_is_not_imported(database, tmp_path):
    bad = [[1, "", make_id("110111", dt.date(1980, 1, 1), 1)], [2, "王二", "12345"]]
    path = write_xlsx(tmp_path / "bad.xlsx", people_rows(bad))
    before = counts(database)
    run = run_import(database, str(path), "--json")
    refused(run, "没有可导入的人员")
    out = verdict(run)
    assert out["committed"] is False and out["importable"] is False and len(out["rejected"]) == 2
    assert counts(database) == before


def test_the_row_limit_counts_rows_with_data(database, tmp_path):
    path = write_xlsx(tmp_path / "gaps.xlsx", [row_xml(1, ["姓名", "身份证号码", "所属社区"]),
                                               row_xml(2, ["王伟", make_id("110111", dt.date(1980, 1, 1), 1), "原乡小镇"]),
                                               row_xml(250000, ["张三", make_id("110111", dt.date(1980, 1, 1), 2),
                                                                "原乡小镇"])])
    run = run_import(database, str(path), "--push-date", "2021-08-05")
    assert run.rc == 0, run.err
    assert "新增 2 人" in run.out
