"""Two people, one record (issue 18): the one way a form's save of an existing record is written.

A form keeps the record as it loaded it (the module's `get_form`, with the record's `version`). Its save, inside the
module's write transaction:

* `begin` reads the record again, locked (SELECT … FOR UPDATE on PostgreSQL; SQLite has one writer). Still at the
  version the form loaded: the form's values are stored as they are, as before. At a newer version (someone saved
  it meanwhile): the fields this person changed (the form's values against the loaded ones) go on top of the record
  as it is now; a field both changed, to different values, is a clash: `EditConflict` lists each with its label,
  both values and who changed it when (the audit log), and nothing is written.
* the module cleans and checks those values as it always did and builds its row;
* `update_versioned` writes only the columns whose value differs from the stored one:
  `UPDATE … SET those…, version = version + 1 WHERE id = ? AND version = ?` with the version just read.

The audit line the module writes compares the record as stored before the save with what it wrote, so it lists
only the fields actually written. A save without a loaded record (imports, commands) checks no version.
Every other UPDATE of these tables moves the version on too (models.base.VersionedModel).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from .. import vocabulary
from ..dialect import locked
from ..errors import Clash, EditConflict
from ..rules.text import ValidationError
from . import audit

VERSION = "version"
GONE = "这条记录已被删除（可能是在别的电脑上），不能再保存"
MOVED = "这条记录刚被别人保存过，请再保存一次"


@dataclass(frozen=True)
class Edit:
    """One save of a stored record: `raw` the values to clean and store, `theirs` the record as stored before this
    save (as get_form shows it, without its version), `version` its version, which the UPDATE checks."""
    raw: dict
    theirs: dict
    version: int
    merged: bool  # raw is this person's changes on top of a newer record than the form loaded


def same(stored, typed) -> bool:
    """Whether a form's value is the stored one, as the audit log compares them, and as a form shows them: a yes/no
    as 是/否, a time to the minute (2026-06-05 09:30)."""
    for a, b in ((stored, typed), (typed, stored)):
        if isinstance(a, bool) and isinstance(b, str) and b in (vocabulary.YES, vocabulary.NO):
            return a == (b == vocabulary.YES)
        if isinstance(a, dt.datetime) and isinstance(b, str) and len(b.strip()) == 16:
            return f"{a:%Y-%m-%d %H:%M}" == b.strip()
    return audit.same(stored, typed)


def changed(loaded: dict, values: dict) -> list[str]:
    """The fields of `values` whose value differs from the loaded one."""
    return [key for key, value in values.items() if key != VERSION and key in loaded and not same(loaded[key], value)]


def begin(model, table: str, record_id: int, raw: dict, loaded: dict | None,
          read: Callable[[int], dict]) -> Edit:
    """The values to store for a form's save of record_id: raw itself when the record is at the version the form
    loaded (or no version was loaded), else raw's changes on top of the record as it is now. Raises EditConflict
    when a field was changed on both sides to different values, ValidationError when the record is gone."""
    row = locked(model.select(model.id, model.version).where(model.id == record_id)).first()
    if row is None:
        raise ValidationError(GONE)
    theirs = {k: v for k, v in read(record_id).items() if k != VERSION}
    if loaded is None or loaded.get(VERSION) == row.version:
        return Edit(raw, theirs, row.version, merged=False)
    mine = changed(loaded, raw)
    moved = set(changed(loaded, theirs))
    clashes = [key for key in mine if key in moved and not same(theirs.get(key), raw[key])]
    if clashes:
        raise EditConflict(table, record_id, [clash(table, record_id, key, raw[key], theirs.get(key)) for key in clashes],
                           {**theirs, VERSION: row.version}, sorted(moved - set(mine)))
    merged = {**raw, **{key: theirs[key] for key in raw if key in theirs and key not in mine}}
    return Edit(merged, theirs, row.version, merged=True)


def clash(table: str, record_id: int, field: str, mine, theirs) -> Clash:
    mine_text, theirs_text = audit.show_values(table, field, [mine, theirs])
    who, when = audit.last_change(table, record_id, field)
    if not who and field.endswith("_ids"):  # members kept as ids in the form are logged by name: volunteers
        who, when = audit.last_change(table, record_id, field[:-4] + "s")
    return Clash(field, vocabulary.field_label(table, field) or field, mine, theirs, mine_text, theirs_text,
                 who, when)


def update_versioned(model, record_id: int, row: dict, version: int, moved: bool = False) -> dict:
    """Write the columns of `row` ({field name: value}) whose value differs from the stored one, and move the
    version on, only if the record is still at `version`; the columns written ({} when none differs). `moved`: a
    part of the record kept in another table changed (a resident's tags): the version moves on all the same."""
    stored = model.select().where(model.id == record_id).first()
    if stored is None:
        raise ValidationError(GONE)
    fields = model._meta.fields
    written = {name: value for name, value in row.items()
               if fields[name].db_value(value) != fields[name].db_value(stored.__data__.get(name))}
    if not written and not moved:
        return {}
    stamp = {"updated_at": dt.datetime.now().replace(microsecond=0)} if "updated_at" in fields else {}
    count = (model.update(**written, **stamp, version=model.version + 1)
             .where((model.id == record_id) & (model.version == version)).execute())
    if count != 1:  # cannot happen after begin's locked read; if it does, nothing is overwritten
        raise ValidationError(MOVED)
    return written
