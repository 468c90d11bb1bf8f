"""Checking the settings dialog (设置), Qt-free: every value the office types, with a Chinese message
naming what is wrong. `clean_settings` returns the values to store or raises FormErrors (one message
per field, keyed like the dialog's fields: office_name, community_0, policy_居家隔离, backup_dir ...).
Gate posts are checked by core.queries.duty.save_post and policies by rules.quarantine.check_policy.
"""
from __future__ import annotations

import os
from pathlib import Path

from .phone import normalize_phone
from .quarantine import check_policy
from .resident import FormErrors
from .service_desk import DEADLINE_DAYS_SETTING
from .text import ValidationError, clean_text, to_halfwidth

# key: (label, smallest, largest); the range is said in the message
NUMBERS = {
    "backup_keep_daily": ("保留每日备份的天数", 1, 365, "天"),
    "backup_keep_weekly": ("保留每周备份的周数", 0, 520, "周"),
    "idle_lock_minutes": ("无操作自动锁定时间", 0, 480, "分钟"),
    DEADLINE_DAYS_SETTING: ("我来办工单的办理时限", 1, 90, "天"),
}
MAX_PLANNED_HOUSEHOLDS = 100_000


def whole_number(raw: object, label: str, low: int, high: int, unit: str = "") -> int:
    text = to_halfwidth(str(raw if raw is not None else "")).strip().replace(",", "")
    if not text:
        raise ValidationError(f"请填写{label}")
    if not text.isdigit():
        raise ValidationError(f"{label}“{text}”不是整数")
    value = int(text)
    if not low <= value <= high:
        raise ValidationError(f"{label}应在 {low} 到 {high} {unit}之间".replace("  ", " "))
    return value


def split_names(raw: object, label: str, max_length: int = 30) -> list[str]:
    """Names one a line (or separated by 、，,), cleaned, duplicates dropped, order kept."""
    if isinstance(raw, (list, tuple)):
        parts = [str(p) for p in raw]
    else:
        text = str(raw or "")
        for sep in ("、", "，", ",", "\r"):
            text = text.replace(sep, "\n")
        parts = text.split("\n")
    names = [clean_text(p, max_length=max_length, field_label=label) for p in parts]
    return list(dict.fromkeys(n for n in names if n))


def check_folder(raw: object) -> str:
    """'' (beside the database) or an absolute folder that exists, or could be made, and can be written.
    Nothing is created here: core.queries.office_settings_form makes the folder once the form is saved."""
    text = clean_text(raw, max_length=400, field_label="备份文件夹")
    if not text:
        return ""
    path = Path(text).expanduser()
    if not path.is_absolute():
        raise ValidationError(f"备份文件夹“{text}”须写完整路径（例如 D:\\社区工作台备份 或 /home/office/备份）")
    if path.exists() and not path.is_dir():
        raise ValidationError(f"备份文件夹“{text}”是一个文件，不是文件夹")
    existing = next(p for p in (path, *path.parents) if p.exists())
    if not existing.is_dir():
        raise ValidationError(f"备份文件夹“{text}”不能创建：“{existing}”是一个文件")
    if not os.access(existing, os.W_OK):
        raise ValidationError(f"备份文件夹“{text}”不能写入，请换一个文件夹或请管理员开放权限")
    return str(path)


def clean_settings(raw: dict) -> dict:
    """The dialog's values, checked. raw['communities'] is [{'id', 'name', 'planned'}], raw['policies']
    {measure: {'days', 'test_days'}}; a new community row with no name is ignored."""
    errors: dict[str, str] = {}
    out: dict = {}

    def take(key: str, fn):
        try:
            out[key] = fn()
        except ValidationError as exc:
            errors[key] = exc.message

    take("office_name", lambda: clean_text(raw.get("office_name"), max_length=50, field_label="填报单位"))
    if "office_name" in out and not out["office_name"]:
        errors["office_name"] = "请填写填报单位（社区居委会名称），它印在每张报表上"
    take("reporter_name", lambda: clean_text(raw.get("reporter_name"), max_length=30, field_label="填报人"))
    take("reporter_phone", lambda: normalize_phone(raw.get("reporter_phone")))
    take("follow_up_workers", lambda: split_names(raw.get("follow_up_workers"), "健康监测责任人姓名"))
    take("backup_dir", lambda: check_folder(raw.get("backup_dir")))
    for key, (label, low, high, unit) in NUMBERS.items():
        take(key, lambda k=key, a=label, lo=low, hi=high, u=unit: whole_number(raw.get(k), a, lo, hi, u))
    out["show_full_ids"] = bool(raw.get("show_full_ids", True))

    communities, seen = [], {}
    for i, row in enumerate(raw.get("communities") or []):
        key = f"community_{i}"
        try:
            name = clean_text(row.get("name"), max_length=50, field_label="社区名称")
            if not name:
                if row.get("id") is None:
                    continue  # the empty line for a new community
                raise ValidationError("社区名称不能为空（已有居民的社区不能删除，只能改名）")
            if name in seen:
                raise ValidationError(f"社区“{name}”重复")
            seen[name] = i
            planned = whole_number(row.get("planned"), f"{name}的规划户数", 0, MAX_PLANNED_HOUSEHOLDS, "户")
        except ValidationError as exc:
            errors[key] = exc.message
            continue
        communities.append({"id": row.get("id"), "name": name, "planned": planned})
    out["communities"] = communities

    policies = {}
    for measure, entry in (raw.get("policies") or {}).items():
        try:
            policies[measure] = check_policy(measure, entry.get("days"), entry.get("test_days"))
        except ValidationError as exc:
            errors[f"policy_{measure}"] = exc.message
    out["policies"] = policies
    if errors:
        raise FormErrors(errors)
    return out
