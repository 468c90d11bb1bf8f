"""Facility rules (设施台账): status transitions, money, the inspection-overdue flag, form cleaning.

Money is Decimal with two places (元). Sums are made here in Python with Decimal, never with
SQL SUM (SQLite would add binary floats).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..models.facilities import FACILITY_STATUSES, PLANNED_STATUSES, UNITS
from .resident import FormErrors, parse_date
from .text import ValidationError, clean_multiline, clean_text, to_halfwidth

# Allowed status changes. A planned project moves forward (or back one step while it is
# still on paper); a built facility goes to repair and back, and can be removed.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "规划中": ("已立项", "已拆除"),
    "已立项": ("规划中", "施工中", "已拆除"),
    "施工中": ("已完工",),
    "已完工": ("维修中", "已拆除"),
    "维修中": ("已完工", "已拆除"),
    "已拆除": (),
}
IN_USE_STATUSES = ("已完工", "维修中")  # counted in the totals by kind
INSPECTED_STATUSES = ("已完工",)  # must be inspected regularly
DEFAULT_INSPECTION_DAYS = 90
INSPECTION_DAYS_SETTING = "inspection_overdue_days"
CENT = Decimal("0.01")
MAX_MONEY = Decimal("9999999999.99")


def allowed_next(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def check_transition(old: str, new: str) -> None:
    """Raise ValidationError unless old -> new is an allowed status change (same status is fine)."""
    if new not in FACILITY_STATUSES:
        raise ValidationError(f"设施状态“{new}”不存在，可选：{'、'.join(FACILITY_STATUSES)}", "status")
    if old == new or not old:
        return
    if new not in TRANSITIONS.get(old, ()):
        choices = "、".join(TRANSITIONS.get(old, ())) or "无（已拆除的设施不能再改状态）"
        raise ValidationError(f"设施状态不能从“{old}”改为“{new}”，可改为：{choices}", "status")


def is_planned(status: str) -> bool:
    return status in PLANNED_STATUSES


def parse_money(raw: object, label: str = "金额") -> Decimal | None:
    """'1,234.5' / '￥1234.50元' / 1234 -> Decimal('1234.50'); '' -> None. Floats are refused as inexact
    unless they are whole; more than two decimals or a negative amount is an error."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, float):
        if not raw.is_integer():
            raise ValidationError(f"{label}请以文字或 Decimal 给出，不能用浮点数（{raw}）")
        raw = int(raw)
    if isinstance(raw, int | Decimal):
        value = Decimal(raw)
    else:
        text = to_halfwidth(str(raw)).strip().replace(",", "").replace("，", "")
        text = re.sub(r"^[¥￥]|元$", "", text).strip()
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValidationError(f"{label}“{raw}”不是金额，请写成 1234.50") from None
    if not value.is_finite():
        raise ValidationError(f"{label}“{raw}”不是金额")
    if value < 0:
        raise ValidationError(f"{label}不能为负数")
    if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValidationError(f"{label}“{raw}”最多两位小数（到分）")
    if value > MAX_MONEY:
        raise ValidationError(f"{label}“{raw}”过大")
    return value.quantize(CENT)


def sum_money(values: Iterable[Decimal | str | int | None]) -> Decimal:
    """Exact sum of amounts (None and '' count as nothing)."""
    total = Decimal("0.00")
    for value in values:
        if value is None or value == "":
            continue
        total += value if isinstance(value, Decimal) else Decimal(str(value))
    return total.quantize(CENT)


def format_money(value: Decimal | None) -> str:
    return "" if value is None else f"{value.quantize(CENT):,.2f}"


def inspection_reference(installed: dt.date | None, last_inspected: dt.date | None) -> dt.date | None:
    """The day from which the next inspection is counted: the last inspection, else installation."""
    dates = [d for d in (installed, last_inspected) if d is not None]
    return max(dates) if dates else None


def inspection_overdue(status: str, installed: dt.date | None, last_inspected: dt.date | None,
                       today: dt.date, days: int = DEFAULT_INSPECTION_DAYS) -> bool:
    """True when a facility in use has not been inspected for more than `days` days."""
    if status not in INSPECTED_STATUSES:
        return False
    reference = inspection_reference(installed, last_inspected)
    if reference is None:
        return True
    return (today - reference).days > days


def clean_inspection_days(raw: object) -> int:
    try:
        days = int(str(raw).strip())
    except ValueError:
        raise ValidationError(f"巡检周期“{raw}”不是天数") from None
    if not 1 <= days <= 3650:
        raise ValidationError("巡检周期应在 1 到 3650 天之间")
    return days


