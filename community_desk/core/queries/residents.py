"""Resident registry queries: search ids, load rows in blocks, read, save, delete.

The list windows keep only the ordered id list that `search_ids` returns and ask `load_rows`
for a few hundred rows at a time; nothing here loads the whole table into Python objects.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from peewee import IntegrityError

from .. import session
from ..db import transaction
from ..dialect import binary_order, glob, group_concat_ordered, is_postgres, search_costs
from ..models import Building, Household, Resident, ResidentSearch, ResidentTag, Tag, db_proxy
from ..rules.idcard import age_on
from ..rules.masking import mask_columns, mask_id, mask_phone
from ..rules.resident import FormErrors, clean_resident
from ..rules.text import ValidationError, clean_text
from . import audit, record_versions
from . import settings as office_settings
from .resident_keys import SearchKeys
from .search_text import contains, normalize_query, order_term

TABLE = "resident"

# (key, header) of the list and the export, in order. One name for one thing (GLOSSARY.md).
COLUMNS = [
    ("name", "姓名"), ("gender", "性别"), ("age", "年龄"), ("id_number", "身份证号"),
    ("phone", "联系电话"), ("community", "社区"), ("address", "住址"), ("household", "户号"),
    ("relation", "与户主关系"), ("tags", "人员类别"), ("residence_status", "居住状态"),
    ("contact_preference", "联系方式偏好"), ("disability", "残疾类别"), ("registered_address", "户籍地"),
    ("notes", "备注"),
]
COLUMN_KEYS = [key for key, _ in COLUMNS]

SORT_SQL = {
    "name": "r.name_pinyin", "gender": "r.gender", "age": "r.birth_date DESC", "id_number": "r.id_number",
    "phone": "r.phone", "community": "r.community_id", "address": "r.address", "household": "h.number",
    "relation": "r.relation_to_head", "residence_status": "r.residence_status",
    "contact_preference": "r.contact_preference", "disability": "r.disability",
    "registered_address": "r.registered_address", "notes": "r.notes",
}



def _row_sql(marks: str) -> str:
    return f"""
SELECT r.id, r.name, r.gender, r.birth_date, r.id_number, r.phone, c.name, r.address, h.number,
       r.relation_to_head,
       (SELECT {group_concat_ordered("t.name", "、", "rt.tag_id")} FROM resident_tag rt JOIN tag t ON t.id = rt.tag_id
         WHERE rt.resident_id = r.id),
       r.residence_status, r.contact_preference, r.disability, r.registered_address, r.notes
