"""Office settings stored in the database (they travel with a backup)."""
from __future__ import annotations

import json
from typing import Any

from ..models import Setting

DEFAULTS: dict[str, Any] = {
    "office_name": "",        # 填报单位
    "reporter_name": "",      # 填报人
    "reporter_phone": "",
    "show_full_ids": True,
}


def get(key: str, default: Any = None) -> Any:
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        return DEFAULTS.get(key, default) if default is None else default
    return json.loads(row.value)


def put(key: str, value: Any) -> None:
    Setting.insert(key=key, value=json.dumps(value, ensure_ascii=False)).on_conflict_replace().execute()


def is_configured() -> bool:
    """True once the first-start questions (communities, office name, an administrator) have been answered."""
    from ..models import Community, StaffAccount

    return bool(get("office_name")) and Community.select().exists() and StaffAccount.select().exists()
