"""Text of a PDF for assertions (pdftotext), with CJK radicals folded back into the ideographs.

Qt embeds Noto CJK, whose radicals and ideographs share glyphs (⻔/门, ⼩/小); pdftotext may give the
radical. The printed page is right either way; tests compare the folded text.
"""
import shutil
import subprocess
import unicodedata

import pytest

# CJK Radicals Supplement characters that NFKC does not fold, and the ideograph they look like.
RADICALS = str.maketrans({
    "⻔": "门", "⻓": "长", "⻚": "页", "⻅": "见", "⻋": "车", "⻜": "飞", "⻢": "马", "⻛": "风", "⻨": "麦",
    "⻥": "鱼", "⻦": "鸟", "⻆": "角", "⻄": "西", "⻙": "韦", "⻝": "食", "⻘": "青", "⻬": "齐", "⻮": "齿",
    "⻳": "龟", "⻩": "黄", "⻉": "贝", "⻊": "足", "⺠": "民", "⺟": "母",
})


def _chinese_font_installed() -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    return bool(out.strip())


def pdf_text(path) -> str:
    """The folded text; skips the rest of the test where pdftotext (poppler-utils) or a Chinese font is missing
    (.ci/run installs both; a developer's machine may lack them)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    if not _chinese_font_installed():
        pytest.skip("no Chinese font installed (fonts-noto-cjk): the PDF text cannot be read back")
    raw = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", raw).translate(RADICALS)
