"""The window-cleaning home service (居家无忧项目 擦玻璃服务): rounds, teams, members, surveys, visits.

A service round (服务批次) has a date range and the teams (服务队) that work in it. Its members are
the eligible residents (from the registry, with the reason) or residents added by hand. Each
household is surveyed once (前期统计); the households that want the service get a visit on a
day and time slot by one team; the visit records the work done and the follow-up (回访).

A team is a named group of staff for now; `ServiceTeam.notes` and the free `members` text keep
room for the volunteer registry (issue 6) to link real volunteers later.
"""
from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from .. import vocabulary
from .base import BaseModel, TimestampedModel, VersionedModel
from .people import Community, Household, Resident

CONTACT_METHODS = vocabulary.CONTACT_PREFERENCES
SURVEY_RESULTS = ("需要", "不需要", "联系不上", "改期")
SLOTS = ("上午", "下午")
SLOT_CHOICES = ("不限", "上午", "下午")
SATISFACTION = ("满意", "基本满意", "不满意")
CHECKLIST = tuple((k, vocabulary.FIELD_LABELS["visit"][k]) for k in ("slippers", "glass", "screens", "sills", "railings"))
MEMBER_SOURCES = ("条件筛选", "手动添加")


class ServiceTeam(VersionedModel):
    name = CharField(unique=True)
    leader = CharField(default="")       # 带队人
    members = TextField(default="")      # 成员姓名，顿号分隔
    phone = CharField(default="")
    notes = TextField(default="")


class ServiceRound(VersionedModel, TimestampedModel):
    name = CharField()
    community = ForeignKeyField(Community, null=True, on_delete="SET NULL")
    start_date = DateField()
    end_date = DateField()
    capacity = IntegerField(default=4)   # visits per team per time slot
    criteria = TextField(default="")     # JSON of rules.cleaning.Criteria
    notes = TextField(default="")


class RoundTeam(BaseModel):
    round = ForeignKeyField(ServiceRound, backref="team_links", on_delete="CASCADE")
    team = ForeignKeyField(ServiceTeam, backref="round_links", on_delete="RESTRICT")

    class Meta:
        indexes = ((("round", "team"), True),)


class RoundMember(BaseModel):
    round = ForeignKeyField(ServiceRound, backref="members", on_delete="CASCADE")
    resident = ForeignKeyField(Resident, on_delete="CASCADE")
    source = CharField(default="条件筛选")
    reason = CharField(default="")

    class Meta:
        indexes = ((("round", "resident"), True),)


class Survey(VersionedModel, TimestampedModel):
    """The pre-survey of one household (前期统计): `resident` is the person spoken to."""
    round = ForeignKeyField(ServiceRound, backref="surveys", on_delete="CASCADE")
    resident = ForeignKeyField(Resident, on_delete="CASCADE")
    household = ForeignKeyField(Household, null=True, on_delete="SET NULL")
    contact_method = CharField(default="电话")
    result = CharField(default="需要")
    preferred_dates = CharField(default="")   # ISO dates, comma separated; empty = any day
    preferred_slot = CharField(default="不限")
    windows = IntegerField(default=0)
    notes = TextField(default="")
    surveyed_on = DateField(null=True)
    surveyed_by = CharField(default="")

    class Meta:
        indexes = ((("round", "resident"), True),)


class Visit(VersionedModel, TimestampedModel):
    round = ForeignKeyField(ServiceRound, backref="visits", on_delete="CASCADE")
    survey = ForeignKeyField(Survey, null=True, on_delete="SET NULL")
    resident = ForeignKeyField(Resident, on_delete="CASCADE")
    household = ForeignKeyField(Household, null=True, on_delete="SET NULL")
    date = DateField(index=True)
    slot = CharField(default="上午")
    team = ForeignKeyField(ServiceTeam, null=True, on_delete="SET NULL")
    address = CharField(default="")
    floor = IntegerField(null=True)
    done = BooleanField(default=False)
    slippers = BooleanField(default=False)
    glass = BooleanField(default=False)
    screens = BooleanField(default=False)
    sills = BooleanField(default=False)
    railings = BooleanField(default=False)
    started_at = CharField(default="")    # HH:MM
    finished_at = CharField(default="")
    windows_cleaned = IntegerField(default=0)
    problems = TextField(default="")
    satisfaction = CharField(default="")
    feedback = TextField(default="")      # the resident's words (回访)
    followed_up_on = DateField(null=True)
    request_number = CharField(default="")  # 我来办工单编号 of a problem found (migration 9)

    class Meta:
        indexes = ((("round", "resident"), True), (("round", "date", "slot"), False))


CLEANING_MODELS = [ServiceTeam, ServiceRound, RoundTeam, RoundMember, Survey, Visit]
