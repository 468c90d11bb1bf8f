"""Exports and PDFs against a machine at fault (issue 14 item 8): a full disk (a real tmpfs too small for the
workbook), a read-only folder, a target file open in another program. The command says the cause in one Chinese
line and exits 2, the window shows it in a message; the old file stays whole and no temporary file is left."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow, QMessageBox, QPushButton

from community_desk.core import atomic
from community_desk.core.excel.house_style import ReportMeta, Sheet, write_workbook
from community_desk.core.faults import (
    DISK_FULL,
    FILE_IN_USE,
    NO_WRITE_PERMISSION,
    EnvironmentFault,
    describe_fault,
)
from community_desk.gui import exporting, printing
from tests.small_disk import fill, small_disk

ROOT = Path(__file__).resolve().parents[2]
OLD = b"PK the old report, whole"


def cli(*args: str, system_temp: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), TMPDIR=str(system_temp), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, env=env,
                          timeout=120)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """A database of 2,000 fictional residents: a workbook of about 200 KB, its sheet stream about 1.6 MB."""
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "desk.db"
    done = cli("--db", str(db), "demo-data", "--residents", "2000", system_temp=folder)
    assert done.returncode == 0, done.stderr
    return db


@pytest.fixture
def system_temp(tmp_path):
    folder = tmp_path / "system-temp"
    folder.mkdir()
    return folder


def only_the_old_file(folder: Path, old: Path) -> None:
    assert sorted(p.name for p in folder.iterdir() if p.name != "filler.bin") == [old.name]
    assert old.read_bytes() == OLD


def test_cli_export_onto_a_full_disk_says_so_exits_2_and_leaves_the_old_file(demo_db, tmp_path, system_temp):
    with small_disk(tmp_path / "disk", size_kb=512) as disk:
        out = disk / "居民台账.xlsx"
        out.write_bytes(OLD)
        fill(disk, leave_bytes=100 * 1024)  # less than the workbook itself (about 200 KB)
        done = cli("--db", str(demo_db), "export", "residents", "--out", str(out), system_temp=system_temp)
        assert done.returncode == 2, done.stderr
        assert done.stderr.strip().splitlines() == [f"错误：{DISK_FULL} (environment fault)"]
        assert "Traceback" not in done.stderr
        only_the_old_file(disk, out)
    assert list(system_temp.iterdir()) == []


def test_cli_export_into_a_read_only_folder_says_so_and_exits_2(demo_db, tmp_path, system_temp):
    with small_disk(tmp_path / "disk", size_kb=512) as disk:
        out = disk / "居民台账.xlsx"
        out.write_bytes(OLD)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        done = cli("--db", str(demo_db), "export", "residents", "--out", str(out), system_temp=system_temp)
        assert done.returncode == 2, done.stderr
        assert done.stderr.strip().splitlines() == [f"错误：{NO_WRITE_PERMISSION} (environment fault)"]
        only_the_old_file(disk, out)
    assert list(system_temp.iterdir()) == []


def rows_that_fill(disk: Path, count: int = 3000):
    """Rows that fit; after the last one the disk is filled, so the save (the zip) is what fails."""
    for n in range(count):
        yield (n + 1, "王伟", f"11011119500101{n % 10000:04d}")
    fill(disk, leave_bytes=16 * 1024)


def test_a_disk_that_fills_during_the_save_leaves_the_old_file_and_no_temp_file(tmp_path):
    with small_disk(tmp_path / "disk", size_kb=2048) as disk:
        out = disk / "居民台账.xlsx"
        out.write_bytes(OLD)
        sheet = Sheet("居民", "居民台账", ["序号", "姓名", "身份证号"], rows_that_fill(disk))
        with pytest.raises(OSError) as caught:
            write_workbook(out, [sheet], ReportMeta("原乡小镇社区居委会", "张敏"))
        assert describe_fault(caught.value) == DISK_FULL
        only_the_old_file(disk, out)


def test_a_target_open_in_excel_is_named_as_such(tmp_path, monkeypatch):
    """Windows refuses to replace a file open in Excel with "access denied" (WinError 5); the folder is writable
    (the temporary file was just made there), so the cause is the open file. Simulated: Linux has no such lock."""
    out = tmp_path / "居民台账.xlsx"
    out.write_bytes(OLD)

    def refuse(src, dst):
        raise PermissionError(13, "Access is denied", str(dst))

    monkeypatch.setattr(atomic, "WINDOWS", True)
    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(EnvironmentFault) as caught:
        write_workbook(out, [Sheet("居民", "居民台账", ["姓名"], [("王伟",)])], ReportMeta("社区", "张敏"))
    assert describe_fault(caught.value) == FILE_IN_USE
    only_the_old_file(tmp_path, out)
    out.chmod(0o444)  # a read-only file is not "open in another program"
    with pytest.raises(EnvironmentFault) as caught:
        write_workbook(out, [Sheet("居民", "居民台账", ["姓名"], [("王伟",)])], ReportMeta("社区", "张敏"))
    assert caught.value.message == (FILE_IN_USE if os.access(out, os.W_OK) else NO_WRITE_PERMISSION)


def long_sheet(rows: int = 3000) -> printing.TableSheet:
    return printing.TableSheet("居民台账", ["姓名", "身份证号"], [(f"居民{i}", f"11011119500101{i:04d}") for i in range(rows)])


def test_a_pdf_onto_a_full_disk_fails_and_leaves_the_old_file(qapp, tmp_path):
    """Qt's PDF writer does not report a failed write: the half PDF replaced the old file before."""
    with small_disk(tmp_path / "disk", size_kb=64) as disk:
        out = disk / "居民台账.pdf"
        out.write_bytes(OLD)
        with pytest.raises(OSError) as caught:
            printing.write_pdf(long_sheet(), out)
        assert describe_fault(caught.value) == DISK_FULL
        only_the_old_file(disk, out)


