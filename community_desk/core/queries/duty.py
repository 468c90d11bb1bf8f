"""Gate duty queries (门岗值守): posts, the week roster (build, read, edit a shift), the shift log.

The week grid is small (posts x 3 parts x 7 days), so `week_grid` returns it whole.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peewee import IntegrityError

from .. import session
from ..db import transaction
from ..dialect import locked
from ..models import DutyShift, GatePost, ShiftLog, ShiftVolunteer, Volunteer, db_proxy
from ..models.volunteers import PARTS, WEEKDAYS
from ..rules.resident import FormErrors
from ..rules.text import ValidationError, clean_multiline, clean_text
from ..rules.volunteers import (
    DEFAULT_TIMES,
    Candidate,
    PostNeed,
    RosterPlan,
    build_week,
    clean_shift,
    count_text,
    minutes_between,
    overlaps,
    week_start,
)
from . import audit, record_versions
from . import volunteers as volunteer_queries

# --- posts ---


@dataclass
class PostRow:
    id: int
    name: str
    min_volunteers: int
    parts: str
    active: bool


def list_posts(active_only: bool = False) -> list[PostRow]:
    query = GatePost.select().order_by(GatePost.sort_order, GatePost.id)
    if active_only:
        query = query.where(GatePost.active == True)  # noqa: E712
    return [PostRow(p.id, p.name, p.min_volunteers, p.parts, p.active) for p in query]


def save_post(raw: dict, post_id: int | None = None) -> int:
    """Add or change a gate post (office-editable). Raises FormErrors."""
    session.require_write()
    errors = {}
    name = ""
    try:
        name = clean_text(raw.get("name"), max_length=20, field_label="门岗名称")
    except ValidationError as exc:
        errors["name"] = exc.message
    if not name and "name" not in errors:
        errors["name"] = "请填写门岗名称，例如 东门"
    try:
        minimum = count_text(raw.get("min_volunteers", 2), "每班最少志愿者人数")
        if minimum > 20:
            raise ValidationError("每班最少志愿者人数不能超过 20")
    except ValidationError as exc:
        errors["min_volunteers"] = exc.message
        minimum = 0
    parts = "".join(p for p in PARTS if p in (raw.get("parts") or "".join(PARTS)))
    if not parts:
        errors["parts"] = "请至少选择一个值守时段"
    if errors:
        raise FormErrors(errors)
    with transaction():
        other = GatePost.get_or_none((GatePost.name == name) & (GatePost.id != (post_id or 0)))
        if other is not None:
            raise FormErrors({"name": f"已有门岗“{name}”"})
        row = {"name": name, "min_volunteers": minimum, "parts": parts, "active": bool(raw.get("active", True))}
        if post_id is None:
            order = (GatePost.select().count() or 0) + 1
            try:
                with transaction():  # a savepoint: another PC may add the same name at this moment
                    post = GatePost.create(sort_order=order, **row)
            except IntegrityError:
                raise FormErrors({"name": f"已有门岗“{name}”"}) from None
            audit.record("新增", "gate_post", post.id, f"新增门岗 {name}")
            return post.id
        old = GatePost.get_by_id(post_id)
        before = {"name": old.name, "min_volunteers": old.min_volunteers, "parts": old.parts, "active": old.active}
        GatePost.update(**row).where(GatePost.id == post_id).execute()
        audit.record("修改", "gate_post", post_id, f"修改门岗 {name}", audit.diff(before, row))
    return post_id


# --- the week roster ---


@dataclass
class ShiftCell:
    shift_id: int
    date: dt.date
    part: str
    post_id: int
    post: str
    start_time: str
    end_time: str
    lead: str
    volunteers: list[tuple[int, str]] = field(default_factory=list)  # (id, name)
    logged: bool = False
    notes: str = ""

    def names(self) -> str:
        return "、".join(name for _vid, name in self.volunteers)


def _as_date(value) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def week_shifts(monday: dt.date) -> list[ShiftCell]:
    """Every shift of the week starting on monday, in grid order (post, part, day)."""
    monday = week_start(monday)
    end = monday + dt.timedelta(days=6)
    rows = db_proxy.execute_sql(
        "SELECT s.id, s.date, s.part, s.post_id, p.name, s.start_time, s.end_time, s.lead, s.notes, "
        "EXISTS (SELECT 1 FROM shift_log l WHERE l.shift_id = s.id) FROM duty_shift s "
        "JOIN gate_post p ON p.id = s.post_id WHERE s.date BETWEEN ? AND ? "
        "ORDER BY p.sort_order, p.id, s.date, s.start_time", (monday.isoformat(), end.isoformat())).fetchall()
    cells = {r[0]: ShiftCell(r[0], _as_date(r[1]), r[2], r[3], r[4], r[5], r[6], r[7], [], bool(r[9]), r[8])
             for r in rows}
    if cells:
        marks = ",".join("?" * len(cells))
        for sid, vid, name in db_proxy.execute_sql(
                f"SELECT sv.shift_id, v.id, v.name FROM shift_volunteer sv JOIN volunteer v ON v.id = sv.volunteer_id "
                f"WHERE sv.shift_id IN ({marks}) ORDER BY v.name_pinyin, v.id", list(cells)):
            cells[sid].volunteers.append((vid, name))
    order = {p: i for i, p in enumerate(PARTS)}
    return sorted(cells.values(), key=lambda c: (c.post_id, order.get(c.part, 9), c.date))


def week_grid(monday: dt.date) -> tuple[list[PostRow], dict[tuple[int, str, int], ShiftCell]]:
    """(posts, {(post_id, part, weekday): cell}) for the week grid and the printed roster."""
    monday = week_start(monday)
    shifts = week_shifts(monday)
    post_ids = {c.post_id for c in shifts}
    posts = [p for p in list_posts() if p.active or p.id in post_ids]
    return posts, {(c.post_id, c.part, (c.date - monday).days): c for c in shifts}


def week_has_log(monday: dt.date) -> bool:
    monday = week_start(monday)
    return db_proxy.execute_sql(
        "SELECT EXISTS (SELECT 1 FROM shift_log l JOIN duty_shift s ON s.id = l.shift_id WHERE s.date BETWEEN ? AND ?)",
        (monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat())).fetchone()[0] == 1


def plan_week(monday: dt.date) -> RosterPlan:
    monday = week_start(monday)
    posts = [PostNeed(p.id, p.name, p.min_volunteers, tuple(x for x in PARTS if x in p.parts))
             for p in list_posts(active_only=True)]
    candidates = [Candidate(vid, code) for vid, code in volunteer_queries.roster_candidates()]
    return build_week(monday, posts, candidates, volunteer_queries.staff_names())


def build_roster(monday: dt.date) -> RosterPlan:
    """Replace the week's shifts with a freshly built roster. Refused once a shift of the week is logged."""
    session.require_write()
    monday = week_start(monday)
    if not list_posts(active_only=True):
        raise ValidationError("还没有门岗，请先添加门岗（例如 东门、西门）")
    with transaction():
        # the posts locked: a second PC building the same week waits, then replaces this roster whole
        list(locked(GatePost.select(GatePost.id).order_by(GatePost.id)))
        if week_has_log(monday):
            raise ValidationError("本周已有班次写了值守记录（签到），不能重新排班；请逐班手工修改")
        plan = plan_week(monday)
        DutyShift.delete().where(DutyShift.date.between(monday, monday + dt.timedelta(days=6))).execute()
        links = []
        for planned in plan.shifts:
            start, end = DEFAULT_TIMES[planned.part]
            shift = DutyShift.create(date=planned.date, part=planned.part, start_time=start, end_time=end,
                                     minutes=minutes_between(start, end), post=planned.post_id, lead=planned.lead)
            links.extend({"shift": shift.id, "volunteer": vid} for vid in planned.volunteer_ids)
        for start in range(0, len(links), 300):
            ShiftVolunteer.insert_many(links[start:start + 300]).execute()
        audit.record("排班", "duty_shift", None, f"生成 {monday:%Y-%m-%d} 一周门岗排班 {len(plan.shifts)} 班，"
                     f"缺口 {len(plan.gaps)} 处")
    return plan


