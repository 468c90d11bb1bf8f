"""Cleaning and checking a resident form: every field normalised, every error named in Chinese.

`clean_resident` takes what the user typed (strings, as a form or an import gives them) and returns
the values to store, or raises FormErrors with one message per wrong field. The database checks
(duplicate ID number) live in core.queries.residents.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..models.people import CONTACT_PREFERENCES, DISABILITY_KINDS, GENDERS, RESIDENCE_STATUSES
from .contact import NO_PHONE_DISABILITIES
from .idcard import parse_id
from .phone import normalize_phone
from .pinyin import name_keys
from .text import ValidationError, clean_multiline, clean_text, to_halfwidth


@dataclass
class FormErrors(Exception):
    errors: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return "；".join(self.errors.values())


def parse_date(raw: object, label: str) -> dt.date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = to_halfwidth(str(raw)).strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not m:
        raise ValidationError(f"{label}“{text}”不是日期，请写成 2021-08-05")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ValidationError(f"{label}“{text}”不存在") from None


def floor_of(room: str) -> int | None:
    """'501' -> 5, '1203' -> 12, '5-2' or '' -> None."""
    digits = room.strip()
    if digits.isdigit() and 3 <= len(digits) <= 4:
        return int(digits[:-2]) or None
    return None


def format_address(building: str, unit: str, room: str, free_text: str = "") -> str:
    if not building:
        return free_text
    unit_part = f"{unit}单元" if unit and unit.isdigit() else unit
    return f"{building}{unit_part}{room}"


def search_text_for(name: str, initials: str, pinyin: str, id_number: str | None, phone: str, address: str) -> str:
    return " ".join(p for p in (name, initials, pinyin, id_number or "", phone.replace("-", ""), address) if p).lower()


def clean_resident(raw: dict, *, today: dt.date | None = None) -> dict:
    """Return the stored values for a resident, or raise FormErrors (field -> message)."""
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    out: dict = {}

    def take(key, func):
        try:
            return func()
        except ValidationError as exc:
            errors[key] = exc.message
            return None

    out["name"] = take("name", lambda: clean_text(raw.get("name"), max_length=30, field_label="姓名"))
    if out["name"] == "" and "name" not in errors:
        errors["name"] = "请填写姓名"

    id_info = None
    raw_id = raw.get("id_number")
    if raw_id not in (None, ""):
        id_info = take("id_number", lambda: parse_id(raw_id, today=today))
    out["id_number"] = id_info.number if id_info else None

    gender = take("gender", lambda: clean_text(raw.get("gender"), max_length=10, field_label="性别")) or ""
    if gender and gender not in GENDERS:
        errors["gender"] = "性别只能是 男 或 女"
    if id_info and gender and gender != id_info.gender:
        errors["gender"] = f"性别与身份证号不符：身份证号为{id_info.gender}性"
    out["gender"] = id_info.gender if id_info else gender

    birth = None if id_info else take("birth_date", lambda: parse_date(raw.get("birth_date"), "出生日期"))
    if birth and birth > today:
        errors["birth_date"] = "出生日期不能晚于今天"
    out["birth_date"] = id_info.birth_date if id_info else birth

    out["phone"] = take("phone", lambda: normalize_phone(raw.get("phone"))) or ""

    community_id = raw.get("community_id")
    if not community_id:
        errors["community_id"] = "请选择所属社区"
    out["community_id"] = community_id

    building = take("building", lambda: clean_text(raw.get("building"), max_length=30, field_label="楼栋")) or ""
    unit = take("unit", lambda: clean_text(raw.get("unit"), max_length=10, field_label="单元")) or ""
    room = take("room", lambda: clean_text(raw.get("room"), max_length=10, field_label="门牌号")) or ""
    free = take("address", lambda: clean_text(raw.get("address"), max_length=100, field_label="住址")) or ""
    if building and building.isdigit():
        building += "号楼"
    out.update(building=building, unit=unit, room=room, floor=floor_of(room))
    out["address"] = format_address(building, unit, room, free)

    out["household_number"] = take("household_number", lambda: clean_text(
        raw.get("household_number"), max_length=30, field_label="户号")) or ""
    out["relation_to_head"] = take("relation_to_head", lambda: clean_text(
        raw.get("relation_to_head"), max_length=10, field_label="与户主关系")) or ""
    out["registered_address"] = take("registered_address", lambda: clean_text(
        raw.get("registered_address"), max_length=100, field_label="户籍地")) or ""
    out["same_as_registered"] = bool(raw.get("same_as_registered", True))

    for key, allowed, label, default in (
        ("residence_status", RESIDENCE_STATUSES, "居住状态", "常住"),
        ("contact_preference", CONTACT_PREFERENCES, "联系方式偏好", "电话"),
    ):
        value = take(key, lambda key=key, label=label: clean_text(raw.get(key), max_length=10, field_label=label))
        value = value or default
        if key not in errors and value not in allowed:
            errors[key] = f"{label}只能是 {' / '.join(allowed)}"
        out[key] = value

    disability = take("disability", lambda: clean_text(raw.get("disability"), max_length=10, field_label="残疾类别")) or ""
    if disability and disability not in DISABILITY_KINDS:
        errors["disability"] = f"残疾类别只能是 {' / '.join(DISABILITY_KINDS)}"
    out["disability"] = disability
    if disability in NO_PHONE_DISABILITIES and out["contact_preference"] == "电话":
        errors["contact_preference"] = f"{disability}残疾的居民无法接听电话，请选择 短信 或 上门"

    tags = take("tags", lambda: [clean_text(t, max_length=20, field_label="人员类别") for t in raw.get("tags") or []])
    out["tags"] = [t for t in dict.fromkeys(tags or []) if t]
    if disability and "残疾人" not in out["tags"]:
        out["tags"].append("残疾人")

    out["notes"] = take("notes", lambda: clean_multiline(raw.get("notes"), max_length=2000)) or ""

    if errors:
        raise FormErrors(errors)
    initials, pinyin = name_keys(out["name"])
    out["name_initials"], out["name_pinyin"] = initials, pinyin
    out["search_text"] = search_text_for(out["name"], initials, pinyin, out["id_number"], out["phone"], out["address"])
    return out