def clean_facility(raw: dict) -> dict:
    """What the user typed -> values to store. Raises FormErrors naming each wrong field."""
    errors: dict[str, str] = {}
    out: dict = {}

    def take(key, fn):
        try:
            out[key] = fn(raw.get(key))
        except ValidationError as exc:
            errors[key] = exc.message

    take("name", lambda v: clean_text(v, max_length=60, field_label="设施名称"))
    if "name" in out and not out["name"]:
        errors["name"] = "请填写设施名称"
    if not raw.get("kind_id"):
        errors["kind_id"] = "请选择设施种类"
    out["kind_id"] = raw.get("kind_id")
    take("quantity", _quantity)
    unit = clean_text(raw.get("unit"), max_length=4) or "个"
    if unit not in UNITS:
        errors["unit"] = f"单位“{unit}”不可用，可选：{'、'.join(UNITS)}"
    out["unit"] = unit
    status = clean_text(raw.get("status")) or "规划中"
    if status not in FACILITY_STATUSES:
        errors["status"] = f"设施状态“{status}”不存在"
    out["status"] = status
    out["community_id"] = raw.get("community_id") or None
    take("building", lambda v: clean_text(v, max_length=30, field_label="楼栋"))
    take("location", lambda v: clean_text(v, max_length=100, field_label="位置"))
    take("planned_date", lambda v: parse_date(v, "计划日期"))
    take("installed_date", lambda v: parse_date(v, "安装日期"))
    take("builder", lambda v: clean_text(v, max_length=60, field_label="供货或施工单位"))
    take("cost", lambda v: parse_money(v, "费用"))
    take("funding", lambda v: clean_text(v, max_length=60, field_label="资金来源"))
    take("responsible", lambda v: clean_text(v, max_length=30, field_label="负责人"))
    take("next_step", lambda v: clean_text(v, max_length=120, field_label="下一步"))
    take("notes", lambda v: clean_multiline(v, field_label="备注"))
    if status in IN_USE_STATUSES and "installed_date" in out and out["installed_date"] is None:
        errors["installed_date"] = f"状态为“{status}”的设施请填写安装日期"
    planned, installed = out.get("planned_date"), out.get("installed_date")
    if installed and installed > dt.date.today() + dt.timedelta(days=1):
        errors["installed_date"] = "安装日期不能晚于今天"
    if planned and installed and installed < planned - dt.timedelta(days=3650):
        errors["installed_date"] = "安装日期早于计划日期十年以上，请核对"
    if errors:
        raise FormErrors(errors)
    return out


def _quantity(raw: object) -> int:
    text = to_halfwidth(str(raw if raw is not None else "")).strip()
    if not text:
        raise ValidationError("请填写数量")
    try:
        value = int(text)
    except ValueError:
        raise ValidationError(f"数量“{text}”应为整数") from None
    if not 1 <= value <= 100000:
        raise ValidationError("数量应在 1 到 100000 之间")
    return value


def clean_event(raw: dict) -> dict:
    """An inspection or repair record: date, who, what was found, cost."""
    errors: dict[str, str] = {}
    out: dict = {"kind": raw.get("kind") or "巡检"}
    if out["kind"] not in ("巡检", "维修"):
        errors["kind"] = "记录类别应为巡检或维修"
    try:
        out["date"] = parse_date(raw.get("date"), "日期")
        if out["date"] is None:
            errors["date"] = "请填写日期"
        elif out["date"] > dt.date.today() + dt.timedelta(days=1):
            errors["date"] = "日期不能晚于今天"
    except ValidationError as exc:
        errors["date"] = exc.message
    for key, label, limit in (("who", "经办人", 30), ("found", "发现问题及处理", 1000)):
        try:
            out[key] = clean_text(raw.get(key), max_length=limit, field_label=label) if key == "who" else \
                clean_multiline(raw.get(key), max_length=limit, field_label=label)
        except ValidationError as exc:
            errors[key] = exc.message
    if not out.get("who") and "who" not in errors:
        errors["who"] = "请填写经办人"
    try:
        out["cost"] = parse_money(raw.get("cost"), "费用")
    except ValidationError as exc:
        errors["cost"] = exc.message
    out["new_status"] = clean_text(raw.get("new_status"))
    if errors:
        raise FormErrors(errors)
    return out
