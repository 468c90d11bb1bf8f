"""Communities (社区) and buildings (楼栋)."""
from __future__ import annotations

import re

from .. import session
from ..db import transaction
from ..models import Building, Community
from ..rules.text import ValidationError, clean_text
from . import audit

TABLE = "community"

_BUILDING_NUMBER = re.compile(r"(\d+)")


def list_communities() -> list[tuple[int, str]]:
    return [(c.id, c.name) for c in Community.select().order_by(Community.sort_order, Community.id)]


def ensure_communities(names: list[str]) -> list[int]:
    """Create the named communities that do not exist yet (each new one audited); return all their ids in order.
    Raises PermissionDenied for a read-only session, ValidationError (nothing stored) when no name is given."""
    session.require_write()
    cleaned = [clean_text(raw, max_length=50, field_label="社区名称") for raw in names]
    if not any(cleaned):
        raise ValidationError("请至少填写一个社区名称")
    ids = []
    with transaction():
        for order, name in enumerate(cleaned):
            if not name:
                continue
            community, created = Community.get_or_create(name=name, defaults={"sort_order": order})
            if created:
                audit.record("新增", TABLE, community.id, f"新增社区 {name}", {"name": (None, name)})
            ids.append(community.id)
    return ids


def _building_sort_key(name: str) -> tuple:
    match = _BUILDING_NUMBER.search(name)
    return (int(match.group(1)) if match else 10**9, name)


def list_buildings(community_id: int | None = None) -> list[tuple[int, str, str]]:
    """(id, building name, community name), buildings in number order (2号楼 before 10号楼)."""
    query = Building.select(Building.id, Building.name, Community.name.alias("community_name")).join(Community)
    if community_id:
        query = query.where(Building.community == community_id)
    rows = [(b.id, b.name, b.community.name) for b in query]
    return sorted(rows, key=lambda r: (r[2], _building_sort_key(r[1])))


def get_or_create_building(community_id: int, name: str) -> int:
    session.require_write()
    building, _ = Building.get_or_create(community=community_id, name=name)
    return building.id
