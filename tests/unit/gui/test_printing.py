"""The one print path: pages numbered per part, a PDF written on a worker with progress, 取消 writes nothing."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton, QVBoxLayout, QWidget

from community_desk.core.errors import ExportCancelled
from community_desk.gui import long_work, printing, tasks
from tests.pdf_text import pdf_pages, pdf_text, save_pdf_by_button


def _long_sheet(rows: int) -> printing.TableSheet:
    return printing.TableSheet("居民名单", ["序号", "姓名", "住址"],
                               [(i, f"居民{i}", f"{i % 30 + 1}号楼{i % 6 + 1}01") for i in range(1, rows + 1)],
                               footer="填报单位：原乡小镇社区居委会")


def test_each_part_is_numbered_on_its_own(qapp, tmp_path):
    document = printing.Document("花名册", [("第1服务队　11月16日", "<p>甲</p>"),
                                          ("第2服务队　11月17日", "<p>乙</p>" + "<p>行</p>" * 120)],
                                 landscape=False)
    pages = printing.write_pdf(document, tmp_path / "r.pdf")
    assert pages == pdf_pages(tmp_path / "r.pdf") >= 3
    text = re.sub(r"\s+", " ", pdf_text(tmp_path / "r.pdf"))  # pdftotext spaces the footer out
    assert "第1服务队 11月16日 第 1 页，共 1 页" in text
    assert "第2服务队 11月17日 第 1 页，共" in text and "第2服务队 11月17日 第 2 页，共" in text


def test_a_cancelled_pdf_leaves_no_file(qapp, tmp_path):
    calls = []

    def progress(pages: int) -> bool:
        calls.append(pages)
        return pages < 2  # 取消 pressed while the second page is printed

    with pytest.raises(ExportCancelled):
        printing.write_pdf(_long_sheet(400), tmp_path / "x.pdf", progress)
    assert calls[-1] == 2 and list(tmp_path.iterdir()) == []


def _window_with_pdf_button(qtbot, make_document):
    window = QWidget()
    qtbot.addWidget(window)
    button = QPushButton("另存为PDF…", window)
    button.clicked.connect(lambda: printing.save_pdf_as(window, make_document, "名单.pdf"))
    QVBoxLayout(window).addWidget(button)
    window.show()
    return window, button


def test_save_pdf_button_writes_on_a_worker(qtbot, qt_settings, tmp_path, monkeypatch):
    threads = []

    def make():
        from PySide6.QtCore import QThread
        threads.append(QThread.currentThread())
        return _long_sheet(200)

    window, button = _window_with_pdf_button(qtbot, make)
    pages = save_pdf_by_button(qtbot, monkeypatch, button, tmp_path / "名单.pdf")
    assert pages >= 2 and threads and threads[0] is not window.thread()
    assert "居民200" in pdf_text(tmp_path / "名单.pdf")


def test_cancel_in_the_progress_window_writes_nothing(qtbot, qt_settings, tmp_path, monkeypatch):
    """A long sheet shows the progress window; pressing its 取消 stops the PDF and leaves no file."""
    monkeypatch.setattr(long_work, "MIN_PROGRESS_MS", 0)
    released = []

    def make():  # slow like a long sheet: waits until the test has pressed 取消
        from PySide6.QtCore import QThread
        while not released:
            QThread.msleep(20)
        return _long_sheet(600)

    window, button = _window_with_pdf_button(qtbot, make)
    from PySide6.QtWidgets import QFileDialog
    target = tmp_path / "名单.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(QProgressDialog)), timeout=20000)
    progress = next(d for d in window.findChildren(QProgressDialog) if d.isVisible())
    assert progress.labelText() == "正在排版……"
    cancel = next(b for b in progress.findChildren(QPushButton) if b.text() == "取消")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    released.append(True)
    qtbot.waitUntil(lambda: not any(d.isVisible() for d in window.findChildren(QProgressDialog)), timeout=30000)
    tasks.wait_all()
    assert [p.name for p in tmp_path.iterdir() if p.name != "settings"] == []  # no PDF, no temporary file
