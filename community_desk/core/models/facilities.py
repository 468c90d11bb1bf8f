"""Facility log (设施台账): facility kinds, facilities, their history (状态变更 / 巡检 / 维修) and photos."""
from __future__ import annotations

from peewee import (
    BlobField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from .. import vocabulary
from .base import BaseModel, TimestampedModel, VersionedModel, now
from .people import Building, Community

# Seeded kinds (name, default unit); the office can add more.
BUILTIN_FACILITY_KINDS = (
    ("休闲座椅", "套"), ("儿童滑梯", "组"), ("秋千", "套"), ("摇摇马", "个"), ("跷跷板", "个"),
    ("乒乓球桌", "台"), ("电动车充电桩", "台"), ("社区图书馆", "个"), ("党群服务中心", "个"),
)
UNITS = ("套", "组", "个", "台")
FACILITY_STATUSES = vocabulary.FACILITY_STATUSES
PLANNED_STATUSES = vocabulary.PLANNED_FACILITY_STATUSES
EVENT_KINDS = ("状态变更", "巡检", "维修")


def money_field(**kwargs) -> DecimalField:
    """Yuan with two decimals; read back as Decimal (never summed in SQL, see core.rules.facilities)."""
    return DecimalField(max_digits=12, decimal_places=2, auto_round=True, **kwargs)


class FacilityKind(BaseModel):
    name = CharField(unique=True)
    default_unit = CharField(default="个")
    builtin = IntegerField(default=0)
    sort_order = IntegerField(default=100)


class Facility(VersionedModel, TimestampedModel):
    kind = ForeignKeyField(FacilityKind, backref="facilities", on_delete="RESTRICT")
    name = CharField()
    quantity = IntegerField(default=1)
    unit = CharField(default="个")
    community = ForeignKeyField(Community, null=True, on_delete="SET NULL")
    building = ForeignKeyField(Building, null=True, on_delete="SET NULL")
    location = CharField(default="")
    status = CharField(default="已完工", index=True)
    planned_date = DateField(null=True)
    installed_date = DateField(null=True)
    builder = CharField(default="")  # 供货或施工单位
    cost = money_field(null=True)
    funding = CharField(default="")  # 资金来源
    responsible = CharField(default="")  # 负责人
    next_step = CharField(default="")  # 下一步（规划项目）
    notes = TextField(default="")


class FacilityEvent(BaseModel):
    facility = ForeignKeyField(Facility, backref="events", on_delete="CASCADE")
    kind = CharField()  # 状态变更 / 巡检 / 维修
    date = DateField(index=True)
    who = CharField(default="")
    found = TextField(default="")  # 发现问题 / 处理情况
    cost = money_field(null=True)
    old_status = CharField(default="")
    new_status = CharField(default="")
    created_at = DateTimeField(default=now)


class FacilityPhoto(BaseModel):
    facility = ForeignKeyField(Facility, backref="photos", on_delete="CASCADE")
    file_name = CharField()  # relative to the photos folder beside the database
    caption = CharField(default="")
    added_at = DateTimeField(default=now)
    data = BlobField(null=True)  # server mode: the image itself (no folder beside a server); None on a file
