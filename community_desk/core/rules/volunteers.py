"""Volunteer and gate-duty rules: availability, the week roster builder, form checks, the fever flag.

The roster builder is pure: it takes the posts, the volunteers with their availability and the
staff who may lead, and returns the shifts to create plus the gaps in words (周三 下午 东门 缺 1 人).
Every post is staffed to its minimum where people are available, nobody is in two places at once,
and shift counts differ by at most one among volunteers with the same availability.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..models.volunteers import PARTS, VOLUNTEER_KINDS, WEEKDAYS
from .idcard import parse_id
from .phone import normalize_phone
from .resident import FormErrors, parse_date
from .text import ValidationError, clean_multiline, clean_text, to_halfwidth

FEVER_AT = Decimal("37.3")  # 37.3 °C or more is flagged
LOWEST_TEMPERATURE = Decimal("34.0")
HIGHEST_TEMPERATURE = Decimal("43.0")
DEFAULT_TIMES = {"上午": ("08:00", "12:00"), "下午": ("12:00", "18:00"), "晚上": ("18:00", "22:00")}
SLOTS = len(WEEKDAYS) * len(PARTS)

# --- availability: 21 characters '0'/'1', weekday-major ---


def availability_code(slots: Iterable[tuple[int, str]]) -> str:
    """{(0, '上午'), (2, '晚上')} -> '100000001...' (weekday 0 = 周一)."""
    bits = ["0"] * SLOTS
    for weekday, part in slots:
        bits[weekday * len(PARTS) + PARTS.index(part)] = "1"
    return "".join(bits)


def availability_slots(code: str) -> set[tuple[int, str]]:
    code = (code or "").ljust(SLOTS, "0")
    return {(i // len(PARTS), PARTS[i % len(PARTS)]) for i, ch in enumerate(code[:SLOTS]) if ch == "1"}


def availability_text(code: str) -> str:
    """'周一上午下午、周三晚上' for lists and exports; '—' when never available."""
    slots = availability_slots(code)
    out = []
    for day, name in enumerate(WEEKDAYS):
        parts = [p for p in PARTS if (day, p) in slots]
        if len(parts) == len(PARTS):
            out.append(f"{name}全天")
        elif parts:
            out.append(name + "".join(parts))
    return "、".join(out) or "—"


# --- temperature ---


def parse_temperature(raw: object) -> Decimal:
    """'36.5', '３６．５', 36.5 -> Decimal('36.5'); refuses what is not a body temperature."""
    text = to_halfwidth(str(raw if raw is not None else "")).strip().replace("。", ".").replace("℃", "")
    if not text:
        raise ValidationError("请填写体温")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"体温“{text}”不是数字，例如 36.5") from None
    if not value.is_finite() or not (LOWEST_TEMPERATURE <= value <= HIGHEST_TEMPERATURE):
        raise ValidationError(f"体温 {text} 不合理：应在 {LOWEST_TEMPERATURE} 到 {HIGHEST_TEMPERATURE} ℃ 之间")
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def is_fever(temperature: Decimal) -> bool:
    return temperature >= FEVER_AT


# --- times ---

_TIME = re.compile(r"^(\d{1,2})[:：.](\d{2})$")


def parse_time(raw: object, label: str = "时间") -> str:
    text = to_halfwidth(str(raw or "")).strip()
    m = _TIME.match(text)
    if not m or int(m.group(1)) > 24 or int(m.group(2)) > 59 or (int(m.group(1)) == 24 and int(m.group(2))):
        raise ValidationError(f"{label}“{text}”应写成 08:00")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def minutes_between(start: str, end: str) -> int:
    sh, sm = map(int, start.split(":"))
    eh, em = map(int, end.split(":"))
    return (eh * 60 + em) - (sh * 60 + sm)


def hours_text(minutes: int) -> str:
    """150 -> '2.5'; hours shown with one decimal, computed exactly."""
    return str((Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def slot_name(day: dt.date, part: str) -> str:
    return f"{WEEKDAYS[day.weekday()]} {part}"


# --- form checks ---


def _collect(errors: dict, key: str, func):
    try:
        return func()
    except ValidationError as exc:
        errors[key] = exc.message
        return None


def clean_volunteer(raw: dict) -> dict:
    """Values of a volunteer form, or FormErrors. A resident volunteer needs no typed name."""
    errors: dict[str, str] = {}
    out: dict = {"resident_id": raw.get("resident_id") or None}
    out["name"] = _collect(errors, "name", lambda: clean_text(raw.get("name"), max_length=30, field_label="姓名")) or ""
    if not out["name"] and not out["resident_id"] and "name" not in errors:
        errors["name"] = "请填写姓名，或从居民台账中选择居民"
    out["phone"] = _collect(errors, "phone", lambda: normalize_phone(raw.get("phone"))) or ""
    kind = clean_text(raw.get("kind")) or "普通居民"
    if kind not in VOLUNTEER_KINDS:
        errors["kind"] = f"志愿者类别只能是 {' / '.join(VOLUNTEER_KINDS)}"
    out["kind"] = kind
    out["team_id"] = raw.get("team_id") or None
    out["skills"] = _collect(errors, "skills", lambda: clean_text(raw.get("skills"), max_length=100,
                                                                   field_label="特长")) or ""
    code = raw.get("availability") or "0" * SLOTS
    if len(code) != SLOTS or set(code) - {"0", "1"}:
        errors["availability"] = "可服务时间格式不对"
    out["availability"] = code
    out["joined_on"] = _collect(errors, "joined_on", lambda: parse_date(raw.get("joined_on"), "加入日期"))
    out["active"] = bool(raw.get("active", True))
    out["notes"] = _collect(errors, "notes", lambda: clean_multiline(raw.get("notes"), max_length=500)) or ""
    if errors:
        raise FormErrors(errors)
    return out


def clean_gate_entry(raw: dict, now: dt.datetime | None = None) -> dict:
    """Values of one 出入登记 line, or FormErrors. The ID number is optional but checked when given."""
    errors: dict[str, str] = {}
    out: dict = {}
    out["name"] = _collect(errors, "name", lambda: clean_text(raw.get("name"), max_length=30, field_label="姓名")) or ""
    if not out["name"] and "name" not in errors:
        errors["name"] = "请填写姓名"
    out["phone"] = _collect(errors, "phone", lambda: normalize_phone(raw.get("phone"))) or ""
    raw_id = raw.get("id_number")
    out["id_number"] = None
    if raw_id not in (None, "") and str(raw_id).strip():
        info = _collect(errors, "id_number", lambda: parse_id(raw_id))
        out["id_number"] = info.number if info else None
    out["temperature"] = _collect(errors, "temperature", lambda: parse_temperature(raw.get("temperature")))
    out["fever"] = out["temperature"] is not None and is_fever(out["temperature"])
    out["reason"] = _collect(errors, "reason", lambda: clean_text(raw.get("reason"), max_length=60,
                                                                   field_label="事由")) or ""
    out["checked_by"] = clean_text(raw.get("checked_by"), max_length=30)
    out["post_id"] = raw.get("post_id") or None
    time_in = raw.get("time_in") or now or dt.datetime.now()
    out["time_in"] = time_in.replace(microsecond=0)
    if errors:
        raise FormErrors(errors)
    return out


def clean_shift(raw: dict) -> dict:
    """A hand-edited shift: times, lead, volunteers (ids). Raises FormErrors."""
    errors: dict[str, str] = {}
    start = _collect(errors, "start_time", lambda: parse_time(raw.get("start_time"), "开始时间"))
    end = _collect(errors, "end_time", lambda: parse_time(raw.get("end_time"), "结束时间"))
    if start and end and minutes_between(start, end) <= 0:
        errors["end_time"] = "结束时间须晚于开始时间"
    lead = _collect(errors, "lead", lambda: clean_text(raw.get("lead"), max_length=30, field_label="带班"))
    volunteer_ids = list(dict.fromkeys(int(v) for v in raw.get("volunteer_ids") or []))
    notes = _collect(errors, "notes", lambda: clean_multiline(raw.get("notes"), max_length=500)) or ""
    if errors:
        raise FormErrors(errors)
    return {"start_time": start, "end_time": end, "minutes": minutes_between(start, end), "lead": lead or "",
            "volunteer_ids": volunteer_ids, "notes": notes}


def overlaps(a_start: str, a_end: str, b_start: str, b_end: str) -> bool:
    return a_start < b_end and b_start < a_end


def count_text(raw: object, label: str) -> int:
    text = to_halfwidth(str(raw if raw not in (None, "") else "0")).strip()
    if not text.isdigit():
        raise ValidationError(f"{label}应为 0 或正整数")
    value = int(text)
    if value > 1_000_000:
        raise ValidationError(f"{label}过大")
    return value


# --- the roster builder ---


@dataclass(frozen=True)
class PostNeed:
    post_id: int
    name: str
    min_volunteers: int
    parts: tuple[str, ...] = PARTS


@dataclass(frozen=True)
class Candidate:
    volunteer_id: int
    availability: str  # the 21-character code


@dataclass
class PlannedShift:
    date: dt.date
    part: str
    post_id: int
    lead: str
    volunteer_ids: list[int]


@dataclass
class RosterPlan:
    shifts: list[PlannedShift] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)  # 周三 下午 东门 缺 1 人 / 缺带班

    def counts(self) -> dict[int, int]:
        out: dict[int, int] = {}
        for shift in self.shifts:
            for vid in shift.volunteer_ids:
                out[vid] = out.get(vid, 0) + 1
        return out


def _spread(volunteer_id: int, salt: int) -> int:
    """A fixed shuffle of volunteers that changes week by week (so the same people are not always first)."""
    return (volunteer_id * 2654435761 + salt * 40503) % 4294967296


def build_week(monday: dt.date, posts: list[PostNeed], candidates: list[Candidate],
               staff: list[str] | None = None) -> RosterPlan:
    """Plan a week: slot by slot (day, part), every post filled to its minimum from the volunteers
    available then and not yet placed in that slot, least-served first (ties: the less available,
    then a weekly shuffle). Leads rotate through `staff`, one post each per slot."""
    staff = [s for s in dict.fromkeys(staff or []) if s]
    plan = RosterPlan()
    counts = {c.volunteer_id: 0 for c in candidates}
    free_slots = {c.volunteer_id: availability_slots(c.availability) for c in candidates}
    size = {vid: len(slots) for vid, slots in free_slots.items()}
    lead_counts = {name: 0 for name in staff}
    salt = monday.toordinal()
    for weekday in range(len(WEEKDAYS)):
        day = monday + dt.timedelta(days=weekday)
        for part in PARTS:
            open_posts = [p for p in posts if part in p.parts]
            if not open_posts:
                continue
            placed: set[int] = set()
            leads_here: set[str] = set()
            for post in open_posts:
                pool = [vid for vid, slots in free_slots.items() if (weekday, part) in slots and vid not in placed]
                pool.sort(key=lambda vid: (counts[vid], size[vid], _spread(vid, salt)))
                chosen = pool[:max(post.min_volunteers, 0)]
                for vid in chosen:
                    counts[vid] += 1
                    placed.add(vid)
                lead_pool = sorted((s for s in staff if s not in leads_here),
                                   key=lambda s: (lead_counts[s], staff.index(s)))
                lead = lead_pool[0] if lead_pool else ""
                if lead:
                    lead_counts[lead] += 1
                    leads_here.add(lead)
                plan.shifts.append(PlannedShift(day, part, post.post_id, lead, sorted(chosen)))
                where = f"{WEEKDAYS[weekday]} {part} {post.name}"
                missing = post.min_volunteers - len(chosen)
                if missing > 0:
                    plan.gaps.append(f"{where} 缺 {missing} 人")
                if not lead:
                    plan.gaps.append(f"{where} 缺带班")
    return plan
