"""Retention of epidemic-control records (保存期满匿名化).

Personal health data is kept for a purpose. Cases released (or transferred out) longer ago than the
retention period can be anonymised in one reviewed action: the name is reduced to the surname
(王某), ID number and phone are removed, the address is reduced to the building, notes, symptoms and
special-need details are cleared, and the audit entries of those cases lose the old values they
carried. Dates, classification, measure, test results and statuses stay, so the counts that
statistics need are unchanged. The database is backed up first, and the action itself is logged.

Gate entries (出入登记: temperature, fever, ID number) are health data too, kept for the same period
under the same setting: the same action reduces entries older than the period to the surname, removes
ID number, phone and 事由, and clears their audit lines; time, post, temperature and fever stay, so the
day counts are unchanged. An entry so reduced is no longer a candidate (it needs no marker column).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from .. import session, vocabulary
from ..db import database_path, transaction
from ..models import AuditLog, Building, FollowUp, GateEntry, NucleicTest, QuarantineCase, SpecialNeed
from ..rules.text import ValidationError
from . import audit
from . import settings as office_settings

DEFAULT_RETENTION_DAYS = 180
CLOSED = vocabulary.CASE_CLOSED_STATUSES
TABLE = "quarantine_case"
GATE_TABLE = "gate_entry"


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
    cutoff = _cutoff(today, days)
    query = (QuarantineCase.select(QuarantineCase.id, QuarantineCase.name, QuarantineCase.release_date,
                                   QuarantineCase.status)
             .where(QuarantineCase.status.in_(CLOSED) & QuarantineCase.release_date.is_null(False)
                    & (QuarantineCase.release_date < cutoff) & QuarantineCase.anonymised_at.is_null())
             .order_by(QuarantineCase.release_date, QuarantineCase.id))
    return [Candidate(c.id, c.name, c.release_date, c.status) for c in query]


def _cutoff(today: dt.date | None, days: int | None) -> dt.date:
    return (today or dt.date.today()) - dt.timedelta(days=retention_days() if days is None else days)


def _gate_personal(cutoff: dt.datetime):
    """Gate entries before cutoff that still carry a person: a full name, an ID number, a phone or a 事由."""
    reduced = fn.SUBSTR(GateEntry.name, 1, 1).concat("某")
    return (GateEntry.time_in < cutoff) & (GateEntry.id_number.is_null(False) | (GateEntry.phone != "")
                                           | (GateEntry.reason != "") | ((GateEntry.name != reduced) & (GateEntry.name != "某")))


def gate_candidates(today: dt.date | None = None, days: int | None = None) -> list[int]:
    """Ids of gate entries made before today - days that still carry personal data, oldest first."""
    cutoff = dt.datetime.combine(_cutoff(today, days), dt.time.min)
    query = GateEntry.select(GateEntry.id).where(_gate_personal(cutoff)).order_by(GateEntry.time_in, GateEntry.id)
    return [r[0] for r in query.tuples()]


def reduced_name(name: str) -> str:
    return (name[:1] + "某") if name else "某"


def set_retention_days(days: int) -> int:
    """The retention period (天), administrators only; audited by office_settings."""
    _require_admin()
    days = int(days)
    if not 30 <= days <= 3650:
        raise ValidationError("保存期应在 30 至 3650 天之间")
    office_settings.put("retention_days", days)
    return days


def _require_admin() -> None:
    if session.current.role != vocabulary.ROLE_ADMIN:
        raise session.PermissionDenied("只有管理员可以执行匿名化")


def anonymise(case_ids: list[int], *, backup: bool = True, today: dt.date | None = None,
              days: int | None = None) -> int:
    """Anonymise the given cases (the reviewed list) that are still past the retention period, and with them
    every gate entry older than the period. `days` first stores a new period (the dialog's).

    Administrators only. An open case, or one released within the period, is never touched. Returns how many
    cases; gate_candidates() before the call tells how many gate entries."""
    _require_admin()
    if days is not None:
        set_retention_days(days)
    wanted = {c.case_id for c in candidates(today=today)} & set(case_ids)
    gate_ids = gate_candidates(today=today)
    if not wanted and not gate_ids:
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
        if ids:
            FollowUp.update(symptoms="").where(FollowUp.case.in_(ids)).execute()
            NucleicTest.update(notes="").where(NucleicTest.case.in_(ids)).execute()
            SpecialNeed.update(content="（已匿名化）", outcome="").where(SpecialNeed.case.in_(ids)).execute()
            AuditLog.update(summary="（已匿名化）", changes="{}").where(
                (AuditLog.table == TABLE) & AuditLog.record_id.in_(ids)).execute()
            audit.record("匿名化", TABLE, None,
                         f"保存期满匿名化 {len(ids)} 条已解除的隔离记录（保存期 {retention_days()} 天）")
        if gate_ids:
            _anonymise_gate_entries(gate_ids)
    return len(ids)


def _anonymise_gate_entries(ids: list[int]) -> None:
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        by_name: dict[str, list[int]] = {}
        for entry_id, name in GateEntry.select(GateEntry.id, GateEntry.name).where(GateEntry.id.in_(chunk)).tuples():
            by_name.setdefault(reduced_name(name), []).append(entry_id)
        for short, entry_ids in by_name.items():
            GateEntry.update(name=short, id_number=None, phone="", reason="").where(
                GateEntry.id.in_(entry_ids)).execute()
        AuditLog.update(summary="（已匿名化）", changes="{}").where(
            (AuditLog.table == GATE_TABLE) & AuditLog.record_id.in_(chunk)).execute()
    audit.record("匿名化", "gate_entry", None,
                 f"保存期满匿名化 {len(ids)} 条出入登记（体温、身份证号等；保存期 {retention_days()} 天）")
