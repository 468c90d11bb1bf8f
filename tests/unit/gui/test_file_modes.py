"""Issue 16: exports and PDFs are made with a normal file's mode (0o644 with umask 022), not mkstemp's owner-only
0o600, so the other accounts of a shared PC can open them; a file being written stays owner-only."""
from __future__ import annotations

import os
import stat

import pytest

from community_desk.core import temp_files
from community_desk.core.atomic import atomic_path
from community_desk.core.excel.residents_export import export_residents
from community_desk.core.queries import residents
from community_desk.gui.printing import TableSheet, write_pdf

pytestmark = pytest.mark.skipif(os.name == "nt", reason="no POSIX modes on Windows")


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_resident_export_is_0644(community, tmp_path, umask_022):
    residents.save({"name": "王洋", "community_id": community, "phone": "13812345678"})
    out = tmp_path / "居民台账.xlsx"
    assert export_residents(out) == 1
    assert mode(out) == 0o644


def test_pdf_is_0644(qapp, tmp_path, umask_022):
    out = tmp_path / "居民台账.pdf"
    assert write_pdf(TableSheet("居民台账", ["姓名"], [("张敏",)]), out) >= 1
    assert mode(out) == 0o644


def test_the_umask_is_honoured_and_the_file_is_owner_only_while_written(tmp_path):
    old = os.umask(0o027)
    try:
        with atomic_path(tmp_path / "out.txt") as tmp:
            tmp.write_text("x")
            assert mode(tmp) == 0o600  # a half-written copy of personal data: owner only
        assert mode(tmp_path / "out.txt") == 0o640
        assert temp_files.normal_mode() == 0o640
    finally:
        os.umask(old)
