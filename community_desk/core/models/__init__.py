"""Peewee models, one module per domain, all bound to the one database of core.db."""
from .accounts import StaffAccount
from .audit import AuditLog
from .base import BaseModel, db_proxy
from .people import Building, Community, Household, Resident, ResidentSearch, ResidentTag, Tag
from .settings import Setting

FOUNDATION_MODELS = [Community, Building, Household, Tag, Resident, ResidentSearch, ResidentTag, Setting, AuditLog, StaffAccount]

__all__ = [
    "AuditLog", "BaseModel", "Building", "Community", "FOUNDATION_MODELS", "Household",
    "Resident", "ResidentSearch", "ResidentTag", "Setting", "StaffAccount", "Tag", "db_proxy",
]
