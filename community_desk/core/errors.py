"""Errors that windows catch without loading what raises them: the database error of the start-up (before the
model layer, peewee and the models, is loaded), a cancelled export (before openpyxl is) and a form's save that
met another person's change of the same record (EditConflict)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


class DatabaseError(RuntimeError):
    """The database cannot be used; the message is plain Chinese."""


class ExportCancelled(Exception):
    """The user cancelled an export; nothing was written."""


@dataclass(frozen=True)
class Clash:
    """One field two people changed to different values since the form was loaded: its label (core.vocabulary),
    both values as stored and as a person reads them, and who changed it on the other side, when (the audit log)."""
    field: str
    label: str
    mine: object
    theirs: object
    mine_text: str
    theirs_text: str
    who: str = ""
    when: dt.datetime | None = None


class EditConflict(Exception):
    """A form's save found the record changed by someone else in the same fields (core/queries/record_versions.py).
    `theirs` is the record as stored now (with its version), `taken` the fields only they changed (the form shows
    theirs), `clashes` the fields both changed. Nothing was written."""

    def __init__(self, table: str, record_id: int, clashes: list[Clash], theirs: dict, taken: list[str]):
        super().__init__("、".join(c.label for c in clashes) + " 已被别人修改")
        self.table, self.record_id = table, record_id
        self.clashes, self.theirs, self.taken = clashes, theirs, taken
