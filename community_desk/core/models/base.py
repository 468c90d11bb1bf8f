"""The BaseModel every table derives from, bound to a proxy that core.db initialises."""
from __future__ import annotations

import datetime as dt

from peewee import DatabaseProxy, DateTimeField, Model

db_proxy = DatabaseProxy()


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class BaseModel(Model):
    class Meta:
        database = db_proxy
        legacy_table_names = False


class TimestampedModel(BaseModel):
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)
