"""Quarantine tracker (隔离管控台账): cases, push batches, nucleic-acid tests, follow-ups, special needs.

A QuarantineCase links to a Resident when the person is in the registry (matched by ID number);
otherwise it keeps its own name / ID / phone / address. The value lists (措施, 状态 ...) live in
core.rules.quarantine.
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

from .. import vocabulary
from .base import BaseModel, TimestampedModel, VersionedModel, now
from .people import Building, Community, Resident


class PushBatch(BaseModel):
    """One dispatched list (市派台账) as it was imported."""
    push_date = DateField(index=True)
    sender = CharField(default="")  # 推送单位
    file_name = CharField(default="")
    imported_at = DateTimeField(default=now)
    imported_by = CharField(default="")
    row_count = IntegerField(default=0)
    content_hash = CharField(default="", index=True)  # sha256 of the file's bytes: the same file imported twice
    sheets = CharField(default="")  # the worksheets read, 、-separated
    new_count = IntegerField(default=0)
    updated_count = IntegerField(default=0)
    unchanged_count = IntegerField(default=0)
    rejected_count = IntegerField(default=0)  # 未导入 + 文件内重复 + 非本社区
    conflict_count = IntegerField(default=0)
    hidden_rows = IntegerField(default=0)


class PushRejected(BaseModel):
    """A row of a push that was not imported, kept to be seen again and sent back to the town."""
    batch = ForeignKeyField(PushBatch, backref="rejected", on_delete="CASCADE")
    kind = CharField(default="未导入")  # 未导入 / 文件内重复 / 非本社区
    sheet = CharField(default="")
    row = IntegerField()  # Excel row number
    name = CharField(default="")
    id_number = CharField(default="")
    reason = TextField(default="")


class QuarantineCase(VersionedModel, TimestampedModel):
    resident = ForeignKeyField(Resident, null=True, backref="quarantine_cases", on_delete="SET NULL")
    name = CharField()
    gender = CharField(default="")
    id_number = CharField(null=True, index=True)
    phone = CharField(default="")
    address = CharField(default="")
    community = ForeignKeyField(Community, null=True, on_delete="SET NULL")
    building = ForeignKeyField(Building, null=True, on_delete="SET NULL")
    source = CharField(default="自排", index=True)  # 市派 / 自排
    push_batch = ForeignKeyField(PushBatch, null=True, backref="cases", on_delete="SET NULL")
    push_row = IntegerField(null=True)  # Excel row number in the dispatched file
    found_by = CharField(default="")  # 自排: who found the person
    found_how = CharField(default="")  # 自排: how
    classification = CharField(default="", index=True)  # 人员分类
    origin = CharField(default="")  # 出发地
    arrival_date = DateField(null=True)  # 返京日期
    transport = CharField(default="")
    measure = CharField(default="居家隔离", index=True)  # 管控措施
    start_date = DateField(index=True)
    planned_end = DateField(index=True)
    previous_end = DateField(null=True)  # before the last 延长 / 缩短
    end_change_reason = CharField(default="")
    status = CharField(default=vocabulary.CASE_UNDER_CONTROL, index=True)  # vocabulary.CASE_STATUSES
    verbal_notice_date = DateField(null=True)  # 口头通知
    written_notice_date = DateField(null=True)  # 书面通知
    home_possible = BooleanField(null=True)  # 具备居家隔离条件
    home_comment = CharField(default="")
    supplies_ok = BooleanField(null=True)  # 生活物资保障
    supplies_comment = CharField(default="")
    release_date = DateField(null=True, index=True)
    release_kind = CharField(default="")  # 期满解除 / 提前解除 / 转集中隔离 / 转出 / 失联
    release_approved_by = CharField(default="")
    release_reason = CharField(default="")
    follow_up_worker = CharField(default="")  # 健康监测责任人
    notes = TextField(default="")
    search_text = TextField(default="")
    anonymised_at = DateTimeField(null=True, index=True)  # personal data removed after the retention period
    positive_date = DateField(null=True, index=True)  # sampling date of the positive result (阳性待转运)
    transfer_date = DateField(null=True)  # 转运日期
    transfer_site = CharField(default="")  # 集中隔离地点 (the receiving site)
    contact_of = IntegerField(null=True, index=True)  # a household contact's case: the positive case it came from


class CaseFieldSource(BaseModel):
    """Which push last wrote a field of a case (a staff edit is found in the audit log)."""
    # no index of their own, as migration 14 made the table: (case, field) below serves the case's look-ups
    case = ForeignKeyField(QuarantineCase, backref="field_sources", on_delete="CASCADE", index=False)
    field = CharField()
    batch = ForeignKeyField(PushBatch, on_delete="CASCADE", index=False)

    class Meta:
        indexes = ((("case", "field"), True),)


class NucleicTest(BaseModel):
    case = ForeignKeyField(QuarantineCase, backref="tests", on_delete="CASCADE")
    day_no = IntegerField()  # day of the case the test was planned for (1 = start date)
    planned_date = DateField(index=True)
    sampling_date = DateField(null=True, index=True)
    institution = CharField(default="长阳卫生院")
    result = CharField(default=vocabulary.RESULT_PENDING, index=True)  # vocabulary.RESULTS
    result_date = DateField(null=True)
    brought_forward = BooleanField(default=False)  # 提前检测
    notes = CharField(default="")


class FollowUp(BaseModel):
    case = ForeignKeyField(QuarantineCase, backref="follow_ups", on_delete="CASCADE")
    day_no = IntegerField()
    date = DateField(index=True)
    status = CharField(default="未执行", index=True)  # 正常 / 异常 / 未联系上 / 未执行
    temperature = DecimalField(max_digits=4, decimal_places=1, null=True, auto_round=True)
    symptoms = CharField(default="")
    method = CharField(default="")  # 电话 / 上门
    by_whom = CharField(default="")

    class Meta:
        indexes = ((("case", "day_no"), True),)


class SpecialNeed(TimestampedModel):
    case = ForeignKeyField(QuarantineCase, backref="needs", on_delete="CASCADE")
    kind = CharField(default="其他")  # 就医 / 取药 / 生活物资 / 其他
    content = CharField(default="")
    need_date = DateField(null=True, index=True)
    handler = CharField(default="")
    status = CharField(default="待办", index=True)  # 待办 / 处理中 / 已办结
    outcome = CharField(default="")


QUARANTINE_MODELS = [PushBatch, PushRejected, QuarantineCase, CaseFieldSource, NucleicTest, FollowUp, SpecialNeed]