def week_gaps(monday: dt.date) -> list[str]:
    """Gaps of the roster as it stands now (after hand edits): 周三 下午 东门 缺 1 人 / 缺带班."""
    posts, grid = week_grid(monday)
    out = []
    for weekday in range(7):
        for part in PARTS:
            for post in posts:
                if not post.active or part not in post.parts:
                    continue
                cell = grid.get((post.id, part, weekday))
                have = len(cell.volunteers) if cell else 0
                where = f"{WEEKDAYS[weekday]} {part} {post.name}"
                if have < post.min_volunteers:
                    out.append(f"{where} 缺 {post.min_volunteers - have} 人")
                if cell is None or not cell.lead:
                    out.append(f"{where} 缺带班")
    return out


def get_shift(shift_id: int) -> ShiftCell:
    s = DutyShift.get_by_id(shift_id)
    cell = ShiftCell(s.id, s.date, s.part, s.post_id, s.post.name, s.start_time, s.end_time, s.lead, [],
                     ShiftLog.get_or_none(ShiftLog.shift == s.id) is not None, s.notes)
    cell.volunteers = [(sv.volunteer.id, sv.volunteer.name) for sv in
                       ShiftVolunteer.select(ShiftVolunteer, Volunteer).join(Volunteer)
                       .where(ShiftVolunteer.shift == s.id).order_by(Volunteer.name_pinyin)]
    return cell


