"""社区工作台 Community Desk."""
from .core.dialect import keep_peewee_from_drivers

__version__ = "0.1.0"

keep_peewee_from_drivers()  # SQLite mode never loads psycopg (core/dialect.py)
