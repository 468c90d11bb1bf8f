"""Version 15: pinyin keys read from the whole name, every reading in use indexed (issue 16).

Keys stored before read each character alone (王长春 was only 'wzc'). This recomputes, with rules.pinyin as it is
now, the stored keys of residents (name_initials, name_pinyin and their row in resident_search), volunteers, and
quarantine cases not yet anonymised (their search_text). The schema does not change. Unlike the other migrations
this one calls Python: the keys are what the program computes on save, and they must be the same.
"""
from __future__ import annotations

from peewee import Database

from ..rules.pinyin import name_keys
from ..rules.quarantine_case import search_text as case_search_text
from ..rules.resident import search_text_for

VERSION = 15
BATCH = 2000


def _batches(cursor):
    """All rows read first (the updates below change the table being read), then handed out in batches."""
    rows = cursor.fetchall()
    for start in range(0, len(rows), BATCH):
        yield rows[start:start + BATCH]


def apply(db: Database) -> None:
    conn = db.connection()
    residents = conn.execute('SELECT "id", "name", "id_number", "phone", "address" FROM "resident"')
    for rows in _batches(residents):
        keys, search = [], []
        for resident_id, name, id_number, phone, address in rows:
            initials, pinyin = name_keys(name or "")
            keys.append((initials, pinyin, resident_id))
            search.append((search_text_for(name or "", initials, pinyin, id_number, phone or "", address or ""),
                           pinyin, resident_id))
        conn.executemany('UPDATE "resident" SET "name_initials" = ?, "name_pinyin" = ? WHERE "id" = ?', keys)
        conn.executemany('INSERT OR REPLACE INTO "resident_search" ("text", "sort_key", "resident_id") VALUES (?, ?, ?)',
                         search)

    volunteers = conn.execute('SELECT "id", "name" FROM "volunteer"')
    for rows in _batches(volunteers):
        conn.executemany('UPDATE "volunteer" SET "name_initials" = ?, "name_pinyin" = ? WHERE "id" = ?',
                         [(*name_keys(name or ""), volunteer_id) for volunteer_id, name in rows])

    cases = conn.execute('SELECT "id", "name", "id_number", "phone", "address" FROM "quarantine_case" '
                         'WHERE "anonymised_at" IS NULL')
    for rows in _batches(cases):
        conn.executemany('UPDATE "quarantine_case" SET "search_text" = ? WHERE "id" = ?',
                         [(case_search_text(name or "", id_number, phone or "", address or ""), case_id)
                          for case_id, name, id_number, phone, address in rows])