def shift_form(shift_id: int) -> dict:
    """What the shift dialog edits, as it loads it (with the shift's version: record_versions)."""
    s = DutyShift.get_by_id(shift_id)
    ids = sorted(sv.volunteer_id for sv in ShiftVolunteer.select().where(ShiftVolunteer.shift == s.id))
    return {"start_time": s.start_time, "end_time": s.end_time, "lead": s.lead, "volunteer_ids": ids, "notes": s.notes,
            "version": s.version}


def ensure_shift(day: dt.date, part: str, post_id: int) -> int:
    """The id of the shift in that cell, creating an empty one with the default times."""
    session.require_write()
    with transaction():
        shift = DutyShift.get_or_none((DutyShift.date == day) & (DutyShift.part == part) & (DutyShift.post == post_id))
        if shift is not None:
            return shift.id
        start, end = DEFAULT_TIMES[part]
        try:
            with transaction():  # a savepoint: another PC may open the same empty cell at this moment
                shift = DutyShift.create(date=day, part=part, start_time=start, end_time=end,
                                         minutes=minutes_between(start, end), post=post_id)
        except IntegrityError:
            return DutyShift.get((DutyShift.date == day) & (DutyShift.part == part) & (DutyShift.post == post_id)).id
        audit.record("新增", "duty_shift", shift.id, f"新增班次 {day:%m-%d} {part}")
    return shift.id


def shift_choices(shift_id: int) -> list[tuple[int, str, bool]]:
    """(volunteer id, label, on this shift) for the shift editor: those on the shift first, then the
    volunteers free and available at that time, then the rest with the reason they do not fit."""
    shift = DutyShift.get_by_id(shift_id)
    on_shift = {sv.volunteer_id for sv in ShiftVolunteer.select().where(ShiftVolunteer.shift == shift_id)}
    busy: dict[int, str] = {}
    for other in DutyShift.select(DutyShift, GatePost).join(GatePost).where(
            (DutyShift.date == shift.date) & (DutyShift.id != shift.id)):
        if overlaps(shift.start_time, shift.end_time, other.start_time, other.end_time):
            for sv in ShiftVolunteer.select().where(ShiftVolunteer.shift == other.id):
                busy[sv.volunteer_id] = other.post.name
    slot = _as_date(shift.date).weekday() * len(PARTS) + PARTS.index(shift.part)
    rows = []
    for v in Volunteer.select().order_by(Volunteer.name_pinyin, Volunteer.id):
        if not v.active and v.id not in on_shift:
            continue
        if v.id in busy:
            note, rank = f"同时在{busy[v.id]}", 3
        elif v.availability[slot:slot + 1] != "1":
            note, rank = "不在可服务时间", 2
        else:
            note, rank = "", 1
        label = f"{v.name}（{v.kind}）" + (f"  —{note}" if note else "")
        rows.append((0 if v.id in on_shift else rank, v.id, label))
    rows.sort(key=lambda r: r[0])
    return [(vid, label, rank == 0) for rank, vid, label in rows]


def discard_empty_shift(shift_id: int) -> bool:
    """Remove a shift that has no lead, no volunteers, no notes and no log (an editor opened on an empty
    cell and cancelled). Returns True when removed."""
    session.require_write()
    with transaction():
        shift = DutyShift.get_or_none(DutyShift.id == shift_id)
        if shift is None or shift.lead or shift.notes or shift.volunteer_links.count() or shift.logs.count():
            return False
        audit.record("删除", "duty_shift", shift_id, f"删除空班次 {shift.date} {shift.part}")
        shift.delete_instance()
    return True


