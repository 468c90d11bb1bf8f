"""Staff accounts (工作人员): who logs in, with which role. Passwords only as salted scrypt hashes."""
from peewee import BooleanField, CharField, DateTimeField, IntegerField

from .. import vocabulary
from .base import TimestampedModel


class StaffAccount(TimestampedModel):
    username = CharField(unique=True)
    display_name = CharField()
    role = CharField(default=vocabulary.ROLE_STAFF)  # vocabulary.ROLES
    password_hash = CharField()
    failed_attempts = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    active = BooleanField(default=True)
    last_login = DateTimeField(null=True)