FROM resident r JOIN community c ON c.id = r.community_id
LEFT JOIN household h ON h.id = r.household_id
WHERE r.id IN ({marks})
"""


@dataclass(frozen=True)
class ResidentFilter:
    text: str = ""
    community_id: int | None = None
    building_id: int | None = None
    tag_id: int | None = None
    residence_status: str = ""
    sort_key: str = "name"
    descending: bool = False



def _where(flt: ResidentFilter) -> tuple[str, list]:
    clauses, params = [], []
    query = normalize_query(flt.text)
    if query:
        # the search keys hold name, initials, full pinyin, ID, phone and address
        clauses.append(f"r.id IN (SELECT resident_id FROM resident_search WHERE {glob('text')})")
        params.append(contains(query))
    if flt.community_id:
        clauses.append("r.community_id = ?")
        params.append(flt.community_id)
    if flt.building_id:
        clauses.append("r.building_id = ?")
        params.append(flt.building_id)
    if flt.tag_id:
        clauses.append("EXISTS (SELECT 1 FROM resident_tag rt WHERE rt.resident_id = r.id AND rt.tag_id = ?)")
        params.append(flt.tag_id)
    if flt.residence_status:
        clauses.append("r.residence_status = ?")
        params.append(flt.residence_status)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def search_ids(flt: ResidentFilter, limit: int | None = None, within: list[int] | None = None,
               keys: SearchKeys | None = None) -> list[int]:
    """Ids of the residents matching the filter, in the requested order (sorted in SQL).

    With `limit`, only the first ids: a window shows them at once and fetches the rest after. With `within` (a few
    hundred ids at most: the whole previous result, when this filter can only match fewer, as one more character
    typed), only those ids are looked at, by primary key, instead of a scan of 100,000 search keys. With `keys`
    (the search keys in memory, read since the residents last changed: resident_keys.py), a text alone in name
    order is looked for there unless `within` is given: the same ids, found in a few milliseconds."""
    if within is not None and not within:
        return []
    text = normalize_query(flt.text)
    inside = f"resident_id IN ({','.join('?' * len(within))}) AND " if within is not None else ""
    if text and flt.sort_key == "name" and not (flt.community_id or flt.building_id or flt.tag_id
                                                 or flt.residence_status):
        if keys is not None and within is None:  # (a few hundred ids by primary key are quicker still)
            return keys.find(text, limit, flt.descending)
        # name order straight from the covering index (sort_key, text): stops after `limit` matches
        # (PostgreSQL: the matches found first, by the trigram index from 3 characters, then sorted: dialect)
        if limit is not None and within is None and len(text) < 3 and is_postgres():
            first = _first_in_name_order(text, limit, flt.descending)
            if first is not None:
                return first
        direction = " DESC" if flt.descending else ""
        sql = (f"SELECT resident_id FROM resident_search WHERE {inside}{glob('text')} "
               f"ORDER BY {binary_order('sort_key')}{direction}, resident_id{direction}")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with search_costs():
            return [row[0] for row in db_proxy.execute_sql(sql, [*(within or ()), contains(text)]).fetchall()]
    where, params = _where(flt)
    if within is not None:
        where = (where + " AND " if where else " WHERE ") + "r." + inside[:-5].replace("resident_id", "id", 1)
        params = [*params, *within]
    column = SORT_SQL.get(flt.sort_key, "r.name_pinyin")
    if text and flt.sort_key not in ("age", "community"):  # a text column (PostgreSQL: see dialect.binary_order)
        column = binary_order(column)
    order = order_term(column, flt.descending)
    join = " LEFT JOIN household h ON h.id = r.household_id" if "h." in order else ""
    sql = f"SELECT r.id FROM resident r{join}{where} ORDER BY {order}, r.id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    with search_costs():
        return [row[0] for row in db_proxy.execute_sql(sql, params).fetchall()]


WALK_KEYS = 20_000  # search keys read in name order before a short fragment is searched by a scan instead


def _first_in_name_order(text: str, limit: int, descending: bool) -> list[int] | None:
    """PostgreSQL, a fragment of one or two characters (no trigram to find it by): its first `limit` matches are
    looked for among the first WALK_KEYS search keys in name order (index resident_search_walk, migration 21).
    When that many are there, no match can come before them: they are the answer (1-2 ms for 'w', '19', 'zh' at
    100,000 residents, against 17-20 ms for a scan of every key). Else None, and the caller scans (a rare fragment
    such as 王洋: about 4 ms more). The database sorts in code-point order (C collation, core/server_db.py)."""
    d = " DESC" if descending else ""
    rows = db_proxy.execute_sql(
        f"SELECT resident_id FROM (SELECT resident_id, text, sort_key FROM resident_search "
        f"ORDER BY sort_key{d}, resident_id{d} LIMIT {WALK_KEYS}) first_keys "
        f"WHERE {glob('text')} ORDER BY sort_key{d}, resident_id{d} LIMIT {int(limit)}", [contains(text)]).fetchall()
    return [row[0] for row in rows] if len(rows) == limit else None


def count_all() -> int:
    return db_proxy.execute_sql("SELECT COUNT(*) FROM resident").fetchone()[0]


def load_rows(ids: list[int], today: dt.date | None = None, *, mask: bool | None = None) -> dict[int, tuple]:
    """Display rows for these ids: {id: tuple in COLUMNS order}.

    ID number and phone come masked unless this session may see them in full: by default as lists and
    printed sheets show them (role and the office's 列表显示完整身份证号); mask=False (an export the person
    chose to make in full) still masks them for a role that may not see full numbers."""
    today = today or dt.date.today()
    mask = office_settings.masks(mask)
    out: dict[int, tuple] = {}
    ages: dict = {}  # by birth date: residents share them (an export of 100,000 reads each date three times)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        sql = _row_sql(",".join("?" * len(chunk)))
        for row in db_proxy.execute_sql(sql, chunk):
            birth = row[3]
            age = ages.get(birth)
            if age is None:
                day = dt.date.fromisoformat(birth) if isinstance(birth, str) and birth else birth
                age = ages[birth] = age_on(day, today) if day else ""
            shown = (row[1], row[2], age, row[4] or "", row[5], row[6], row[7], row[8] or "", row[9],
                     row[10] or "", row[11], row[12], row[13], row[14], row[15])
            out[row[0]] = mask_row(shown) if mask else shown
    return out


_ID_COL, _PHONE_COL = COLUMN_KEYS.index("id_number"), COLUMN_KEYS.index("phone")


def mask_row(row: tuple) -> tuple:
    """The row with ID number and phone masked (110111********1234, 138****5678)."""
    return mask_columns(row, _ID_COL, _PHONE_COL)


def full_ids_shown() -> bool:
    """Lists and printed sheets show full ID numbers and phones only to staff roles, and only if the office allows."""
    return office_settings.full_ids_shown()


def iter_rows(ids: list[int], block: int = 2000, mask: bool | None = None) -> Iterator[tuple]:
    """All rows for ids in that order, read block by block (for exports and printing); `mask` as in load_rows."""
    for start in range(0, len(ids), block):
        chunk = ids[start:start + block]
        rows = load_rows(chunk, mask=mask)
        for rid in chunk:
            if rid in rows:
                yield rows[rid]


def get_form(resident_id: int) -> dict:
    """The stored values of one resident, as the form shows them."""
    r = Resident.get_by_id(resident_id)
    tags = [t.name for t in Tag.select().join(ResidentTag).where(ResidentTag.resident == r.id).order_by(Tag.sort_order)]
    return {
        "name": r.name, "gender": r.gender, "id_number": r.id_number or "",
        "birth_date": r.birth_date.isoformat() if r.birth_date else "", "phone": r.phone,
        "community_id": r.community_id, "building": r.building.name if r.building_id else "",
        "unit": r.unit, "room": r.room, "address": "" if r.building_id else r.address,
        "household_number": r.household.number if r.household_id else "", "relation_to_head": r.relation_to_head,
        "registered_address": r.registered_address, "same_as_registered": r.same_as_registered,
        "residence_status": r.residence_status, "contact_preference": r.contact_preference,
        "disability": r.disability, "tags": tags, "notes": r.notes, "version": r.version,
    } | ({} if session.current.can_see_full_ids else  # a read-only session sees the form, not the full numbers
         {"id_number": mask_id(r.id_number or ""), "phone": mask_phone(r.phone or "")})


def _duplicate_message(other: Resident) -> str:
    return f"身份证号已登记给 {other.name}（{other.community.name} {other.address or '无住址'}），不能重复登记"


def find_by_id_number(id_number: str) -> Resident | None:
    return Resident.get_or_none(Resident.id_number == id_number)


STORED_FIELDS = ("name", "gender", "id_number", "birth_date", "phone", "unit", "room", "floor", "address",
                 "relation_to_head", "registered_address", "same_as_registered", "residence_status",
                 "contact_preference", "disability", "notes", "name_initials", "name_pinyin")


def save(raw: dict, resident_id: int | None = None, loaded: dict | None = None) -> int:
    """Validate and store one resident (new when resident_id is None). `loaded`: the get_form the form was filled
    from; its changes are written over the version it loaded (record_versions). Raises FormErrors, EditConflict."""
    session.require_write()
    values = clean_resident(raw)
    with transaction():
        if resident_id is not None:
            # locked: another PC saving this resident now waits, so their tags are not written twice
            edit = record_versions.begin(Resident, TABLE, resident_id, raw, loaded, get_form)
            if edit.merged:
                values = clean_resident(edit.raw)
        if values["id_number"]:
            other = find_by_id_number(values["id_number"])
            if other is not None and other.id != resident_id:
                raise FormErrors({"id_number": _duplicate_message(other)})
        community_id = int(values["community_id"])
        building_id = None
        if values["building"]:
            building_id = Building.get_or_create(community=community_id, name=values["building"])[0].id
        household_id = None
        if values["household_number"]:
            household_id = Household.get_or_create(
                community=community_id, number=values["household_number"],
                defaults={"building": building_id, "unit": values["unit"], "room": values["room"]},
            )[0].id
        row = {k: values[k] for k in STORED_FIELDS}
        row.update(community=community_id, building=building_id, household=household_id)
        if resident_id is None:
            resident = _written(values, lambda: Resident.create(**row))
            audit.record("新增", TABLE, resident.id, f"新增居民 {values['name']}")
        else:
            resident = Resident(id=resident_id)
            changes = audit.diff(edit.theirs, {k: v for k, v in _form_view(values).items() if k in edit.theirs})
            _written(values, lambda: record_versions.update_versioned(Resident, resident_id, row, edit.version,
                                                                      moved="tags" in changes), resident_id)
            audit.record("修改", TABLE, resident_id, f"修改居民 {values['name']}", changes)
        _set_tags(resident.id, values["tags"])
        ResidentSearch.insert(resident=resident.id, text=values["search_text"], sort_key=values["name_pinyin"]).on_conflict(
            conflict_target=[ResidentSearch.resident],
            update={ResidentSearch.text: values["search_text"], ResidentSearch.sort_key: values["name_pinyin"]}).execute()
    return resident.id


def _written(values: dict, write, resident_id: int | None = None):
    """write() in a savepoint; when another PC registered the same ID number a moment ago (after the check above,
    before this write), the form's message instead of the database's error."""
    try:
        with transaction():
            return write()
    except IntegrityError:
        other = find_by_id_number(values["id_number"]) if values["id_number"] else None
        if other is None or other.id == resident_id:
            raise
        raise FormErrors({"id_number": _duplicate_message(other)}) from None


def _form_view(values: dict) -> dict:
    view = dict(values)
    view["id_number"] = values["id_number"] or ""
    view["birth_date"] = values["birth_date"].isoformat() if values["birth_date"] else ""
    return view


def _set_tags(resident_id: int, names: list[str]) -> None:
    ResidentTag.delete().where(ResidentTag.resident == resident_id).execute()
    for name in names:
        tag, _ = Tag.get_or_create(name=name)
        ResidentTag.create(resident=resident_id, tag=tag.id)


def delete(resident_ids: list[int]) -> int:
    """Delete residents; a household left without members is deleted with its last member."""
    session.require_write()
    with transaction():
        rows = list(Resident.select(Resident.id, Resident.name, Resident.household).where(
            Resident.id.in_(resident_ids)).tuples())
        for rid, name, _household in rows:
            audit.record("删除", TABLE, rid, f"删除居民 {name}")
        Resident.delete().where(Resident.id.in_([r[0] for r in rows])).execute()
        households = {r[2] for r in rows if r[2]}
        emptied = [h for h in households if not Resident.select().where(Resident.household == h).exists()]
        if emptied:
            Household.delete().where(Household.id.in_(emptied)).execute()
    return len(rows)


def household_members(community_id: int | None, number: str, exclude: int | None = None) -> list[tuple[str, str]]:
    """(name, relation) of the residents registered under a 户号, head first."""
    if not community_id or not number.strip():
        return []
    query = (Resident.select(Resident.name, Resident.relation_to_head).join(Household)
             .where((Household.community == community_id) & (Household.number == number.strip())))
    if exclude:
        query = query.where(Resident.id != exclude)
    members = list(query.tuples())
    return sorted(members, key=lambda m: (m[1] != "户主", m[0]))


def list_tags() -> list[tuple[int, str]]:
    return [(t.id, t.name) for t in Tag.select().order_by(Tag.sort_order, Tag.id)]


def add_tag(name: str) -> int:
    """An office's own 人员类别 (e.g. 失独家庭). Raises ValidationError."""
    session.require_write()
    name = clean_text(name, max_length=20, field_label="人员类别")
    if not name:
        raise ValidationError("请填写人员类别名称")
    if Tag.select().where(Tag.name == name).exists():
        raise ValidationError(f"人员类别“{name}”已经有了")
    with transaction():
        try:
            with transaction():  # a savepoint: another PC may add the same name at this moment
                tag = Tag.create(name=name, builtin=False)
        except IntegrityError:
            raise ValidationError(f"人员类别“{name}”已经有了") from None
        audit.record("新增", "tag", tag.id, f"新增人员类别 {name}")
    return tag.id
