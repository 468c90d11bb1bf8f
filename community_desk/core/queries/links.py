"""Glue between modules built apart, where the link belongs to neither side.

1. Gate fever → quarantine: a gate entry at 37.3 ℃ or more (gate.fever_entries) becomes a new 自排
   case (quarantine.create_case) and the entry is marked taken up (gate.mark_taken_up), in one
   transaction, so it is offered only once.
2. Window cleaning ↔ volunteers: a service team names volunteers as members (table team_volunteer;
   the text `ServiceTeam.members` stays for staff), and the hour source "擦玻璃服务" gives those
   volunteers the hours of the team's done visits (rule in core.rules.links.VISIT_HOURS_RULE).
3. A problem found on a cleaning visit becomes a 我来办 request (service_desk.take_in); the visit keeps
   the request number (visit.request_number), so it is made only once.

core.queries.volunteers imports this module at its end, so the hour source is registered wherever
volunteer hours are read.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .. import session
from ..db import transaction
from ..dialect import locked
from ..models import GateEntry, RequestCategory, ServiceTeam, TeamVolunteer, Visit, Volunteer, db_proxy
from ..rules import links as rules
from ..rules.resident import FormErrors
from ..rules.text import ValidationError
from . import audit, cleaning, gate, quarantine, record_versions, service_desk, volunteers

# --- 1. gate fever -> 自排 case -----------------------------------------------------------------


def untaken_fever_entries() -> list[dict]:
    """Fever entries not yet made a case, newest first (gate.fever_entries)."""
    return gate.fever_entries()


def untaken_fever_count() -> int:
    return GateEntry.select().where((GateEntry.fever == True) & (GateEntry.case_ref == "")).count()  # noqa: E712


def fever_entry(entry_id: int) -> dict | None:
    """The entry as gate.fever_entries gives it (taken up or not), or None when it is not a fever entry."""
    return next((e for e in gate.fever_entries(include_taken_up=True) if e["id"] == entry_id), None)


def fever_to_case(entry_id: int, *, measure: str | None = None, today: dt.date | None = None) -> int:
    """Make a 自排 case (待核实) from a fever entry and mark the entry taken up; returns the case id.

    Raises ValidationError when the entry is not a fever entry, is already taken up, or the case is
    refused (e.g. the person already has an open case)."""
    session.require_write()
    entry = fever_entry(entry_id)
    if entry is None:
        raise ValidationError("该登记体温正常，不需转为隔离")
    if entry["case_ref"]:
        raise ValidationError(f"{entry['name']} 已转为{entry['case_ref']}")
    raw = rules.fever_case_raw(entry)
    if measure:
        raw["measure"] = measure
    with transaction():
        # the entry locked and read again: two PCs turning the same entry into a case, the second is refused
        taken = locked(GateEntry.select(GateEntry.case_ref).where(GateEntry.id == entry_id)).get()
        if taken.case_ref:
            raise ValidationError(f"{entry['name']} 已转为{taken.case_ref}")
        try:
            case_id = quarantine.create_case(raw, today=today)
        except FormErrors as exc:
            raise ValidationError("未转为自排隔离：" + "；".join(exc.errors.values())) from exc
        gate.mark_taken_up(entry_id, rules.case_ref(case_id))
    return case_id


# --- 2. service team volunteers and their hours -----------------------------------------------


def team_volunteers(team_id: int) -> list[tuple[int, str]]:
    """(volunteer id, name) of the volunteer members of a team, in pinyin order."""
    query = (Volunteer.select(Volunteer.id, Volunteer.name).join(TeamVolunteer)
             .where(TeamVolunteer.team == team_id).order_by(Volunteer.name_pinyin, Volunteer.id))
    return [(v.id, v.name) for v in query]


def team_volunteer_names() -> dict[int, list[str]]:
    """{team id: [volunteer names]} of every team, for the team list."""
    out: dict[int, list[str]] = {}
    for team_id, name in db_proxy.execute_sql(
            "SELECT tv.team_id, v.name FROM team_volunteer tv JOIN volunteer v ON v.id = tv.volunteer_id "
            "ORDER BY tv.team_id, v.name_pinyin, v.id"):
        out.setdefault(team_id, []).append(name)
    return out


def team_form(team_id: int) -> dict:
    """What the team form edits, as it loads it: the team, its volunteer members and its version (record_versions)."""
    version = ServiceTeam.get_by_id(team_id).version  # read first: the values are no older than it
    return {**cleaning.get_team(team_id), "volunteer_ids": sorted(vid for vid, _n in team_volunteers(team_id)),
            "version": version}


def set_team_volunteers(team_id: int, volunteer_ids: list[int]) -> None:
    """Replace the volunteer members of a team (the audit log gets who joined and who left)."""
    session.require_write()
    wanted = list(dict.fromkeys(int(v) for v in volunteer_ids))
    with transaction():
        team = locked(ServiceTeam.select().where(ServiceTeam.id == team_id)).get()  # one writer of its members
        known = {v.id for v in Volunteer.select(Volunteer.id).where(Volunteer.id.in_(wanted))} if wanted else set()
        missing = [v for v in wanted if v not in known]
        if missing:
            raise ValidationError("所选志愿者已不在志愿者名册中，请重新选择")
        old = {vid for vid, _n in team_volunteers(team_id)}
        new = set(wanted)
        if old == new:
            return
        TeamVolunteer.delete().where((TeamVolunteer.team == team_id)
                                     & TeamVolunteer.volunteer.not_in(list(new) or [0])).execute()
        for vid in wanted:
            if vid not in old:
                TeamVolunteer.create(team=team_id, volunteer=vid)
        ServiceTeam.update().where(ServiceTeam.id == team_id).execute()  # its members are part of it: the version moves
        names = volunteers.names(list(old | new))
        joined = "、".join(names[v] for v in wanted if v not in old)
        left = "、".join(names[v] for v in sorted(old - new) if v in names)
        summary = f"服务队 {team.name} 志愿者" + (f"，加入：{joined}" if joined else "") + (f"，退出：{left}" if left else "")
        audit.record("修改", "service_team", team_id, summary,
                     {"volunteers": ("、".join(names.get(v, "") for v in sorted(old)),
                                     "、".join(names[v] for v in wanted))})


def save_team(raw: dict, team_id: int | None, volunteer_ids: list[int], loaded: dict | None = None) -> int:
    """Save the team form and its volunteer members in one transaction; returns the team id. `loaded`: the
    team_form the form was filled from; the members merge as the fields do (record_versions). Raises EditConflict."""
    session.require_write()
    with transaction():
        if team_id is not None:
            edit = record_versions.begin(ServiceTeam, "service_team", team_id,
                                         {**raw, "volunteer_ids": sorted(volunteer_ids)}, loaded, team_form)
            raw, volunteer_ids = edit.raw, edit.raw["volunteer_ids"]
            loaded = {**edit.theirs, "version": edit.version}
        team_id = cleaning.save_team(raw, team_id, loaded=loaded)
        set_team_volunteers(team_id, volunteer_ids)
    return team_id


def cleaning_hours(ids: list[int]) -> dict[int, Decimal]:
    """Hour source 擦玻璃服务: {volunteer id: hours} of the done visits of each volunteer's teams."""
    minutes: dict[int, int] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for vid, started, finished in db_proxy.execute_sql(
                "SELECT tv.volunteer_id, v.started_at, v.finished_at FROM team_volunteer tv "
                "JOIN visit v ON v.team_id = tv.team_id AND v.done = TRUE "
                f"WHERE tv.volunteer_id IN ({','.join('?' * len(chunk))})", chunk):
            minutes[vid] = minutes.get(vid, 0) + rules.visit_minutes(started, finished)
    return {vid: rules.minutes_to_hours(m) for vid, m in minutes.items()}


