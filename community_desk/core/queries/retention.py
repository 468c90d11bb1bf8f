"""Retention of epidemic-control records (保存期满匿名化).

Personal health data is kept for a purpose. Cases released (or transferred out) longer ago than the
retention period can be anonymised in one reviewed action: the name is reduced to the surname
(王某), ID number and phone are removed, the address is reduced to the building, notes, symptoms and
special-need details are cleared, and the audit entries of those cases lose the old values they
carried. Dates, classification, measure, test results and statuses stay, so the counts that
statistics need are unchanged. The database is backed up first, and the action itself is logged.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import session, vocabulary
from ..db import database_path, transaction
from ..models import AuditLog, Building, FollowUp, NucleicTest, QuarantineCase, SpecialNeed
from . import audit
from . import settings as office_settings

DEFAULT_RETENTION_DAYS = 180
CLOSED = (vocabulary.CASE_RELEASED, vocabulary.CASE_TRANSFERRED)
TABLE = "quarantine_case"


@dataclass(frozen=True)
class Candidate:
    case_id: int
    name: str
    release_date: dt.date
    status: str


def retention_days() -> int:
    return int(office_settings.get("retention_days", DEFAULT_RETENTION_DAYS) or DEFAULT_RETENTION_DAYS)


def candidates(today: dt.date | None = None, days: int | None = None) -> list[Candidate]:
    """Closed cases released before today - days and not yet anonymised, oldest first."""
    today = today or dt.date.today()
    cutoff = today - dt.timedelta(days=retention_days() if days is None else days)
    query = (QuarantineCase.select(QuarantineCase.id, QuarantineCase.name, QuarantineCase.release_date,
                                   QuarantineCase.status)
             .where(QuarantineCase.status.in_(CLOSED) & QuarantineCase.release_date.is_null(False)
                    & (QuarantineCase.release_date < cutoff) & QuarantineCase.anonymised_at.is_null())
             .order_by(QuarantineCase.release_date, QuarantineCase.id))
    return [Candidate(c.id, c.name, c.release_date, c.status) for c in query]


def reduced_name(name: str) -> str:
    return (name[:1] + "某") if name else "某"


def anonymise(case_ids: list[int], *, backup: bool = True, today: dt.date | None = None) -> int:
    """Anonymise the given cases (the reviewed list) that are still past the retention period.

    Administrators only. An open case, or one released within the period, is never touched. Returns how many."""
    if session.current.role != vocabulary.ROLE_ADMIN:
        raise session.PermissionDenied("只有管理员可以执行匿名化")
    wanted = {c.case_id for c in candidates(today=today)} & set(case_ids)
    if not wanted:
        return 0
    if backup:
        from ..startup import backup_now

        backup_now(database_path(), "anonymise")
    now = dt.datetime.now().replace(microsecond=0)
    ids = sorted(wanted)
    with transaction():
        for case in QuarantineCase.select().where(QuarantineCase.id.in_(ids)):
            building = Building.get_or_none(Building.id == case.building_id) if case.building_id else None
            short = reduced_name(case.name)
            QuarantineCase.update(
                name=short, id_number=None, phone="", address=building.name if building else "", resident=None,
                notes="", home_comment="", supplies_comment="", release_reason="", search_text=short.lower(),
                anonymised_at=now, updated_at=now,
            ).where(QuarantineCase.id == case.id).execute()
        FollowUp.update(symptoms="").where(FollowUp.case.in_(ids)).execute()
        NucleicTest.update(notes="").where(NucleicTest.case.in_(ids)).execute()
        SpecialNeed.update(content="（已匿名化）", outcome="").where(SpecialNeed.case.in_(ids)).execute()
        AuditLog.update(summary="（已匿名化）", changes="{}").where(
            (AuditLog.table == TABLE) & AuditLog.record_id.in_(ids)).execute()
        audit.record("匿名化", TABLE, None, f"保存期满匿名化 {len(ids)} 条已解除的隔离记录（保存期 {retention_days()} 天）")
    return len(ids)
