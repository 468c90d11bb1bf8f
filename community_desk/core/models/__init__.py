"""Peewee models, one module per domain, all bound to the one database of core.db."""
from .audit import AuditLog
from .base import BaseModel, db_proxy
from .people import Building, Community, Household, Resident, ResidentSearch, ResidentTag, Tag
from .quarantine import FollowUp, NucleicTest, PushBatch, QuarantineCase, SpecialNeed
from .settings import Setting

FOUNDATION_MODELS = [Community, Building, Household, Tag, Resident, ResidentSearch, ResidentTag, Setting, AuditLog]

__all__ = [
    "AuditLog", "BaseModel", "Building", "Community", "FOUNDATION_MODELS", "Household",
    "FollowUp", "NucleicTest", "PushBatch", "QuarantineCase", "SpecialNeed",
    "Resident", "ResidentSearch", "ResidentTag", "Setting", "Tag", "db_proxy",
]
