"""The BaseModel every table derives from, bound to a proxy that core.db initialises."""
from __future__ import annotations

import datetime as dt

from peewee import DatabaseProxy, DateTimeField, IntegerField, Model

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


class VersionedModel(BaseModel):
    """A table edited in a form (issue 18): `version` counts the record's changes. Every UPDATE of such a table moves
    it on by one, wherever it is written (a form, 派单, an import), unless the statement sets it itself: a form's
    save checks that it is still the version the form loaded (core/queries/record_versions.py)."""
    version = IntegerField(default=1)

    @classmethod
    def update(cls, __data=None, **update):
        data = cls._normalize_data(__data, update)
        if isinstance(data, dict) and cls.version not in data:
            data[cls.version] = cls.version + 1
        return super().update(data)
