"""Phone numbers (联系电话): mobile 11 digits, or a landline with area code."""
from __future__ import annotations

import re

from .text import ValidationError, strip_invisible, to_halfwidth

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
_LOCAL = re.compile(r"^\d{7,8}$")


def normalize_phone(raw: object) -> str:
    """'+86 138-0013-8000' -> '13800138000'; '010-6789 1234' -> '010-67891234'; '' stays ''.

    Raises ValidationError for anything that is not a phone number.
    """
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = str(int(raw))
    text = to_halfwidth(strip_invisible(str(raw))).strip()
    if not text:
        return ""
    compact = re.sub(r"[\s\u00a0()（）]", "", text)
    if compact.startswith("+86"):
        compact = compact[3:]
    elif compact.startswith("0086"):
        compact = compact[4:]
    digits = compact.replace("-", "")
    if _MOBILE.match(digits):
        return digits
    if _LANDLINE.match(compact) or (digits.startswith("0") and 10 <= len(digits) <= 12):
        area_len = 3 if digits[:3] in {"010", "020", "021", "022", "023", "024", "025", "027", "028", "029"} else 4
        return f"{digits[:area_len]}-{digits[area_len:]}"
    if _LOCAL.match(digits):
        return digits
    raise ValidationError(f"联系电话“{text}”不是有效的手机号（11 位）或固定电话")

