"""Rules of the window-cleaning service (擦玻璃服务): who is eligible and why, how a household may
be contacted, and the checks of the round, team, survey and visit forms. Qt-free.

The auto-scheduler lives in rules/cleaning_schedule.py.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field

from ..models.cleaning import CHECKLIST, CONTACT_METHODS, SATISFACTION, SLOT_CHOICES, SLOTS, SURVEY_RESULTS
from .contact import NO_PHONE_DISABILITIES, contact_way, phone_forbidden  # noqa: F401  (the one rule; named here for callers)
from .resident import FormErrors, parse_date
from .text import ValidationError, clean_multiline, clean_text, to_halfwidth

ELIGIBLE_TAGS = ("残疾人", "独居老人", "老年人", "低保户", "特困人员")
MAX_ROUND_DAYS = 92
MAX_CAPACITY = 20
MAX_WINDOWS = 60


@dataclass
class Criteria:
    """Who a round is for. 老年人 counts from min_age; high_floor (if set) adds residents aged
    high_floor_age or more living on that floor or higher."""
    tags: list[str] = field(default_factory=lambda: list(ELIGIBLE_TAGS))
    min_age: int = 80
    high_floor: int | None = 5
    high_floor_age: int = 60

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Criteria:
        if not text:
            return cls()
        data = json.loads(text)
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def describe(self) -> str:
        parts = []
        for tag in self.tags:
            parts.append(f"{self.min_age}岁以上老年人" if tag == "老年人" else tag)
        if self.high_floor:
            parts.append(f"{self.high_floor}层及以上的{self.high_floor_age}岁以上居民")
        return "、".join(parts) if parts else "（未设条件）"


def eligibility_reasons(tags: set[str] | list[str], age: int | None, floor: int | None, disability: str,
                        criteria: Criteria) -> list[str]:
    """Why one resident is eligible (empty list: not eligible), in the words the list shows."""
    tags = set(tags)
    reasons = []
    for tag in criteria.tags:
        if tag == "老年人":
            if age is not None and age >= criteria.min_age:
                reasons.append(f"{age}岁老人")
        elif tag in tags:
            reasons.append(f"残疾人（{disability}）" if tag == "残疾人" and disability else tag)
    if criteria.high_floor and floor is not None and floor >= criteria.high_floor \
            and age is not None and age >= criteria.high_floor_age:
        reasons.append(f"住{floor}层")
    return reasons


# --- contact method -------------------------------------------------------------------------------

def default_contact_method(contact_preference: str, disability: str) -> str:
    return contact_way(contact_preference, disability)


def allowed_contact_methods(contact_preference: str, disability: str) -> tuple[str, ...]:
    if phone_forbidden(contact_preference, disability):
        return tuple(m for m in CONTACT_METHODS if m != "电话")
    return CONTACT_METHODS


# --- dates ---------------------------------------------------------------------------------------

_SPLIT = re.compile(r"[,，、;；\s]+")
_MONTH_DAY = re.compile(r"(\d{1,2})[-/.月](\d{1,2})[日号]?")
_DAY = re.compile(r"(\d{1,2})[日号]")


def round_days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def parse_preferred_dates(text: str, start: dt.date, end: dt.date) -> list[dt.date]:
    """'11-20、11月21日、22日' -> dates inside the round (the round's year and month fill the gaps).

    Raises ValidationError naming the first token that is no date or falls outside the round."""
    out: list[dt.date] = []
    for token in _SPLIT.split(to_halfwidth(text or "").strip()):
        if not token:
            continue
        try:
            day = _parse_one(token, start)
        except ValueError:
            raise ValidationError(f"希望日期“{token}”不是日期，请写成 11-20 或 11月20日") from None
        if not start <= day <= end:
            raise ValidationError(f"希望日期 {day.month}月{day.day}日 不在本批次（{span_text(start, end)}）内")
        if day not in out:
            out.append(day)
    return sorted(out)


def _parse_one(token: str, start: dt.date) -> dt.date:
    if re.fullmatch(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?", token):
        parsed = parse_date(token, "希望日期")
        assert parsed is not None
        return parsed
    m = _MONTH_DAY.fullmatch(token)
    if m:
        return dt.date(start.year, int(m.group(1)), int(m.group(2)))
    m = _DAY.fullmatch(token) or re.fullmatch(r"(\d{1,2})", token)
    if m:
        return dt.date(start.year, start.month, int(m.group(1)))
    raise ValueError(token)


def span_text(start: dt.date, end: dt.date) -> str:
    return f"{start.month}月{start.day}日—{end.month}月{end.day}日"


def date_text(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


WEEKDAYS = "一二三四五六日"


def weekday_text(day: dt.date) -> str:
    return f"星期{WEEKDAYS[day.weekday()]}"


def parse_time(raw: object, label: str) -> str:
    text = to_halfwidth(str(raw or "")).strip().replace("：", ":")
    if not text:
        return ""
    m = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ValidationError(f"{label}“{text}”不是时间，请写成 9:30")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def _int(raw: object, label: str, low: int, high: int, default: int | None = None) -> int:
    text = to_halfwidth(str(raw if raw is not None else "")).strip()
    if text == "" and default is not None:
        return default
    if not text.isdigit():
        raise ValidationError(f"{label}应为整数")
    value = int(text)
    if not low <= value <= high:
        raise ValidationError(f"{label}应在 {low} 到 {high} 之间")
    return value


def _collect(checks: dict) -> tuple[dict, dict]:
    values, errors = {}, {}
    for key, fn in checks.items():
        try:
            values[key] = fn()
        except ValidationError as exc:
            errors[key] = exc.message
    return values, errors


# --- forms ---------------------------------------------------------------------------------------

def clean_round(raw: dict) -> dict:
    """name, start_date, end_date, capacity, notes, criteria (Criteria). Raises FormErrors."""
    values, errors = _collect({
        "name": lambda: clean_text(raw.get("name"), max_length=60, field_label="批次名称"),
        "start_date": lambda: parse_date(raw.get("start_date"), "开始日期"),
        "end_date": lambda: parse_date(raw.get("end_date"), "结束日期"),
        "capacity": lambda: _int(raw.get("capacity"), "每队每时段户数", 1, MAX_CAPACITY, 4),
        "notes": lambda: clean_multiline(raw.get("notes"), field_label="备注"),
        "min_age": lambda: _int(raw.get("min_age"), "老年人年龄", 50, 110, 80),
        "high_floor": lambda: _int(raw.get("high_floor"), "高层楼层", 0, 60, 0),
    })
    if not values.get("name") and "name" not in errors:
        errors["name"] = "请填写批次名称，例如 2026年11月擦玻璃服务"
    for key, label in (("start_date", "开始日期"), ("end_date", "结束日期")):
        if key not in errors and values.get(key) is None:
            errors[key] = f"请填写{label}"
    start, end = values.get("start_date"), values.get("end_date")
    if start and end:
        if end < start:
            errors["end_date"] = "结束日期不能早于开始日期"
        elif (end - start).days + 1 > MAX_ROUND_DAYS:
            errors["end_date"] = f"一个批次最长 {MAX_ROUND_DAYS} 天"
    tags = [t for t in raw.get("tags", ELIGIBLE_TAGS) if t in ELIGIBLE_TAGS]
    if errors:
        raise FormErrors(errors)
    values["criteria"] = Criteria(tags=tags, min_age=values.pop("min_age"),
                                  high_floor=values.pop("high_floor") or None)
    return values


def clean_team(raw: dict) -> dict:
    values, errors = _collect({
        "name": lambda: clean_text(raw.get("name"), max_length=40, field_label="服务队名称"),
        "leader": lambda: clean_text(raw.get("leader"), max_length=20, field_label="带队人"),
        "members": lambda: "、".join(p for p in _SPLIT.split(clean_text(
            raw.get("members"), max_length=300, field_label="成员")) if p),
        "phone": lambda: clean_text(raw.get("phone"), max_length=20, field_label="联系电话"),
        "notes": lambda: clean_multiline(raw.get("notes"), field_label="备注"),
    })
    if not values.get("name") and "name" not in errors:
        errors["name"] = "请填写服务队名称"
    if errors:
        raise FormErrors(errors)
    return values


def clean_survey(raw: dict, start: dt.date, end: dt.date, contact_preference: str, disability: str,
                 today: dt.date | None = None) -> dict:
    """The stored values of one household's survey, or FormErrors. The phone is refused for the
    hearing- and speech-impaired and for residents who asked for visits in person."""
    method = clean_text(raw.get("contact_method"), max_length=4)
    errors: dict[str, str] = {}
    if method not in CONTACT_METHODS:
        errors["contact_method"] = "请选择联系方式：电话、短信或上门"
    elif method == "电话" and (why := phone_forbidden(contact_preference, disability)):
        errors["contact_method"] = f"该居民{why}，请选择上门或短信"
    result = clean_text(raw.get("result"), max_length=4)
    if result not in SURVEY_RESULTS:
        errors["result"] = "请选择统计结果：" + "、".join(SURVEY_RESULTS)
    slot = clean_text(raw.get("preferred_slot"), max_length=4) or "不限"
    if slot not in SLOT_CHOICES:
        errors["preferred_slot"] = "希望时段只能是 不限、上午 或 下午"
    values, more = _collect({
        "preferred_dates": lambda: parse_preferred_dates(str(raw.get("preferred_dates") or ""), start, end),
        "windows": lambda: _int(raw.get("windows"), "窗户数", 0, MAX_WINDOWS, 0),
        "notes": lambda: clean_multiline(raw.get("notes"), max_length=500, field_label="备注"),
        "surveyed_by": lambda: clean_text(raw.get("surveyed_by"), max_length=20, field_label="统计人"),
        "surveyed_on": lambda: parse_date(raw.get("surveyed_on"), "统计日期") or (today or dt.date.today()),
    })
    errors.update(more)
    if result == "需要" and "windows" not in errors and not values.get("windows"):
        errors["windows"] = "需要服务的户请填写窗户数"
    if errors:
        raise FormErrors(errors)
    values.update(contact_method=method, result=result, preferred_slot=slot,
                  preferred_dates=",".join(d.isoformat() for d in values["preferred_dates"]))
    return values


def clean_visit_move(raw: dict, start: dt.date, end: dt.date) -> dict:
    """date, slot, team_id of a visit being moved (date inside the round)."""
    values, errors = _collect({"date": lambda: parse_date(raw.get("date"), "服务日期")})
    if "date" not in errors:
        if values["date"] is None:
            errors["date"] = "请填写服务日期"
        elif not start <= values["date"] <= end:
            errors["date"] = f"服务日期应在本批次（{span_text(start, end)}）内"
    if raw.get("slot") not in SLOTS:
        errors["slot"] = "时段只能是 上午 或 下午"
    if not raw.get("team_id"):
        errors["team_id"] = "请选择服务队"
    if errors:
        raise FormErrors(errors)
    return {"date": values["date"], "slot": raw["slot"], "team": int(raw["team_id"])}


def clean_visit_record(raw: dict) -> dict:
    """The work record and follow-up of a visit. A visit marked done needs its times in order."""
    values, errors = _collect({
        "started_at": lambda: parse_time(raw.get("started_at"), "开始时间"),
        "finished_at": lambda: parse_time(raw.get("finished_at"), "结束时间"),
        "windows_cleaned": lambda: _int(raw.get("windows_cleaned"), "擦窗数", 0, MAX_WINDOWS, 0),
        "problems": lambda: clean_multiline(raw.get("problems"), max_length=500, field_label="发现问题"),
        "feedback": lambda: clean_multiline(raw.get("feedback"), max_length=500, field_label="居民意见"),
        "followed_up_on": lambda: parse_date(raw.get("followed_up_on"), "回访日期"),
    })
    done = bool(raw.get("done"))
    satisfaction = raw.get("satisfaction") or ""
    if satisfaction and satisfaction not in SATISFACTION:
        errors["satisfaction"] = "满意度只能是 满意、基本满意 或 不满意"
    if satisfaction and not done:
        errors["satisfaction"] = "服务完成后才能登记满意度"
    start, finish = values.get("started_at"), values.get("finished_at")
    if start and finish and finish <= start:
        errors["finished_at"] = "结束时间应晚于开始时间"
    if errors:
        raise FormErrors(errors)
    values["done"] = done
    values["satisfaction"] = satisfaction
    for key, _label in CHECKLIST:
        values[key] = bool(raw.get(key))
    if satisfaction and values["followed_up_on"] is None:
        values["followed_up_on"] = dt.date.today()
    return values
