"""Cleaning service visits (上门服务): the auto-schedule run, moving a visit, the work record and
follow-up, the printed roster's rows and the round's figures."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from .. import session
from ..db import transaction
from ..models import Resident, ServiceRound, ServiceTeam, Survey, Visit, db_proxy
from ..models.cleaning import CHECKLIST, SATISFACTION, SLOTS
from ..rules.cleaning import clean_visit_move, clean_visit_record, date_text, phone_forbidden
from ..rules.cleaning_schedule import Request, auto_schedule
from ..rules.text import ValidationError
from . import audit, record_versions
from .cleaning import as_date, household_ids, lock_round, round_teams

VISIT_COLUMNS = ["服务日期", "时段", "服务队", "住址", "楼层", "姓名", "联系方式", "窗户数", "备注", "完成", "满意度"]


@dataclass
class ScheduleReport:
    placed: int = 0
    already: int = 0
    unplaced: list[tuple[str, str, str]] = field(default_factory=list)  # (address, name, reason)

    def summary(self) -> str:
        text = f"本次新安排 {self.placed} 户，原已安排 {self.already} 户"
        return text + (f"，{len(self.unplaced)} 户未安排（原因见下表）" if self.unplaced else "，全部安排完毕")


def _cell_load(round_id: int) -> dict[tuple[dt.date, str, int], int]:
    sql = "SELECT date, slot, team_id, COUNT(*) FROM visit WHERE round_id = ? AND team_id IS NOT NULL GROUP BY 1, 2, 3"
    return {(as_date(d), s, t): n for d, s, t, n in db_proxy.execute_sql(sql, (round_id,))}


def run_auto_schedule(round_id: int) -> ScheduleReport:
    """Place every surveyed household that wants the service and has no visit yet; report the rest."""
    session.require_write()
    rnd = ServiceRound.get_by_id(round_id)
    start, end = as_date(rnd.start_date), as_date(rnd.end_date)
    teams = [tid for tid, _name in round_teams(round_id)]
    report = ScheduleReport()
    with transaction():
        lock_round(round_id)  # slots filled by one PC at a time (capacity)
        surveys = {s.id: s for s in Survey.select().where(Survey.round == round_id).order_by(Survey.id)}
        scheduled = {v.survey_id for v in Visit.select(Visit.survey).where(Visit.round == round_id)}
        report.already = len(scheduled)
        residents = {r.id: r for r in Resident.select().where(Resident.id.in_([s.resident_id for s in surveys.values()]))}
        requests = []
        for s in surveys.values():
            if s.result != "需要" or s.id in scheduled:
                continue
            r = residents[s.resident_id]
            dates = tuple(dt.date.fromisoformat(d) for d in s.preferred_dates.split(",") if d)
            requests.append(Request(key=s.id, preferred_dates=dates, preferred_slot=s.preferred_slot,
                                    group=str(r.building_id or r.address), order=r.address))
        result = auto_schedule(requests, start, end, teams, rnd.capacity, _cell_load(round_id))
        for key, (day, slot, team) in result.placed.items():
            s = surveys[key]
            r = residents[s.resident_id]
            Visit.create(round=round_id, survey=s.id, resident=r.id, household=s.household_id, date=day, slot=slot,
                         team=team, address=_address(r), floor=r.floor)
        report.placed = len(result.placed)
        for key, reason in result.unplaced.items():
            r = residents[surveys[key].resident_id]
            report.unplaced.append((r.address, r.name, reason))
        # households not surveyed or not wanting the service, explained too
        unsurveyed = household_ids(round_id, "未统计")
        for address, name in Resident.select(Resident.address, Resident.name).where(
                Resident.id.in_(unsurveyed)).tuples().iterator():
            report.unplaced.append((address, name, "尚未前期统计"))
        for s in surveys.values():
            if s.result != "需要":
                r = residents[s.resident_id]
                report.unplaced.append((r.address, r.name, f"统计结果为{s.result}"))
        report.unplaced.sort()
        if result.placed:
            audit.record("新增", "visit", round_id, f"自动排班：{report.summary()}")
    return report


def _address(r: Resident) -> str:
    return f"{r.address}（{r.floor}层）" if r.floor else r.address


def schedule_by_hand(round_id: int, survey_id: int, raw: dict) -> int:
    """Give a surveyed household a visit on a chosen day, slot and team (capacity still applies)."""
    session.require_write()
    rnd = ServiceRound.get_by_id(round_id)
    values = clean_visit_move(raw, as_date(rnd.start_date), as_date(rnd.end_date))
    with transaction():
        lock_round(round_id)
        s = Survey.get_by_id(survey_id)
        if s.result != "需要":
            raise ValidationError(f"该户统计结果为{s.result}，不能安排")
        if Visit.get_or_none(Visit.survey == survey_id):
            raise ValidationError("该户已有安排，请在服务安排中修改")
        _check_capacity(rnd, values, None)
        r = s.resident
        visit = Visit.create(round=round_id, survey=s.id, resident=r.id, household=s.household_id,
                             address=_address(r), floor=r.floor, **values)
        audit.record("新增", "visit", visit.id, f"手动安排 {r.name} {date_text(values['date'])}{values['slot']}")
    return visit.id


def _check_capacity(rnd: ServiceRound, values: dict, visit_id: int | None) -> None:
    query = Visit.select().where((Visit.round == rnd.id) & (Visit.date == values["date"])
                                 & (Visit.slot == values["slot"]) & (Visit.team == values["team"]))
    if visit_id is not None:
        query = query.where(Visit.id != visit_id)
    if query.count() >= rnd.capacity:
        team = ServiceTeam.get_by_id(values["team"]).name
        raise ValidationError(f"{team} {date_text(values['date'])}{values['slot']}已安排 {rnd.capacity} 户，"
                              f"达到每队每时段上限")


def move_visit(visit_id: int, raw: dict, loaded: dict | None = None) -> None:
    """Change a visit's date, slot or team (inside the round, within the team's capacity). `loaded`: the get_visit
    the form was filled from (record_versions). Raises ValidationError, EditConflict."""
    session.require_write()
    with transaction():
        visit = Visit.get_by_id(visit_id)
        rnd = lock_round(visit.round_id)
        edit = record_versions.begin(Visit, "visit", visit_id, raw, loaded, get_visit)
        visit = Visit.get_by_id(visit_id)
        values = clean_visit_move(edit.raw, as_date(rnd.start_date), as_date(rnd.end_date))
        _check_capacity(rnd, values, visit_id)
        old = {"date": as_date(visit.date), "slot": visit.slot, "team": visit.team_id}
        record_versions.update_versioned(Visit, visit_id, values, edit.version)
        audit.record("修改", "visit", visit_id, f"调整安排 {visit.resident.name}", audit.diff(old, values))


def cancel_visit(visit_id: int) -> None:
    session.require_write()
    with transaction():
        visit = Visit.get_by_id(visit_id)
        if visit.done:
            raise ValidationError("已完成的服务不能取消")
        audit.record("删除", "visit", visit_id, f"取消安排 {visit.resident.name}")
        visit.delete_instance()


def get_visit(visit_id: int) -> dict:
    v = Visit.get_by_id(visit_id)
    s = v.survey if v.survey_id else None
    out = {"id": v.id, "round_id": v.round_id, "name": v.resident.name, "address": v.address, "date": as_date(v.date),
           "slot": v.slot, "team_id": v.team_id, "done": v.done, "started_at": v.started_at,
           "finished_at": v.finished_at, "windows_cleaned": v.windows_cleaned or (s.windows if s else 0),
           "windows": s.windows if s else 0, "problems": v.problems, "satisfaction": v.satisfaction,
           "feedback": v.feedback, "followed_up_on": as_date(v.followed_up_on),
           "survey_notes": s.notes if s else "", "contact_method": s.contact_method if s else "", "version": v.version}
    for key, _label in CHECKLIST:
        out[key] = getattr(v, key)
    return out


def record_visit(visit_id: int, raw: dict, loaded: dict | None = None) -> None:
    """Store the work record (done, checklist, times, problems) and the follow-up. `loaded`: the get_visit the form
    was filled from (record_versions). Raises FormErrors, EditConflict."""
    session.require_write()
    values = clean_visit_record(raw)
    with transaction():
        edit = record_versions.begin(Visit, "visit", visit_id, raw, loaded, get_visit)
        if edit.merged:
            values = clean_visit_record(edit.raw)
        visit = Visit.get_by_id(visit_id)
        old = edit.theirs
        record_versions.update_versioned(Visit, visit_id, values, edit.version)
        what = "完成服务" if values["done"] and not visit.done else "修改服务记录"
        if values["satisfaction"]:
            what += f"，回访{values['satisfaction']}"
        audit.record("修改", "visit", visit_id, f"{visit.resident.name} {what}",
                     audit.diff({k: old.get(k) for k in values}, values))


# --- lists ---------------------------------------------------------------------------------------

VISIT_STATES = {"未完成": "v.done = FALSE", "待回访": "v.done = TRUE AND v.satisfaction = ''",
                "已回访": "v.satisfaction != ''"}


def visit_ids(round_id: int, day: dt.date | None = None, team_id: int | None = None,
              state: str = "") -> list[int]:
    """Visits of the round in date, slot, team and address order; state is one of VISIT_STATES or ''."""
    clauses, params = ["v.round_id = ?"], [round_id]
    if day is not None:
        clauses.append("v.date = ?")
        params.append(day.isoformat())
    if team_id is not None:
        clauses.append("v.team_id = ?")
        params.append(team_id)
    if state in VISIT_STATES:
        clauses.append(VISIT_STATES[state])
    sql = (f"SELECT v.id FROM visit v WHERE {' AND '.join(clauses)} "
           "ORDER BY v.date, CASE v.slot WHEN '上午' THEN 0 ELSE 1 END, v.team_id NULLS FIRST, v.address, v.id")
    return [row[0] for row in db_proxy.execute_sql(sql, params)]


_VISIT_SQL = """
SELECT v.id, v.date, v.slot, COALESCE(t.name, '未分队'), v.address, v.floor, r.name, COALESCE(s.contact_method, ''),
  COALESCE(s.windows, 0), COALESCE(s.notes, ''), v.done, v.satisfaction, r.disability, r.contact_preference,
  v.windows_cleaned, v.problems, v.feedback, t.id