@pytest.fixture
def warnings(monkeypatch):
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda parent, title, text, *a: shown.append((title, text))))
    return shown


def window_with_button(qtbot) -> tuple[QMainWindow, QPushButton]:
    window = QMainWindow()
    qtbot.addWidget(window)
    button = QPushButton("导出Excel")
    window.setCentralWidget(button)
    window.show()
    return window, button


def test_the_window_shows_a_full_disk_in_plain_words(community, qtbot, qt_settings, tmp_path, warnings):
    window, button = window_with_button(qtbot)
    with small_disk(tmp_path / "disk", size_kb=256) as disk:
        out = disk / "居民台账.xlsx"
        out.write_bytes(OLD)
        outcome = {}

        def work(progress):
            rows = ((n, "王伟", f"11011119500101{n % 10000:04d}") for n in range(20000))
            write_workbook(out, [Sheet("居民", "居民台账", ["序号", "姓名", "身份证号"], rows)],
                           ReportMeta("原乡小镇社区居委会", "张敏"), progress)

        exporting.run_export(window, str(out), work, button=button, on_done=lambda r: outcome.setdefault("done", r),
                             on_failed=lambda: outcome.setdefault("failed", True))
        qtbot.waitUntil(lambda: bool(warnings), timeout=20000)
        assert warnings == [("导出Excel", f"导出失败，未写入文件：{DISK_FULL}")]
        assert outcome == {"failed": True} and button.isEnabled()
        only_the_old_file(disk, out)


def test_the_window_shows_a_pdf_on_a_full_disk_in_plain_words(community, qtbot, qt_settings, tmp_path, warnings):
    window, _button = window_with_button(qtbot)
    with small_disk(tmp_path / "disk", size_kb=64) as disk:
        out = disk / "居民台账.pdf"
        out.write_bytes(OLD)
        printing.save_pdf_as(window, long_sheet, "居民台账", path=str(out))
        qtbot.waitUntil(lambda: bool(warnings), timeout=30000)
        [(title, text)] = warnings
        assert title == "另存为PDF" and DISK_FULL in text
        only_the_old_file(disk, out)