volunteers.register_hour_source("擦玻璃服务", cleaning_hours)

# --- 3. cleaning visit problem -> 我来办 request -------------------------------------------------


def visit_request_number(visit_id: int) -> str:
    return Visit.get_by_id(visit_id).request_number


def _repair_category() -> int:
    category = RequestCategory.get_or_none(RequestCategory.name == rules.REQUEST_CATEGORY)
    if category is not None:
        return category.id
    try:
        return service_desk.add_category(rules.REQUEST_CATEGORY)
    except ValidationError:  # another PC added it a moment ago
        return RequestCategory.get(RequestCategory.name == rules.REQUEST_CATEGORY).id


def visit_to_request(visit_id: int, problem: str | None = None, now: dt.datetime | None = None) -> str:
    """Take in a 我来办 request (诉求, 维修, 来访) for the problem found on a visit; returns its number.

    `problem` is what the record form holds (it may not be saved yet); without it the visit's stored
    problems are used. The visit keeps the number; a second call raises ValidationError."""
    session.require_write()
    with transaction():
        # the visit locked: two PCs turning the same problem into a request, the second finds the number
        visit = locked(Visit.select().where(Visit.id == visit_id)).get()
        if visit.request_number:
            raise ValidationError(f"该问题已转我来办工单 {visit.request_number}")
        text = (problem if problem is not None else visit.problems or "").strip()
        if not text:
            raise ValidationError("请先在“发现问题”中写明问题，例如 北卧窗户玻璃有裂纹")
        team = visit.team.name if visit.team_id else ""
        description = rules.request_description(text, visit.round.name, cleaning.as_date(visit.date), team)
        request_id = service_desk.take_in({
            "type": rules.REQUEST_TYPE, "channel": rules.REQUEST_CHANNEL, "category_id": _repair_category(),
            "resident_id": visit.resident_id, "address": visit.address, "description": description}, now)
        number = service_desk.get(request_id)["number"]
        Visit.update(request_number=number).where(Visit.id == visit_id).execute()
        audit.record("修改", "visit", visit_id, f"{visit.resident.name} 发现问题转我来办工单 {number}",
                     {"request_number": ("", number)})
    return number
