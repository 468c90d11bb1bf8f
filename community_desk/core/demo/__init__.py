"""Fictional demo data (文件 → 载入示例数据, `demo-data`): one transaction that fills an empty database.

First the residents (demo.residents: communities, buildings, households, N residents) and the office's name,
then the STEPS below, in their order. Every step draws from the same seeded random generator, so the order is
part of the data: a given seed, day and count always give the same database. A new step is a module with
`add(rng, today)`, put into STEPS by hand (importing a module registers nothing).
"""
from __future__ import annotations

import datetime as dt
import random

from .. import session
from ..db import transaction
from ..models import db_proxy
from ..queries import settings as office_settings
from ..rules.text import ValidationError
from . import cleaning, facilities, links, quarantine, volunteers
from .residents import add as add_residents

# volunteers before the cleaning round, whose teams the links step fills with volunteers
STEPS = (facilities, quarantine, volunteers, cleaning, links)


def has_residents() -> bool:
    return db_proxy.execute_sql("SELECT EXISTS (SELECT 1 FROM resident)").fetchone()[0] == 1


def load_demo_data(residents: int = 400, seed: int = 2026, today: dt.date | None = None) -> dict[str, int]:
    """Fill an empty database; returns the figures of demo.residents.add. Refuses (ValidationError) when
    residents exist already."""
    session.require_write()
    if residents < 0 or residents > 1_000_000:
        raise ValidationError("示例居民人数应在 0 到 1000000 之间")
    if has_residents():
        raise ValidationError("数据库里已有居民数据；示例数据只能载入空数据库")
    rng = random.Random(seed)
    today = today or dt.date.today()
    with transaction():
        counts = add_residents(rng, today, residents)
        if not office_settings.get("office_name"):
            office_settings.put("office_name", "长阳镇原乡小镇社区居委会")
            office_settings.put("reporter_name", "张敏")
            office_settings.put("reporter_phone", "010-80361234")
        for step in STEPS:
            step.add(rng, today)
    return counts

