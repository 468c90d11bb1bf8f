"""Text normalisation shared by every entry path (forms, imports, command line)."""
from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Characters nobody sees that come with pasted or exported text: BOM, zero-width space / joiners, word joiner,
# bidi embeddings / overrides / isolates, soft hyphen. An ID wrapped in U+FEFF / U+200B is 18 characters again.
_INVISIBLE = re.compile("[\ufeff\u200b-\u200d\u2060\u202a-\u202e\u2066-\u2069\u00ad]")
_SPACES = re.compile(r"\s+")


class ValidationError(ValueError):
    """A value was refused; the message is Chinese and names what is wrong."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def strip_invisible(text: str) -> str:
    """Remove the invisible characters (BOM, zero-width, bidi controls) and C0/C1 controls except tab and line
    breaks. The one cleaning every entry path uses: clean_text, clean_multiline, ID numbers and phones."""
    return _CONTROL.sub("", _INVISIBLE.sub("", text))


# Full-width space, and full-width ASCII (U+FF01-U+FF5E) to the ASCII 0x21-0x7E it stands for.
_HALFWIDTH = {0x3000: " ", **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}}


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and spaces (１２３ＡＢ　) become their ASCII forms."""
    return text.translate(_HALFWIDTH)


def clean_text(value: object, *, max_length: int = 200, field_label: str = "内容") -> str:
    """Strip, fold inner whitespace runs, drop control characters; refuse text that is too long."""
    if value is None:
        return ""
    text = strip_invisible(unicodedata.normalize("NFC", str(value)))
    text = _SPACES.sub(" ", text).strip()
    if len(text) > max_length:
        raise ValidationError(f"{field_label}过长：最多 {max_length} 个字，现有 {len(text)} 个字")
    return text


def clean_multiline(value: object, *, max_length: int = 2000, field_label: str = "备注") -> str:
    """Like clean_text but keeps line breaks (notes)."""
    if value is None:
        return ""
    text = strip_invisible(unicodedata.normalize("NFC", str(value))).replace("\r\n", "\n").strip()
    if len(text) > max_length:
        raise ValidationError(f"{field_label}过长：最多 {max_length} 个字，现有 {len(text)} 个字")
    return text
