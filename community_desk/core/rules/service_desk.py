"""Service desk rules (我来办): request numbers, status flow, deadlines and overdue, form cleaning."""
from __future__ import annotations

import datetime as dt
import re

from ..models.service_desk import (
    CHANNELS,
    OPEN_STATUSES,
    REQUEST_STATUSES,
    REQUEST_TYPES,
    SATISFACTION_CHOICES,
    SOLVED_CHOICES,
)
from .phone import normalize_phone
from .resident import FormErrors, parse_date
from .text import ValidationError, clean_multiline, clean_text, to_halfwidth

NUMBER_PREFIX = "WLB"
_NUMBER = re.compile(r"^WLB-(\d{4})-(\d{4,})$")
DEFAULT_DEADLINE_DAYS = 7
DEADLINE_DAYS_SETTING = "request_deadline_days"

# Allowed moves: take in -> in hand -> resolved -> called back; a resolved request can be reopened.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "待受理": ("处理中", "已办结"),
    "处理中": ("已办结",),
    "已办结": ("已回访", "处理中"),
    "已回访": (),
}


def format_number(year: int, sequence: int) -> str:
    return f"{NUMBER_PREFIX}-{year:04d}-{sequence:04d}"


def parse_number(number: str) -> tuple[int, int] | None:
    m = _NUMBER.match(number or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def next_sequence(year: int, existing: list[str]) -> int:
    """The sequence after the highest of that year among the numbers already used (where a year's counter starts)."""
    used = [seq for y, seq in filter(None, (parse_number(n) for n in existing)) if y == year]
    return max(used, default=0) + 1


def next_number(year: int, existing: list[str]) -> str:
    """The next free number of that year given the numbers already used."""
    return format_number(year, next_sequence(year, existing))


def counter_key(year: int) -> str:
    """The setting row counting a year's numbers (queries.settings.next_count)."""
    return f"counter:{NUMBER_PREFIX}-{year:04d}"


def check_transition(old: str, new: str) -> None:
    if new not in REQUEST_STATUSES:
        raise ValidationError(f"办理状态“{new}”不存在")
    if old == new:
        return
    if new not in TRANSITIONS.get(old, ()):
        choices = "、".join(TRANSITIONS.get(old, ())) or "无（已回访的工单已结束）"
        raise ValidationError(f"工单状态不能从“{old}”改为“{new}”，可改为：{choices}")


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def is_overdue(status: str, deadline: dt.date | None, today: dt.date) -> bool:
    """An open request whose deadline has passed."""
    return is_open(status) and deadline is not None and deadline < today


def parse_datetime(raw: object, label: str) -> dt.datetime | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.datetime):
        return raw.replace(microsecond=0)
    if isinstance(raw, dt.date):
        return dt.datetime.combine(raw, dt.time(0, 0))
    text = to_halfwidth(str(raw)).strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2})[:：](\d{2})(?::(\d{2}))?)?", text)
    if not m:
        raise ValidationError(f"{label}“{text}”不是日期时间，请写成 2026-06-05 09:30")
    try:
        return dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4) or 0),
                           int(m.group(5) or 0), int(m.group(6) or 0))
    except ValueError:
        raise ValidationError(f"{label}“{text}”不存在") from None


def _choice(raw: object, choices: tuple[str, ...], label: str, default: str) -> str:
    value = clean_text(raw) or default
    if value not in choices:
        raise ValidationError(f"{label}“{value}”不可用，可选：{'、'.join(choices)}")
    return value


def clean_request(raw: dict, now: dt.datetime | None = None) -> dict:
    """A taken-in request: who (a resident from the registry, or a name and phone), what, when."""
    now = now or dt.datetime.now().replace(microsecond=0)
    errors: dict[str, str] = {}
    out: dict = {"resident_id": raw.get("resident_id") or None, "category_id": raw.get("category_id"),
                 "facility_id": raw.get("facility_id") or None, "community_id": raw.get("community_id") or None}

    def take(key, fn):
        try:
            out[key] = fn(raw.get(key))
        except ValidationError as exc:
            errors[key] = exc.message

    take("type", lambda v: _choice(v, REQUEST_TYPES, "诉求类型", "诉求"))
    take("channel", lambda v: _choice(v, CHANNELS, "来源渠道", "来访"))
    take("contact_name", lambda v: clean_text(v, max_length=30, field_label="诉求人"))
    take("contact_phone", normalize_phone)
    take("address", lambda v: clean_text(v, max_length=100, field_label="住址"))
    take("description", lambda v: clean_multiline(v, max_length=2000, field_label="诉求内容"))
    take("assigned_to", lambda v: clean_text(v, max_length=30, field_label="承办人"))
    take("received_at", lambda v: parse_datetime(v, "受理时间") or now)
    take("deadline", lambda v: parse_date(v, "办理时限"))
    if not out["resident_id"] and "contact_name" in out and not out["contact_name"]:
        errors["contact_name"] = "请从居民台账选择诉求人，或填写姓名"
    if "description" in out and not out["description"]:
        errors["description"] = "请填写诉求内容"
    if not out["category_id"]:
        errors["category_id"] = "请选择问题类别"
    received, deadline = out.get("received_at"), out.get("deadline")
    if received and received > now + dt.timedelta(hours=1):
        errors["received_at"] = "受理时间不能晚于现在"
    if received and deadline and deadline < received.date():
        errors["deadline"] = "办理时限不能早于受理日期"
    if errors:
        raise FormErrors(errors)
    return out


def clean_resolution(raw: dict, received_at: dt.datetime) -> dict:
    errors: dict[str, str] = {}
    out: dict = {}
    try:
        out["resolution"] = clean_multiline(raw.get("resolution"), max_length=2000, field_label="办理结果")
        if not out["resolution"]:
            errors["resolution"] = "请填写办理结果"
    except ValidationError as exc:
        errors["resolution"] = exc.message
    try:
        out["resolved_date"] = parse_date(raw.get("resolved_date"), "办结日期") or dt.date.today()
        if out["resolved_date"] < received_at.date():
            errors["resolved_date"] = "办结日期不能早于受理日期"
        elif out["resolved_date"] > dt.date.today() + dt.timedelta(days=1):
            errors["resolved_date"] = "办结日期不能晚于今天"
    except ValidationError as exc:
        errors["resolved_date"] = exc.message
    try:
        out["solved"] = _choice(raw.get("solved"), SOLVED_CHOICES, "是否解决", "解决")
    except ValidationError as exc:
        errors["solved"] = exc.message
    if errors:
        raise FormErrors(errors)
    return out


def clean_followup(raw: dict, resolved_date: dt.date | None) -> dict:
    errors: dict[str, str] = {}
    out: dict = {}
    try:
        out["satisfaction"] = _choice(raw.get("satisfaction"), SATISFACTION_CHOICES, "满意度", "未评价")
    except ValidationError as exc:
        errors["satisfaction"] = exc.message
    try:
        out["followup_date"] = parse_date(raw.get("followup_date"), "回访日期") or dt.date.today()
        if resolved_date and out["followup_date"] < resolved_date:
            errors["followup_date"] = "回访日期不能早于办结日期"
    except ValidationError as exc:
        errors["followup_date"] = exc.message
    if errors:
        raise FormErrors(errors)
    return out
