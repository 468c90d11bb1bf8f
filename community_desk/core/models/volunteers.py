"""Volunteers and gate duty (志愿服务队, 门岗值守), training sessions (培训会) and publicity events (宣传活动).

Hours served are never stored on a volunteer: they are summed from attended shifts, events and any
hour source another module registers (core.queries.volunteers.HOUR_SOURCES).
"""
from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from .base import BaseModel, TimestampedModel, VersionedModel, now
from .people import Community, Resident

VOLUNTEER_KINDS = ("老党员", "在职党员", "普通居民", "其他")
PARTS = ("上午", "下午", "晚上")  # parts of a day a volunteer may be available / a shift may cover
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class VolunteerTeam(BaseModel):
    name = CharField(unique=True)  # e.g. 大爱原香
    community = ForeignKeyField(Community, null=True, on_delete="SET NULL")
    notes = TextField(default="")


class Volunteer(VersionedModel, TimestampedModel):
    """A resident from the registry (resident set) or an outside person (name and phone only)."""
    resident = ForeignKeyField(Resident, null=True, on_delete="SET NULL")
    name = CharField(index=True)  # copied from the resident when picked, so the record survives a deletion
    phone = CharField(default="")
    team = ForeignKeyField(VolunteerTeam, null=True, backref="members", on_delete="SET NULL")
    kind = CharField(default="普通居民")
    skills = CharField(default="")
    # 21 characters '0'/'1': weekday (周一..周日) x part (上午, 下午, 晚上); see rules.volunteers
    availability = CharField(default="0" * 21)
    joined_on = DateField(null=True)
    active = BooleanField(default=True)
    notes = TextField(default="")
    name_pinyin = CharField(default="")
    name_initials = CharField(default="")


class GatePost(BaseModel):
    name = CharField(unique=True)  # 东门, 西门, 南门 ...
    min_volunteers = IntegerField(default=2)  # per shift
    parts = CharField(default="上午下午晚上")  # which parts of the day the post is kept
    sort_order = IntegerField(default=0)
    active = BooleanField(default=True)


class DutyShift(VersionedModel):
    date = DateField(index=True)
    part = CharField()  # 上午 / 下午 / 晚上: the cell of the week grid
    start_time = CharField()  # HH:MM
    end_time = CharField()
    minutes = IntegerField()  # end - start, kept on save so hours sum in SQL
    post = ForeignKeyField(GatePost, backref="shifts", on_delete="CASCADE")
    lead = CharField(default="")  # 带班: a staff member's name
    notes = TextField(default="")

    class Meta:
        indexes = ((("date", "part", "post"), True),)


class ShiftVolunteer(BaseModel):
    shift = ForeignKeyField(DutyShift, backref="volunteer_links", on_delete="CASCADE")
    volunteer = ForeignKeyField(Volunteer, backref="shift_links", on_delete="CASCADE")
    attended = BooleanField(null=True)  # 签到: None until the shift log is written

    class Meta:
        indexes = ((("shift", "volunteer"), True),)


class ShiftLog(BaseModel):
    shift = ForeignKeyField(DutyShift, unique=True, backref="logs", on_delete="CASCADE")
    people_checked = IntegerField(default=0)
    remarks = TextField(default="")
    logged_by = CharField(default="")
    logged_at = DateTimeField(default=now)


class GateEntry(BaseModel):
    """出入登记: a person entering at a post who is not a known resident."""
    post = ForeignKeyField(GatePost, null=True, on_delete="SET NULL")
    name = CharField()
    phone = CharField(default="")
    id_number = CharField(null=True)
    temperature = DecimalField(max_digits=4, decimal_places=1)
    fever = BooleanField(default=False, index=True)  # temperature >= 37.3
    time_in = DateTimeField(index=True)
    reason = CharField(default="")
    checked_by = CharField(default="")
    case_ref = CharField(default="")  # set when the quarantine tracker takes the entry up as a 自排 case


class TrainingSession(BaseModel):
    date = DateField(index=True)
    topic = CharField(index=True)
    trainer = CharField(default="")
    materials = TextField(default="")
    notes = TextField(default="")


class TrainingAttendee(BaseModel):
    session = ForeignKeyField(TrainingSession, backref="attendees", on_delete="CASCADE")
    staff_name = CharField()

    class Meta:
        indexes = ((("session", "staff_name"), True),)


class CommunityEvent(TimestampedModel):
    title = CharField()
    date = DateField(index=True)
    place = CharField(default="")
    community = ForeignKeyField(Community, null=True, on_delete="SET NULL")  # organising community
    leaflets = IntegerField(default=0)  # 份
    letters = IntegerField(default=0)  # 封
    residents_reached = IntegerField(default=0)
    notes = TextField(default="")
    photos = TextField(default="")  # one file path a line


class EventVolunteer(BaseModel):
    event = ForeignKeyField(CommunityEvent, backref="volunteer_links", on_delete="CASCADE")
    volunteer = ForeignKeyField(Volunteer, backref="event_links", on_delete="CASCADE")
    minutes = IntegerField(default=0)  # time served at the event

    class Meta:
        indexes = ((("event", "volunteer"), True),)


VOLUNTEER_MODELS = [VolunteerTeam, Volunteer, GatePost, DutyShift, ShiftVolunteer, ShiftLog, GateEntry,
                    TrainingSession, TrainingAttendee, CommunityEvent, EventVolunteer]