def _clashes(shift: DutyShift, values: dict) -> dict[str, str]:
    """Volunteers or the lead already on another shift at an overlapping time that day."""
    others = list(DutyShift.select(DutyShift, GatePost).join(GatePost)
                  .where((DutyShift.date == shift.date) & (DutyShift.id != shift.id)))
    errors = {}
    wanted = set(values["volunteer_ids"])
    who = volunteer_queries.names(list(wanted))
    for other in others:
        if not overlaps(values["start_time"], values["end_time"], other.start_time, other.end_time):
            continue
        busy = {sv.volunteer_id for sv in ShiftVolunteer.select().where(ShiftVolunteer.shift == other.id)} & wanted
        for vid in sorted(busy):
            errors.setdefault("volunteer_ids", f"{who.get(vid, vid)} 同一时间已在 {other.post.name}"
                              f"（{other.start_time}-{other.end_time}）值守，不能同时在两处")
        if values["lead"] and other.lead == values["lead"]:
            errors["lead"] = f"{values['lead']} 同一时间已在 {other.post.name} 带班"
    return errors


def save_shift(shift_id: int, raw: dict, loaded: dict | None = None) -> None:
    """Hand edit of one shift: times, lead, volunteers, notes. `loaded`: the shift_form the dialog was filled from
    (record_versions). Raises FormErrors (with clashes named), EditConflict."""
    session.require_write()
    values = clean_shift(raw)
    with transaction():
        shift = locked(DutyShift.select().where(DutyShift.id == shift_id)).get()  # one writer of its volunteers
        edit = record_versions.begin(DutyShift, "duty_shift", shift_id, raw, loaded, shift_form)
        if edit.merged:
            values = clean_shift(edit.raw)
        errors = _clashes(shift, values)
        if errors:
            raise FormErrors(errors)
        old = get_shift(shift_id)
        before = {"start_time": old.start_time, "end_time": old.end_time, "lead": old.lead,
                  "volunteers": old.names(), "notes": old.notes}
        record_versions.update_versioned(DutyShift, shift_id, {
            "start_time": values["start_time"], "end_time": values["end_time"], "minutes": values["minutes"],
            "lead": values["lead"], "notes": values["notes"]}, edit.version,
            moved=sorted(values["volunteer_ids"]) != edit.theirs["volunteer_ids"])
        kept = {sv.volunteer_id: sv.attended for sv in ShiftVolunteer.select().where(ShiftVolunteer.shift == shift_id)}
        ShiftVolunteer.delete().where(ShiftVolunteer.shift == shift_id).execute()
        for vid in values["volunteer_ids"]:
            ShiftVolunteer.create(shift=shift_id, volunteer=vid, attended=kept.get(vid))
        new = get_shift(shift_id)
        after = {"start_time": new.start_time, "end_time": new.end_time, "lead": new.lead,
                 "volunteers": new.names(), "notes": new.notes}
        audit.record("修改", "duty_shift", shift_id, f"修改班次 {shift.date:%m-%d} {shift.part} {new.post}",
                     audit.diff(before, after))


# --- the shift log (签到, people checked, remarks) ---


def get_log(shift_id: int) -> dict:
    log = ShiftLog.get_or_none(ShiftLog.shift == shift_id)
    attended = {sv.volunteer_id: sv.attended for sv in ShiftVolunteer.select().where(ShiftVolunteer.shift == shift_id)}
    return {"exists": log is not None, "people_checked": log.people_checked if log else 0,
            "remarks": log.remarks if log else "", "logged_by": log.logged_by if log else "",
            "attended": attended}


def save_log(shift_id: int, raw: dict) -> None:
    """Write the shift log: who came (volunteer ids), how many people were checked, remarks."""
    session.require_write()
    errors = {}
    try:
        checked = count_text(raw.get("people_checked"), "检查人数")
    except ValidationError as exc:
        errors["people_checked"] = exc.message
        checked = 0
    try:
        remarks = clean_multiline(raw.get("remarks"), max_length=1000, field_label="值守情况")
    except ValidationError as exc:
        errors["remarks"] = exc.message
        remarks = ""
    if errors:
        raise FormErrors(errors)
    came = {int(v) for v in raw.get("attended_ids") or []}
    with transaction():
        shift = DutyShift.get_by_id(shift_id)
        for sv in ShiftVolunteer.select().where(ShiftVolunteer.shift == shift_id):
            ShiftVolunteer.update(attended=sv.volunteer_id in came).where(ShiftVolunteer.id == sv.id).execute()
        ShiftLog.insert(shift=shift_id, people_checked=checked, remarks=remarks, logged_by=session.current.user,
                        logged_at=dt.datetime.now().replace(microsecond=0)).on_conflict(
            conflict_target=[ShiftLog.shift],
            update={ShiftLog.people_checked: checked, ShiftLog.remarks: remarks,
                    ShiftLog.logged_by: session.current.user}).execute()
        audit.record("值守记录", "duty_shift", shift_id, f"{shift.date:%m-%d} {shift.part} {shift.post.name} "
                     f"签到 {len(came)} 人，检查 {checked} 人")
