"""Random cells thrown at the dispatched-list importer: a clear answer for every row, no unhandled
exception, and a commit that writes exactly what the preview accepted (or nothing at all)."""
import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from community_desk.core.excel import ledger_import as li
from community_desk.core.excel import ledger_preview as lp
from community_desk.core.excel import ledger_read
from community_desk.core.models import QuarantineCase
from community_desk.core.rules.idcard import make_id
from community_desk.core.rules.text import ValidationError

HEADER = ["序号", "姓名", "身份证号码", "手机号", "现居住地址", "所属社区", "来京日期", "管控措施"]
_counter = itertools.count(1)

text = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)  # what a cell can hold
cell = st.one_of(
    st.none(), st.integers(-10**12, 10**18), st.floats(allow_nan=False, allow_infinity=False), text, st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
    st.sampled_from(["=cmd|' /C calc'!A0", "合计：", "'; DROP TABLE quarantine_case; --", "１１０", "8月5日",
                     "2021.8.5", "居家隔离", "集中隔离", "原乡小镇", "13800138000", "+86 138-0013-8000"]),
)
valid_id = st.builds(lambda n: make_id("110111", dt.date(1970, 1, 1) + dt.timedelta(days=n % 9000), n % 1000),
                     st.integers(0, 10**6))
row = st.tuples(st.one_of(text, cell), st.one_of(valid_id, cell), cell, cell,
                st.one_of(st.just("原乡小镇"), cell), cell, cell)


def write(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["返京人员推送表"])
    ws.append(HEADER)
    for n, values in enumerate(rows, 1):
        ws.append([n, *values])
    wb.save(path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, max_size=12))
def test_any_cells_get_an_answer_and_commit_writes_what_was_accepted(community, tmp_path, rows):
    path = tmp_path / f"fuzz-{next(_counter)}.xlsx"
    write(path, rows)
    try:
        result = lp.preview(path, push_date=dt.date(2021, 8, 5))
    except ledger_read.LedgerReadError as exc:
        assert str(exc)
        return
    accounted = len(result.new) + len(result.updated) + len(result.unchanged) + len(result.conflicted) \
        + len(result.rejected) + len(result.duplicates) \
        + len(result.other_community) + result.skipped
    assert accounted == len(rows)
    assert all(r["reason"] and isinstance(r["row"], int) for r in result.rejected)
    before = QuarantineCase.select().count()
    if not result.importable:  # nobody to import: refused before the backup, nothing written
        with pytest.raises(ValidationError, match="没有可导入的人员"):
            li.commit(result)
        assert QuarantineCase.select().count() == before
        return
    counts = li.commit(result, again=True)  # two examples may write the same bytes
    assert QuarantineCase.select().count() == before + counts["new"]


def test_a_failure_inside_the_commit_writes_nothing(community, tmp_path, monkeypatch):
    path = tmp_path / "ok.xlsx"
    write(path, [("王伟", make_id("110111", dt.date(1980, 1, 1), n), "13800138000", "3号楼", "原乡小镇",
                  dt.date(2021, 8, 1), "居家隔离") for n in range(5)])
    result = lp.preview(path, push_date=dt.date(2021, 8, 5))
    assert len(result.new) == 5

    def fail(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(li, "_audit_row", fail)
    with pytest.raises(OSError):
        li.commit(result)
    assert QuarantineCase.select().count() == 0


def test_huge_files_are_refused_before_reading(community, tmp_path, monkeypatch):
    path = tmp_path / "huge.xlsx"
    write(path, [])
    monkeypatch.setattr(ledger_read, "MAX_FILE_MB", 0.001)
    with pytest.raises(ledger_read.LedgerReadError, match="文件太大"):
        lp.preview(path)
    monkeypatch.setattr(ledger_read, "MAX_FILE_MB", 60)
    monkeypatch.setattr(lp, "MAX_DATA_ROWS", 2)
    write(path, [("王伟", make_id("110111", dt.date(1980, 1, 1), n), "", "", "原乡小镇", "", "") for n in range(3)])
    with pytest.raises(ledger_read.LedgerReadError, match="超过一次导入的上限"):
        lp.preview(path)
