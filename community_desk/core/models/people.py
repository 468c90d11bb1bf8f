"""People and places: Community, Building, Household, Resident and resident tags (人员类别)."""
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

GENDERS = vocabulary.GENDERS
RESIDENCE_STATUSES = vocabulary.RESIDENCE_STATUSES
CONTACT_PREFERENCES = vocabulary.CONTACT_PREFERENCES
DISABILITY_KINDS = vocabulary.DISABILITY_KINDS
RELATIONS = ("户主", "配偶", "子女", "父母", "祖父母", "孙子女", "兄弟姐妹", "其他")
BUILTIN_TAGS = ("老年人", "独居老人", "残疾人", "党员", "低保户", "特困人员", "退役军人", "重点关注")


class Community(BaseModel):
    name = CharField(unique=True)
    planned_households = IntegerField(default=0)
    sort_order = IntegerField(default=0)


class Building(BaseModel):
    community = ForeignKeyField(Community, backref="buildings", on_delete="CASCADE")
    name = CharField()
    floors = IntegerField(null=True)

    class Meta:
        indexes = ((("community", "name"), True),)


class Household(TimestampedModel):
    community = ForeignKeyField(Community, backref="households", on_delete="RESTRICT")
    number = CharField()  # 户号
    building = ForeignKeyField(Building, null=True, on_delete="SET NULL")
    unit = CharField(default="")
    room = CharField(default="")
    notes = TextField(default="")

    class Meta:
        indexes = ((("community", "number"), True),)


class Tag(BaseModel):
    name = CharField(unique=True)
    builtin = BooleanField(default=False)
    sort_order = IntegerField(default=100)


class Resident(VersionedModel, TimestampedModel):
    name = CharField(index=True)
    gender = CharField(default="")
    id_number = CharField(null=True, unique=True)
    birth_date = DateField(null=True, index=True)
    phone = CharField(default="", index=True)
    community = ForeignKeyField(Community, backref="residents", on_delete="RESTRICT")
    building = ForeignKeyField(Building, null=True, on_delete="SET NULL")
    unit = CharField(default="")
    room = CharField(default="")
    floor = IntegerField(null=True)
    address = CharField(default="", index=True)  # display text: 3号楼2单元501, or free text
    household = ForeignKeyField(Household, null=True, backref="members", on_delete="SET NULL")
    relation_to_head = CharField(default="")
    registered_address = CharField(default="")  # 户籍地
    same_as_registered = BooleanField(default=True)  # 人户一致
    residence_status = CharField(default="常住")
    contact_preference = CharField(default="电话")
    disability = CharField(default="")
    notes = TextField(default="")
    name_initials = CharField(default="", index=True)
    name_pinyin = CharField(default="", index=True)

    class Meta:
        indexes = ((("community", "name_pinyin"), False),)  # migration 2: one community's residents in name order


class ResidentTag(BaseModel):
    resident = ForeignKeyField(Resident, backref="tag_links", on_delete="CASCADE")
    tag = ForeignKeyField(Tag, backref="resident_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("resident", "tag"), True),)


class ResidentSearch(BaseModel):
    """Lower-case search keys of one resident (name, pinyin, ID, phone, address) in a narrow table,
    so that a fragment search scans a few MB instead of the whole resident table."""
    resident = ForeignKeyField(Resident, primary_key=True, on_delete="CASCADE")
    text = TextField()
    sort_key = TextField(default="")  # the resident's full pinyin: name order without touching the resident table
