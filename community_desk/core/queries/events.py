"""Training sessions (培训会) and publicity events (宣传活动): save, list, and who missed the latest training."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import session
from ..db import transaction
from ..dialect import group_concat_ordered, locked
from ..models import CommunityEvent, EventVolunteer, TrainingAttendee, TrainingSession, Volunteer, db_proxy
from ..rules.resident import FormErrors, parse_date
from ..rules.text import ValidationError, clean_multiline, clean_text
from ..rules.volunteers import count_text, hours_text
from . import audit
from .volunteers import staff_names

TRAINING_COLUMNS = [("date", "日期"), ("topic", "培训主题"), ("trainer", "主讲人"), ("count", "参加人数"),
                    ("attendees", "参加人员"), ("materials", "培训材料")]
EVENT_COLUMNS = [("date", "日期"), ("title", "活动名称"), ("place", "地点"), ("community", "组织社区"),
                 ("volunteers", "参加志愿者"), ("hours", "志愿服务时长(小时)"), ("leaflets", "发放宣传页(份)"),
                 ("letters", "发放告居民书(封)"), ("reached", "覆盖居民(人)"), ("notes", "备注")]


def _take(errors: dict, key: str, func):
    try:
        return func()
    except ValidationError as exc:
        errors[key] = exc.message
        return None


def _as_date(value) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


# --- training sessions ---


def save_training(raw: dict, session_id: int | None = None) -> int:
    session.require_write()
    errors: dict[str, str] = {}
    day = _take(errors, "date", lambda: parse_date(raw.get("date"), "培训日期"))
    if day is None and "date" not in errors:
        errors["date"] = "请填写培训日期"
    topic = _take(errors, "topic", lambda: clean_text(raw.get("topic"), max_length=60, field_label="培训主题")) or ""
    if not topic and "topic" not in errors:
        errors["topic"] = "请填写培训主题"
    trainer = _take(errors, "trainer", lambda: clean_text(raw.get("trainer"), max_length=30, field_label="主讲人")) or ""
    materials = _take(errors, "materials", lambda: clean_multiline(raw.get("materials"), max_length=1000,
                                                                   field_label="培训材料")) or ""
    attendees = [clean_text(n, max_length=30) for n in raw.get("attendees") or []]
    attendees = [n for n in dict.fromkeys(attendees) if n]
    if errors:
        raise FormErrors(errors)
    with transaction():
        row = {"date": day, "topic": topic, "trainer": trainer, "materials": materials}
        if session_id is None:
            session_id = TrainingSession.create(**row).id
            audit.record("新增", "training_session", session_id, f"新增培训会 {day:%Y-%m-%d} {topic}")
        else:
            locked(TrainingSession.select(TrainingSession.id).where(TrainingSession.id == session_id)).get()
            TrainingSession.update(**row).where(TrainingSession.id == session_id).execute()
            audit.record("修改", "training_session", session_id, f"修改培训会 {day:%Y-%m-%d} {topic}")
        TrainingAttendee.delete().where(TrainingAttendee.session == session_id).execute()
        for name in attendees:
            TrainingAttendee.create(session=session_id, staff_name=name)
    return session_id


def get_training(session_id: int) -> dict:
    s = TrainingSession.get_by_id(session_id)
    return {"date": s.date.isoformat(), "topic": s.topic, "trainer": s.trainer, "materials": s.materials,
            "attendees": [a.staff_name for a in s.attendees.order_by(TrainingAttendee.id)]}


def training_ids() -> list[int]:
    return [r[0] for r in db_proxy.execute_sql("SELECT id FROM training_session ORDER BY date DESC, id DESC")]


def load_training_rows(ids: list[int]) -> dict[int, tuple]:
    out = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in db_proxy.execute_sql(
                "SELECT s.id, s.date, s.topic, s.trainer, s.materials, "
                "(SELECT COUNT(*) FROM training_attendee a WHERE a.session_id = s.id), "
                f"(SELECT {group_concat_ordered('staff_name', '、', 'staff_name')} FROM training_attendee a "
                "WHERE a.session_id = s.id) "
                f"FROM training_session s WHERE s.id IN ({','.join('?' * len(chunk))})", chunk):
            out[row[0]] = (str(row[1]), row[2], row[3], row[5], row[6] or "", row[4])
    return out


def topics() -> list[str]:
    return [r[0] for r in db_proxy.execute_sql("SELECT topic FROM training_session GROUP BY topic "
                                               "ORDER BY MAX(date) DESC, topic")]


def not_attended_latest(topic: str) -> tuple[dict | None, list[str]]:
    """(the latest session on that topic, the staff who did not attend it)."""
    latest = (TrainingSession.select().where(TrainingSession.topic == topic)
              .order_by(TrainingSession.date.desc(), TrainingSession.id.desc()).first())
    if latest is None:
        return None, staff_names()
    came = {a.staff_name for a in latest.attendees}
    info = {"id": latest.id, "date": _as_date(latest.date), "topic": latest.topic, "trainer": latest.trainer}
    return info, [name for name in staff_names() if name not in came]


# --- publicity events ---


@dataclass(frozen=True)
class EventFilter:
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def save_event(raw: dict, event_id: int | None = None) -> int:
    """raw['volunteers']: list of (volunteer_id, hours as text or number). Raises FormErrors."""
    session.require_write()
    errors: dict[str, str] = {}
    title = _take(errors, "title", lambda: clean_text(raw.get("title"), max_length=60, field_label="活动名称")) or ""
    if not title and "title" not in errors:
        errors["title"] = "请填写活动名称"
    day = _take(errors, "date", lambda: parse_date(raw.get("date"), "活动日期"))
    if day is None and "date" not in errors:
        errors["date"] = "请填写活动日期"
    place = _take(errors, "place", lambda: clean_text(raw.get("place"), max_length=60, field_label="地点")) or ""
    counts = {}
    for key, label in (("leaflets", "发放宣传页份数"), ("letters", "发放告居民书封数"), ("residents_reached", "覆盖居民人数")):
        counts[key] = _take(errors, key, lambda k=key, lb=label: count_text(raw.get(k), lb)) or 0
    notes = _take(errors, "notes", lambda: clean_multiline(raw.get("notes"), max_length=2000)) or ""
    photos = _take(errors, "photos", lambda: clean_multiline(raw.get("photos"), max_length=4000,
                                                             field_label="照片")) or ""
    links = []
    for vid, hours in raw.get("volunteers") or []:
        try:
            minutes = round(float(str(hours or 0).strip()) * 60)
        except ValueError:
            errors["volunteers"] = f"服务时长“{hours}”不是数字，例如 2.5"
            continue
        if not 0 <= minutes <= 24 * 60:
            errors["volunteers"] = "每人服务时长应在 0 到 24 小时之间"
        links.append((int(vid), minutes))
    if errors:
        raise FormErrors(errors)
    with transaction():
        row = {"title": title, "date": day, "place": place, "community": raw.get("community_id") or None,
               "notes": notes, "photos": photos, **counts}
        if event_id is None:
            event_id = CommunityEvent.create(**row).id
            audit.record("新增", "community_event", event_id, f"新增宣传活动 {day:%Y-%m-%d} {title}")
        else:
            locked(CommunityEvent.select(CommunityEvent.id).where(CommunityEvent.id == event_id)).get()
            CommunityEvent.update(updated_at=dt.datetime.now().replace(microsecond=0), **row).where(
                CommunityEvent.id == event_id).execute()
            audit.record("修改", "community_event", event_id, f"修改宣传活动 {day:%Y-%m-%d} {title}")
        EventVolunteer.delete().where(EventVolunteer.event == event_id).execute()
        for vid, minutes in dict(links).items():
            EventVolunteer.create(event=event_id, volunteer=vid, minutes=minutes)
    return event_id


def get_event(event_id: int) -> dict:
    e = CommunityEvent.get_by_id(event_id)
    vols = [(link.volunteer.id, link.volunteer.name, hours_text(link.minutes)) for link in
            EventVolunteer.select(EventVolunteer, Volunteer).join(Volunteer).where(EventVolunteer.event == event_id)
            .order_by(Volunteer.name_pinyin, Volunteer.id)]
    return {"title": e.title, "date": _as_date(e.date).isoformat(), "place": e.place, "community_id": e.community_id,
            "leaflets": e.leaflets, "letters": e.letters, "residents_reached": e.residents_reached, "notes": e.notes,
            "photos": e.photos, "volunteers": vols}


def event_ids(flt: EventFilter = EventFilter()) -> list[int]:  # noqa: B008 - frozen dataclass
    clauses, params = [], []
    if flt.date_from:
        clauses.append("date >= ?")
        params.append(flt.date_from.isoformat())
    if flt.date_to:
        clauses.append("date <= ?")
        params.append(flt.date_to.isoformat())
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    return [r[0] for r in db_proxy.execute_sql(f"SELECT id FROM community_event{where} ORDER BY date DESC, id DESC",
                                               params)]


def load_event_rows(ids: list[int]) -> dict[int, tuple]:
    out = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in db_proxy.execute_sql(
                "SELECT e.id, e.date, e.title, e.place, c.name, "
                f"(SELECT {group_concat_ordered('v.name', '、', 'ev.volunteer_id')} FROM event_volunteer ev "
                "JOIN volunteer v ON v.id = ev.volunteer_id "
                " WHERE ev.event_id = e.id), "
                "(SELECT COALESCE(SUM(minutes), 0) FROM event_volunteer ev WHERE ev.event_id = e.id), "
                "e.leaflets, e.letters, e.residents_reached, e.notes FROM community_event e "
                f"LEFT JOIN community c ON c.id = e.community_id WHERE e.id IN ({','.join('?' * len(chunk))})", chunk):
            out[row[0]] = (str(row[1]), row[2], row[3], row[4] or "", row[5] or "", hours_text(row[6]), row[7],
                           row[8], row[9], row[10])
    return out


def delete_event(event_id: int) -> None:
    session.require_write()
    with transaction():
        e = CommunityEvent.get_by_id(event_id)
        audit.record("删除", "community_event", event_id, f"删除宣传活动 {e.title}")
        e.delete_instance()
