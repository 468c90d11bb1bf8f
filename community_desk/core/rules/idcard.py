"""Resident ID numbers (居民身份证号码, GB 11643-1999): normalise, check, read birth date and gender."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .text import ValidationError, strip_invisible, to_halfwidth

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# First two digits: the province-level division (GB/T 2260).
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
     50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91}
)


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: dt.date
    gender: str  # 男 / 女


def normalize_id(raw: object) -> str:
    """Full-width digits, spaces, dashes and a lower-case x are folded: ' １１０１０５…x ' -> '110105…X'."""
    if raw is None:
        return ""
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        # An ID typed into Excel as a number has lost its last digits: never "repair" it.
        raise ValidationError("身份证号被存成了数字，后几位已丢失，请把该列设为文本后重新填写")
    text = to_halfwidth(strip_invisible(str(raw)))
    for ch in " \t\u00a0-":
        text = text.replace(ch, "")
    return text.upper()


def check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def parse_id(raw: object, *, today: dt.date | None = None) -> IdInfo:
    """Validate an ID number and return it normalised with birth date and gender.

    Raises ValidationError with a Chinese message that says exactly what is wrong.
    """
    number = normalize_id(raw)
    if not number:
        raise ValidationError("身份证号为空")
    if len(number) != 18:
        raise ValidationError(f"身份证号应为 18 位，现为 {len(number)} 位")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError("身份证号前 17 位须为数字，最后一位为数字或 X")
    if int(number[:2]) not in PROVINCE_CODES:
        raise ValidationError(f"身份证号地区码 {number[:2]} 不存在")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(f"身份证号中的出生日期 {number[6:14]} 不是有效日期") from None
    today = today or dt.date.today()
    if birth > today or birth.year < 1880:
        raise ValidationError(f"身份证号中的出生日期 {birth:%Y-%m-%d} 不合理")
    expected = check_digit(number[:17])
    if number[17] != expected:
        raise ValidationError(f"身份证号校验位错误：最后一位应为 {expected}，现为 {number[17]}")
    gender = "男" if int(number[16]) % 2 == 1 else "女"
    return IdInfo(number=number, birth_date=birth, gender=gender)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def make_id(area: str, birth: dt.date, sequence: int) -> str:
    """Build a valid fictional ID (used by demo data and tests). sequence: 0-999."""
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)
