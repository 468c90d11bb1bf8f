"""Settings that travel with the database (office name, reporter, periods ...), as JSON values."""
from peewee import CharField, TextField

from .base import BaseModel


class Setting(BaseModel):
    key = CharField(primary_key=True)
    value = TextField()  # JSON