FROM visit v JOIN resident r ON r.id = v.resident_id LEFT JOIN survey s ON s.id = v.survey_id
LEFT JOIN service_team t ON t.id = v.team_id WHERE v.id IN ({marks})
"""


def _raw_visits(ids: list[int]) -> dict[int, tuple]:
    out = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in db_proxy.execute_sql(_VISIT_SQL.format(marks=",".join("?" * len(chunk))), chunk):
            out[row[0]] = row
    return out


def visit_notes(row: tuple) -> str:
    parts = [row[9]] if row[9] else []
    why = phone_forbidden(row[13], row[12])
    if why:
        parts.insert(0, "勿打电话，请敲门" if row[12] else "请上门联系")
    return "；".join(parts)


def load_visit_rows(ids: list[int]) -> dict[int, tuple]:
    out = {}
    for vid, row in _raw_visits(ids).items():
        day = as_date(row[1])
        out[vid] = (f"{date_text(day)}", row[2], row[3], row[4], row[5] or "", row[6], row[7], row[8] or "",
                    visit_notes(row), "已完成" if row[10] else "", row[11])
    return out


def iter_visits(ids: list[int]):
    rows = _raw_visits(ids)
    for vid in ids:
        if vid in rows:
            yield rows[vid]


# --- roster and figures -----------------------------------------------------------------------------

@dataclass
class RosterSection:
    """One printed sheet: one team on one day."""
    day: dt.date
    team: str
    leader: str
    members: str
    rows: list[tuple]  # (slot, address, floor, name, contact method, windows, notes)


def roster(round_id: int, day: dt.date | None = None, team_id: int | None = None) -> list[RosterSection]:
    teams = {t.id: t for t in ServiceTeam.select()}
    sections: dict[tuple, RosterSection] = {}
    for row in iter_visits(visit_ids(round_id, day, team_id)):
        key = (as_date(row[1]), row[17])
        if key not in sections:
            team = teams.get(row[17])
            sections[key] = RosterSection(key[0], row[3], team.leader if team else "", team.members if team else "", [])
        sections[key].rows.append((row[2], row[4], row[5], row[6], row[7], row[8] or "", visit_notes(row)))
    return list(sections.values())


def round_days_with_visits(round_id: int) -> list[dt.date]:
    sql = "SELECT DISTINCT date FROM visit WHERE round_id = ? ORDER BY date"
    return [as_date(d) for (d,) in db_proxy.execute_sql(sql, (round_id,))]


def round_stats(round_id: int) -> dict:
    """Figures of a round: households, surveyed, wanting, scheduled, served, windows, satisfaction."""
    households = len(household_ids(round_id))
    results = Counter(s.result for s in Survey.select(Survey.result).where(Survey.round == round_id))
    visits = list(Visit.select(Visit.done, Visit.windows_cleaned, Visit.satisfaction).where(Visit.round == round_id))
    done = [v for v in visits if v.done]
    satisfaction = Counter(v.satisfaction for v in done if v.satisfaction)
    return {"households": households, "surveyed": sum(results.values()), "results": dict(results),
            "scheduled": len(visits), "served": len(done), "windows": sum(v.windows_cleaned or 0 for v in done),
            "satisfaction": {k: satisfaction.get(k, 0) for k in SATISFACTION},
            "followed_up": sum(satisfaction.values())}


def slot_order(slot: str) -> int:
    return SLOTS.index(slot) if slot in SLOTS else 9
