"""Cleaning a quarantine case form (隔离人员登记): every field normalised, every error named in Chinese.

`clean_case` takes what a person typed (or an import row gave) and returns the values to store, or
raises FormErrors (field -> message). Database checks (a second open case for one ID) live in
core.queries.quarantine.
"""
from __future__ import annotations

import datetime as dt

from .. import vocabulary
from .idcard import parse_id
from .phone import normalize_phone
from .pinyin import name_keys
from .quarantine import MEASURES, SOURCES, STATUSES
from .resident import FormErrors, parse_date
from .text import ValidationError, clean_multiline, clean_text

TEXT_FIELDS = {  # key: (label, max length)
    "address": ("现居住地址", 100), "found_by": ("发现人", 30), "found_how": ("发现途径", 60),
    "classification": ("人员分类", 30), "origin": ("出发地", 60), "transport": ("交通方式", 40),
    "end_change_reason": ("调整原因", 100), "home_comment": ("居家条件说明", 100),
    "supplies_comment": ("物资保障说明", 100), "follow_up_worker": ("健康监测责任人", 30),
    "building": ("楼栋", 30),
}
DATE_FIELDS = {"arrival_date": "返京日期", "start_date": "隔离起始日期", "planned_end": "计划解除日期",
               "verbal_notice_date": "口头通知日期", "written_notice_date": "书面通知日期"}


def _tristate(value: object) -> bool | None:
    if value in (None, "", "未知"):
        return None
    if isinstance(value, bool):
        return value
    return str(value).strip() in ("是", "1", "true", "True", "具备", "已保障")


def search_text(name: str, id_number: str | None, phone: str, address: str) -> str:
    initials, pinyin = name_keys(name) if name else ("", "")
    parts = (name, initials, pinyin, id_number or "", phone.replace("-", ""), address)
    return " ".join(p for p in parts if p).lower()


def clean_case(raw: dict, *, today: dt.date | None = None) -> dict:
    """Return the stored values of a case, or raise FormErrors."""
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    out: dict = {}

    def take(key, func, default=None):
        try:
            return func()
        except ValidationError as exc:
            errors[key] = exc.message
            return default

    out["name"] = take("name", lambda: clean_text(raw.get("name"), max_length=30, field_label="姓名"), "")
    if not out["name"] and "name" not in errors:
        errors["name"] = "请填写姓名"
    info = None
    if raw.get("id_number") not in (None, ""):
        info = take("id_number", lambda: parse_id(raw.get("id_number"), today=today))
    out["id_number"] = info.number if info else None
    gender = clean_text(raw.get("gender"), max_length=2)
    if gender and gender not in ("男", "女"):
        errors["gender"] = "性别只能是 男 或 女"
    out["gender"] = info.gender if info else gender
    out["phone"] = take("phone", lambda: normalize_phone(raw.get("phone")), "")
    for key, (label, limit) in TEXT_FIELDS.items():
        out[key] = take(key, lambda k=key, la=label, li=limit: clean_text(raw.get(k), max_length=li, field_label=la), "")
    if out["building"].isdigit():
        out["building"] += "号楼"
    out["community_id"] = raw.get("community_id") or None
    for key, label in DATE_FIELDS.items():
        out[key] = take(key, lambda k=key, la=label: parse_date(raw.get(k), la))
    source = clean_text(raw.get("source")) or "自排"
    if source not in SOURCES:
        errors["source"] = f"来源只能是 {' / '.join(SOURCES)}"
    out["source"] = source
    measure = clean_text(raw.get("measure")) or "居家隔离"
    if measure not in MEASURES:
        errors["measure"] = f"管控措施只能是 {' / '.join(MEASURES)}"
    out["measure"] = measure
    status = clean_text(raw.get("status")) or vocabulary.CASE_UNDER_CONTROL
    if status not in STATUSES:
        errors["status"] = f"状态只能是 {' / '.join(STATUSES)}"
    out["status"] = status
    if out["start_date"] is None and "start_date" not in errors:
        out["start_date"] = out["arrival_date"] or today
    if out["arrival_date"] and out["arrival_date"] > today + dt.timedelta(days=30):
        errors["arrival_date"] = "返京日期不合理：晚于今天一个月以上"
    if out["planned_end"] and out["start_date"] and out["planned_end"] < out["start_date"]:
        errors["planned_end"] = "计划解除日期不能早于隔离起始日期"
    for key, notice_label in (("verbal_notice_date", "口头通知"), ("written_notice_date", "书面通知")):
        if out[key] and out[key] > today:
            errors[key] = f"{notice_label}日期不能晚于今天"
    out["home_possible"] = _tristate(raw.get("home_possible"))
    out["supplies_ok"] = _tristate(raw.get("supplies_ok"))
    out["notes"] = take("notes", lambda: clean_multiline(raw.get("notes"), max_length=4000), "")
    if errors:
        raise FormErrors(errors)
    out["search_text"] = search_text(out["name"], out["id_number"], out["phone"], out["address"])
    return out
