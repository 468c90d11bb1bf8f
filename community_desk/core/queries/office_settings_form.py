"""The settings dialog's data (设置), Qt-free: read every office setting in one dict, and save the whole
form at once, by an administrator only, checked first (core.rules.office_settings) and recorded in the
audit log. Settings live in the database (table `setting`), so they travel with a backup.

Reuses the owners' functions: quarantine policies (queries.quarantine.set_policy), gate posts
(queries.duty.save_post); the keys backup_dir / backup_keep_daily / backup_keep_weekly are the ones
core.startup reads, idle_lock_minutes the main window's, show_full_ids the lists'.
"""
from __future__ import annotations

from pathlib import Path

from peewee import IntegrityError

from .. import backup, session, vocabulary
from ..db import transaction
from ..models import Community
from ..models.volunteers import PARTS
from ..rules.office_settings import clean_settings
from ..rules.resident import FormErrors
from ..rules.service_desk import DEADLINE_DAYS_SETTING, DEFAULT_DEADLINE_DAYS
from ..session import PermissionDenied
from . import audit, duty
from . import quarantine as cases
from . import settings as office_settings

# plain settings: key -> (label in the audit log, default)
_LABELS = vocabulary.FIELD_LABELS["setting"]
PLAIN = {
    "office_name": (_LABELS["office_name"], ""),
    "reporter_name": (_LABELS["reporter_name"], ""),
    "reporter_phone": (_LABELS["reporter_phone"], ""),
    "follow_up_workers": (_LABELS["follow_up_workers"], []),
    "backup_dir": (_LABELS["backup_dir"], ""),
    "backup_keep_daily": (_LABELS["backup_keep_daily"], backup.KEEP_DAILY),
    "backup_keep_weekly": (_LABELS["backup_keep_weekly"], backup.KEEP_WEEKLY),
    "idle_lock_minutes": (_LABELS["idle_lock_minutes"], 15),
    "show_full_ids": (_LABELS["show_full_ids"], True),
    DEADLINE_DAYS_SETTING: (_LABELS[DEADLINE_DAYS_SETTING], DEFAULT_DEADLINE_DAYS),
}
ADMIN_ONLY = "只有管理员可以修改设置"


def require_admin() -> None:
    if session.current.role != vocabulary.ROLE_ADMIN:
        raise PermissionDenied(ADMIN_ONLY)


def follow_up_workers() -> list[str]:
    return list(office_settings.get("follow_up_workers") or [])


def load() -> dict:
    """Everything the dialog shows, as stored now."""
    values = {key: office_settings.get(key, default) for key, (_label, default) in PLAIN.items()}
    for key in ("office_name", "reporter_name", "reporter_phone", "backup_dir"):
        values[key] = values[key] or ""
    values["communities"] = [{"id": c.id, "name": c.name, "planned": c.planned_households}
                             for c in Community.select().order_by(Community.sort_order, Community.id)]
    values["policies"] = {m: {"days": p.days, "test_days": list(p.test_days)} for m, p in cases.policies().items()}
    values["posts"] = [{"id": p.id, "name": p.name, "min_volunteers": p.min_volunteers, "parts": p.parts,
                        "active": p.active} for p in duty.list_posts()]
    return values


def _save_communities(rows: list[dict]) -> list[str]:
    changed = []
    existing = {c.id: c for c in Community.select()}
    taken = {c.name: c.id for c in existing.values()}
    in_form = {row["id"] for row in rows}
    for row in rows:  # the form holds every community; a name may only clash with one left out of it
        other = taken.get(row["name"])
        if other is not None and other != row["id"] and other not in in_form:
            raise FormErrors({"communities": f"已有社区“{row['name']}”"})
    for order, row in enumerate(rows):
        if row["id"] is None:
            try:
                with transaction():  # a savepoint: another PC may add the same name at this moment
                    community = Community.create(name=row["name"], planned_households=row["planned"],
                                                 sort_order=order)
            except IntegrityError:
                raise FormErrors({"communities": f"已有社区“{row['name']}”"}) from None
            audit.record("新增", "community", community.id, f"新增社区 {row['name']}（规划 {row['planned']} 户）")
            changed.append(row["name"])
            continue
        old = existing[row["id"]]
        before = {"name": old.name, "planned_households": old.planned_households}
        after = {"name": row["name"], "planned_households": row["planned"]}
        if before != after:
            try:
                with transaction():
                    Community.update(**after).where(Community.id == old.id).execute()
            except IntegrityError:
                raise FormErrors({"communities": f"社区“{row['name']}”与另一个社区同名：互换名称请分两次保存"}) from None
            audit.record("修改", "community", old.id, f"修改社区 {row['name']}", audit.diff(before, after))
            changed.append(row["name"])
    return changed


def _save_posts(rows: list[dict]) -> tuple[list[str], dict[str, str]]:
    current = {p.id: p for p in duty.list_posts()}
    changed, errors = [], {}
    for i, row in enumerate(rows):
        name = str(row.get("name") or "").strip()
        if row.get("id") is None and not name:
            continue  # the empty line for a new post
        raw = {"name": name, "min_volunteers": row.get("min_volunteers"),
               "parts": "".join(p for p in PARTS if p in (row.get("parts") or "")), "active": row.get("active", True)}
        old = current.get(row.get("id"))
        if old is not None and (old.name, str(old.min_volunteers), old.parts, old.active) == (
                raw["name"], str(raw["min_volunteers"]).strip(), raw["parts"], bool(raw["active"])):
            continue
        if not raw["parts"]:
            raw["parts"] = "-"  # no part chosen: let save_post say so
        try:
            duty.save_post(raw, row.get("id"))
            changed.append(name)
        except FormErrors as exc:
            errors[f"post_{i}"] = f"门岗{('“' + name + '”') if name else ''}：" + "；".join(exc.errors.values())
    return changed, errors


def save(raw: dict) -> list[str]:
    """Check and store the whole form; returns what changed (labels). Raises PermissionDenied for a
    non-administrator and FormErrors (nothing stored) when a value is refused."""
    require_admin()
    values = clean_settings(raw)
    if values["backup_dir"]:
        try:
            Path(values["backup_dir"]).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FormErrors({"backup_dir": f"备份文件夹“{values['backup_dir']}”无法创建（{exc.strerror or exc}）"}) from None
    changed: list[str] = []
    with transaction():
        plain_changes = {}
        for key, (label, default) in PLAIN.items():
            old = office_settings.get(key, default)
            if old != values[key]:
                plain_changes[key] = (old, values[key])
                changed.append(label)
        if plain_changes:  # stored and audited as one line by office_settings
            office_settings.put_many({k: new for k, (_old, new) in plain_changes.items()},
                                     summary="修改设置：" + "、".join(PLAIN[k][0] for k in plain_changes),
                                     changes=plain_changes)
        changed += [f"社区 {name}" for name in _save_communities(values["communities"])]
        stored = cases.policies()
        for measure, policy in values["policies"].items():
            if policy != stored.get(measure):
                cases.set_policy(measure, policy.days, list(policy.test_days))
                changed.append(f"{measure}期限")
        posts, errors = _save_posts(raw.get("posts") or [])
        if errors:
            raise FormErrors(errors)  # rolls the whole form back
        changed += [f"门岗 {name}" for name in posts]
    return changed
