"""Text of a PDF for assertions (pdftotext), with CJK radicals folded back into the ideographs.

Qt embeds Noto CJK, whose radicals and ideographs share glyphs (⻔/门, ⼩/小); pdftotext may give the
radical. The printed page is right either way; tests compare the folded text.
"""
import subprocess
import unicodedata

# CJK Radicals Supplement characters that NFKC does not fold, and the ideograph they look like.
RADICALS = str.maketrans({
    "⻔": "门", "⻓": "长", "⻚": "页", "⻅": "见", "⻋": "车", "⻜": "飞", "⻢": "马", "⻛": "风", "⻨": "麦",
    "⻥": "鱼", "⻦": "鸟", "⻆": "角", "⻄": "西", "⻙": "韦", "⻝": "食", "⻘": "青", "⻬": "齐", "⻮": "齿",
    "⻳": "龟", "⻩": "黄", "⻉": "贝", "⻊": "足", "⺠": "民", "⺟": "母",
})


def pdf_text(path) -> str:
    raw = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", raw).translate(RADICALS)
