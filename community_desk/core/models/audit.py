"""Audit log (操作日志): who changed which record, when, and which fields from what to what.

The table and field names are the code's; core.queries.audit shows them in the glossary's words
(core.vocabulary), and writes no line for a change that changes nothing.
"""
from peewee import CharField, DateTimeField, IntegerField, TextField

from .base import BaseModel, now


class AuditLog(BaseModel):
    at = DateTimeField(default=now, index=True)
    user = CharField(default="")
    action = CharField()  # 新增 / 修改 / 删除 / 导出 / 导入 ...
    table = CharField(index=True)
    record_id = IntegerField(null=True, index=True)
    summary = CharField(default="")
    changes = TextField(default="")  # JSON {field: [old, new]}, only fields whose value changed
