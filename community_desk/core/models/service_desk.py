"""Service desk (我来办工作站): request categories and requests (工单), in the columns of the 12345 hotline."""
from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from .. import vocabulary
from .base import BaseModel, TimestampedModel, VersionedModel
from .facilities import Facility
from .people import Community, Household, Resident

REQUEST_TYPES = ("诉求", "投诉", "咨询", "求助", "建议")
BUILTIN_CATEGORIES = ("漏雨", "停电", "停水", "维修", "环境卫生", "邻里纠纷", "其他")
CHANNELS = ("来访", "电话", "微信群")
REQUEST_STATUSES = vocabulary.REQUEST_STATUSES
OPEN_STATUSES = vocabulary.OPEN_REQUEST_STATUSES
SOLVED_CHOICES = ("解决", "部分解决", "未解决")
SATISFACTION_CHOICES = ("满意", "基本满意", "不满意", "未评价")


class RequestCategory(BaseModel):
    name = CharField(unique=True)
    builtin = IntegerField(default=0)
    sort_order = IntegerField(default=100)


class ServiceRequest(VersionedModel, TimestampedModel):
    number = CharField(unique=True)  # 工单编号 WLB-2026-0001
    type = CharField(default="诉求")
    resident = ForeignKeyField(Resident, null=True, on_delete="SET NULL")
    household = ForeignKeyField(Household, null=True, on_delete="SET NULL")
    community = ForeignKeyField(Community, null=True, on_delete="SET NULL")
    contact_name = CharField(default="")
    contact_phone = CharField(default="")
    address = CharField(default="")
    category = ForeignKeyField(RequestCategory, on_delete="RESTRICT")
    description = TextField(default="")
    received_at = DateTimeField(index=True)
    channel = CharField(default="来访")
    assigned_to = CharField(default="")
    deadline = DateField(null=True, index=True)
    status = CharField(default="待受理", index=True)
    resolution = TextField(default="")
    resolved_date = DateField(null=True)
    solved = CharField(default="")
    satisfaction = CharField(default="未评价")
    followup_date = DateField(null=True)
    facility = ForeignKeyField(Facility, null=True, backref="requests", on_delete="SET NULL")
