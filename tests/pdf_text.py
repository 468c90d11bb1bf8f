"""Text of a PDF for assertions: pdftotext's own output, as a person copying or searching the PDF gets it.

Nothing is folded here: a radical (⼥ U+2F25 for 女, ⻓ for 长) in the text layer is a fault of the PDF that a test
must see (the print path fixes it: community_desk.gui.pdf_unicode).
"""
import shutil
import subprocess

import pytest


def _chinese_font_installed() -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    return bool(out.strip())


def pdf_text(path) -> str:
    """The text layer as pdftotext reads it; skips the rest of the test where pdftotext (poppler-utils) or a
    Chinese font is missing (.ci/run installs both; a developer's machine may lack them)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    if not _chinese_font_installed():
        pytest.skip("no Chinese font installed (fonts-noto-cjk): the PDF text cannot be read back")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages(path) -> int:
    """The page count of a PDF (pdfinfo where installed, else the page objects counted)."""
    import re
    from pathlib import Path

    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"Pages:\s+(\d+)", out).group(1))
    return len(re.findall(rb"/Type\s*/Page[^s]", Path(path).read_bytes()))


def save_pdf_by_button(qtbot, monkeypatch, button, path, timeout=60000) -> int:
    """Press a 另存为PDF button as a person does: the save dialog answers `path`; wait for the PDF (written on a
    worker) and return its page count."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    from community_desk.gui import tasks

    assert button.isVisible() and button.isEnabled(), f"{button.text()} cannot be pressed: the window is not shown"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "PDF 文件 (*.pdf)")))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: path.exists(), timeout=timeout)
    tasks.wait_all()
    return pdf_pages(path)


def find_button(widget, text):
    """The visible button of a window whose text is `text` (as a person finds it)."""
    from PySide6.QtWidgets import QAbstractButton

    matches = [b for b in widget.findChildren(QAbstractButton) if b.text() == text]
    assert matches, f"no button {text!r}"
    return matches[0]


def preview_by_button(qtbot, monkeypatch, button, timeout=60000):
    """Press a 打印预览 button as a person does and let Qt's preview paint (run such tests as child_process:
    a preview whose printer was freed segfaults). Returns (window title, pages shown in the preview)."""
    from PySide6.QtCore import Qt
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget

    shown = []

    def exec_(dialog):
        painted = []
        dialog.paintRequested.connect(lambda _printer: painted.append(1))
        dialog.show()
        qtbot.waitUntil(lambda: bool(painted), timeout=timeout)
        qtbot.wait(50)
        shown.append((dialog.windowTitle(), dialog.findChild(QPrintPreviewWidget).pageCount()))
        dialog.close()
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", exec_)
    assert button.isVisible() and button.isEnabled(), f"{button.text()} cannot be pressed: the window is not shown"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=timeout)
    return shown[0]
