"""Staff accounts (工作人员): who logs in, with which role. Passwords only as salted scrypt hashes."""
from peewee import BooleanField, CharField, DateTimeField, IntegerField

from .base import TimestampedModel


class StaffAccount(TimestampedModel):
    username = CharField(unique=True)
    display_name = CharField()
    role = CharField(default="工作人员")  # 管理员 / 工作人员 / 只读
    password_hash = CharField()
    failed_attempts = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    active = BooleanField(default=True)
    last_login = DateTimeField(null=True)
