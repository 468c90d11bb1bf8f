"""Peewee models, one module per domain, all bound to the one database of core.db."""
from .accounts import StaffAccount
from .audit import AuditLog
from .base import BaseModel, db_proxy
from .cleaning import CLEANING_MODELS, RoundMember, RoundTeam, ServiceRound, ServiceTeam, Survey, Visit
from .facilities import Facility, FacilityEvent, FacilityKind, FacilityPhoto
from .links import LINK_MODELS, TeamVolunteer
from .people import Building, Community, Household, Resident, ResidentSearch, ResidentTag, Tag
from .quarantine import (
    CaseFieldSource,
    FollowUp,
    NucleicTest,
    PushBatch,
    PushRejected,
    QuarantineCase,
    SpecialNeed,
)
from .service_desk import RequestCategory, ServiceRequest
from .settings import Setting
from .volunteers import (
    CommunityEvent,
    DutyShift,
    EventVolunteer,
    GateEntry,
    GatePost,
    ShiftLog,
    ShiftVolunteer,
    TrainingAttendee,
    TrainingSession,
    Volunteer,
    VolunteerTeam,
)

FOUNDATION_MODELS = [Community, Building, Household, Tag, Resident, ResidentSearch, ResidentTag, Setting, AuditLog,
                     StaffAccount]
FACILITY_MODELS = [FacilityKind, Facility, FacilityEvent, FacilityPhoto, RequestCategory, ServiceRequest]

__all__ = [
    "AuditLog", "BaseModel", "Building", "CaseFieldSource", "PushRejected", "Community", "CommunityEvent", "DutyShift", "EventVolunteer",
    "FACILITY_MODELS", "FOUNDATION_MODELS", "Facility", "FacilityEvent", "FacilityKind", "FacilityPhoto", "FollowUp",
    "GateEntry", "GatePost", "Household", "NucleicTest", "PushBatch", "QuarantineCase", "RequestCategory", "Resident",
    "ResidentSearch", "ResidentTag", "ServiceRequest", "Setting", "ShiftLog", "ShiftVolunteer", "SpecialNeed",
    "StaffAccount", "Tag", "TrainingAttendee", "TrainingSession", "Volunteer", "VolunteerTeam", "db_proxy",
    "CLEANING_MODELS", "RoundMember", "RoundTeam", "ServiceRound", "ServiceTeam", "Survey", "Visit",
    "LINK_MODELS", "TeamVolunteer",
]
