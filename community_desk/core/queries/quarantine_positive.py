"""A positive result and what follows it (阳性处置): the case becomes 阳性待转运 (quarantine_items.record_result
does that for every way a 阳性 is recorded), leaves every release list, and stays on 今日 and the home
screen until the transfer to a central quarantine site is recorded (已转运); its registered household
members are offered as close contacts (密切接触者) to add as new cases; and a positive is corrected only
by a 管理员 with a reason. Everything is audited under the case.
"""
from __future__ import annotations

import datetime as dt

from .. import session, vocabulary
from ..db import transaction
from ..models import FollowUp, NucleicTest, QuarantineCase, Resident
from ..rules import quarantine as rules
from ..rules.masking import mask_id
from ..rules.resident import FormErrors
from ..rules.text import ValidationError, clean_text
from . import audit
from . import quarantine as cases
from . import quarantine_items as items
from . import settings as office_settings

TABLE = cases.TABLE


def record_positive(test_id: int, sampling_date: dt.date, result_date: dt.date | None = None) -> int:
    """Record 阳性 for a test with the day it was sampled; returns the case id (now 阳性待转运)."""
    items.record_result(test_id, vocabulary.RESULT_POSITIVE, sampling_date=sampling_date, result_date=result_date)
    return NucleicTest.get_by_id(test_id).case_id


def positive_cases() -> list[dict]:
    """The cases awaiting transfer, first positive first."""
    q = QuarantineCase
    rows = q.select().where(q.status == vocabulary.CASE_POSITIVE).order_by(q.positive_date, q.id)
    return [{"id": c.id, "name": c.name, "address": c.address, "positive_date": c.positive_date} for c in rows]


def record_transfer(case_id: int, transfer_date: dt.date, site: str) -> None:
    """登记转运: 阳性待转运 -> 已转运, with the date and the receiving site (集中隔离地点). The case leaves the
    office's care that day: its later tests and follow-ups go, as on a release."""
    session.require_write()
    place = clean_text(site, max_length=60, field_label="集中隔离地点")
    with transaction():
        case = QuarantineCase.get_by_id(case_id)
        status = rules.check_transfer(case.status, transfer_date, place, case.positive_date)
        QuarantineCase.update(status=status, transfer_date=transfer_date, transfer_site=place,
                              release_date=transfer_date, release_kind=vocabulary.RELEASE_POSITIVE,
                              release_reason=f"转运至{place}",
                              updated_at=dt.datetime.now().replace(microsecond=0)).where(
            QuarantineCase.id == case_id).execute()
        FollowUp.delete().where((FollowUp.case == case_id) & (FollowUp.date > transfer_date)
                                & (FollowUp.status == "未执行")).execute()
        NucleicTest.delete().where((NucleicTest.case == case_id) & NucleicTest.sampling_date.is_null()
                                   & (NucleicTest.planned_date > transfer_date)).execute()
        audit.record("转运", TABLE, case_id, f"{case.name} 阳性转运（{transfer_date:%Y-%m-%d}）至 {place}",
                     {"status": (case.status, status), "transfer_date": (None, transfer_date),
                      "transfer_site": ("", place)})


def correct_positive(test_id: int, new_result: str, reason: str) -> None:
    """更正阳性结果: only a 管理员 (PermissionDenied otherwise), only with a reason. A case awaiting transfer
    with no other positive goes back to 管控中; the correction and its reason are in the change history."""
    if session.current.role != vocabulary.ROLE_ADMIN:
        raise session.PermissionDenied("只有管理员可以更正阳性结果")
    rules.check_correction(session.current.role, reason, new_result)
    with transaction():
        test = NucleicTest.get_by_id(test_id)
        if test.result != vocabulary.RESULT_POSITIVE:
            raise ValidationError("该次检测不是阳性，无需更正")
        NucleicTest.update(result=new_result,
                           result_date=test.result_date if new_result != vocabulary.RESULT_PENDING else None).where(
            NucleicTest.id == test_id).execute()
        case = QuarantineCase.get_by_id(test.case_id)
        changes = {"result": (test.result, new_result)}
        others = NucleicTest.select().where((NucleicTest.case == case.id) & (NucleicTest.id != test_id)
                                            & (NucleicTest.result == vocabulary.RESULT_POSITIVE)).count()
        if case.status == vocabulary.CASE_POSITIVE and not others:
            QuarantineCase.update(status=vocabulary.CASE_UNDER_CONTROL, positive_date=None).where(
                QuarantineCase.id == case.id).execute()
            changes.update(status=(case.status, vocabulary.CASE_UNDER_CONTROL), positive_date=(case.positive_date, None))
        audit.record("更正阳性", TABLE, case.id, f"{case.name} 第{test.day_no}天核酸 阳性 更正为 {new_result}，"
                     f"原因：{reason.strip()}", changes)


# --- household contacts (同户密接) -------------------------------------------------------------
def household_candidates(case_id: int) -> list[dict]:
    """The registered members of the positive's household (same 户 in the registry), each with the case it
    already has (added from this positive, or any case still open), so that the list says who is done."""
    case = QuarantineCase.get_by_id(case_id)
    if not case.resident_id:
        return []
    person = Resident.get_by_id(case.resident_id)
    if not person.household_id:
        return []
    full = office_settings.full_ids_shown()
    out = []
    members = Resident.select().where((Resident.household == person.household_id) & (Resident.id != person.id))
    for r in members.order_by(Resident.id):
        existing = (QuarantineCase.select(QuarantineCase.id, QuarantineCase.status)
                    .where((QuarantineCase.resident == r.id)
                           & ((QuarantineCase.contact_of == case_id)
                              | QuarantineCase.status.in_(rules.OPEN_STATUSES + (vocabulary.CASE_POSITIVE,))))
                    .order_by(QuarantineCase.id.desc()).first())
        out.append({"resident_id": r.id, "name": r.name, "relation": r.relation_to_head, "gender": r.gender,
                    "id_number": (r.id_number or "") if full else mask_id(r.id_number or ""), "phone": r.phone,
                    "case_id": existing.id if existing else None, "case_status": existing.status if existing else ""})
    return out


def add_close_contact(case_id: int, resident_id: int, today: dt.date | None = None) -> int:
    """Register a household member of the positive as a new case (人员分类 密切接触者, 自排, from today);
    returns the new case's id. Refused if the person has a case already open."""
    session.require_write()
    today = today or dt.date.today()
    positive = QuarantineCase.get_by_id(case_id)
    member = Resident.get_by_id(resident_id)
    if not any(c["resident_id"] == resident_id for c in household_candidates(case_id)):
        raise ValidationError(f"{member.name} 不是 {positive.name} 的同户成员")
    with transaction():
        try:
            new_id = cases.create_case({
                "name": member.name, "gender": member.gender, "id_number": member.id_number or "",
                "phone": member.phone, "address": member.address or positive.address,
                "community_id": member.community_id, "building": member.building.name if member.building_id else "",
                "source": "自排", "found_by": session.current.user, "found_how": f"{positive.name}（阳性）同户成员",
                "classification": vocabulary.CLOSE_CONTACT, "measure": "集中隔离", "start_date": today.isoformat(),
                "notes": f"[{today:%Y-%m-%d}] 同户阳性 {positive.name} 的密切接触者",
            }, today=today)
        except FormErrors as exc:
            raise ValidationError(f"{member.name}：{exc}") from None
        QuarantineCase.update(contact_of=case_id, resident=resident_id).where(QuarantineCase.id == new_id).execute()
        audit.record("密接登记", TABLE, case_id, f"{positive.name} 的同户成员 {member.name} 登记为密切接触者")
    return new_id
