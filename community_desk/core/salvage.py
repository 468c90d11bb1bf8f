"""Salvage from a damaged database: what is still readable, put into the restored one where that is safe.

A damaged file is read table by table, in rowid ranges; a range that cannot be read is halved until the single
unreadable rows are skipped. A row goes into the restored database only when the restored database has no row
with its primary key (the backup lacked it): nothing in the restored database is overwritten. A row whose
foreign key points to a row not there (yet) waits for the other tables and is tried again; one that never fits
(a unique number taken since, a parent lost) is left out. Qt-free and peewee-free: plain sqlite3 connections.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from .backup import read_only

BLOCK = 1000
SKIPPED_TABLES = {"schema_version"}


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "AND name NOT LIKE 'sqlite_%' ORDER BY rootpage")]


def _columns(conn: sqlite3.Connection, table: str) -> tuple[list[str], list[str]]:
    """(columns, primary-key columns) of a table."""
    info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    return [r[1] for r in info], [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5] > 0]


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def _bound(conn: sqlite3.Connection, sql: str, default: int) -> int:
    try:
        value = conn.execute(sql).fetchone()[0]
    except sqlite3.DatabaseError:
        return default
    return value if isinstance(value, int) else default


def readable_rows(conn: sqlite3.Connection, table: str, columns: list[str], fallback_max: int) -> Iterator[tuple]:
    """The rows of a table that can be read, in rowid order, skipping unreadable pages."""
    select = f'SELECT {_quoted(columns)} FROM "{table}" WHERE rowid BETWEEN ? AND ?'
    low = _bound(conn, f'SELECT MIN(rowid) FROM "{table}"', 1)
    high = _bound(conn, f'SELECT MAX(rowid) FROM "{table}"', fallback_max)

    def read(lo: int, hi: int) -> Iterator[tuple]:
        try:
            rows = conn.execute(select, (lo, hi)).fetchall()
        except sqlite3.DatabaseError:
            if lo == hi:
                return  # an unreadable row
            middle = (lo + hi) // 2
            yield from read(lo, middle)
            yield from read(middle + 1, hi)
            return
        yield from rows

    for start in range(low, high + 1, BLOCK):
        yield from read(start, min(start + BLOCK - 1, high))


def salvage(damaged: Path, restored: sqlite3.Connection) -> dict[str, int]:
    """Copy the readable rows of `damaged` whose primary key `restored` lacks into `restored` (under a savepoint:
    all or none). Returns {table: rows salvaged} for the tables that gained rows; {} when nothing is readable."""
    try:
        with read_only(damaged) as source:
            waiting = _missing_rows(source, restored)
    except sqlite3.DatabaseError:
        return {}
    counts: dict[str, int] = {}
    restored.execute("SAVEPOINT salvage")
    try:
        while waiting:  # parents before children, whatever the order of the tables
            left = []
            for table, insert, row in waiting:
                try:
                    restored.execute(insert, row)
                except sqlite3.IntegrityError:
                    left.append((table, insert, row))
                    continue
                counts[table] = counts.get(table, 0) + 1
            if len(left) == len(waiting):
                break
            waiting = left
    except BaseException:
        restored.execute("ROLLBACK TO salvage")
        restored.execute("RELEASE salvage")
        raise
    restored.execute("RELEASE salvage")
    return counts


def _missing_rows(source: sqlite3.Connection, restored: sqlite3.Connection) -> list[tuple[str, str, tuple]]:
    """(table, insert statement, row) of each readable row of `source` whose key `restored` lacks."""
    source_tables = set(_tables(source))
    out = []
    for table in _tables(restored):
        if table in SKIPPED_TABLES or table not in source_tables:
            continue
        columns, keys = _columns(restored, table)
        try:
            source_columns = set(_columns(source, table)[0])
        except sqlite3.DatabaseError:
            continue
        columns = [c for c in columns if c in source_columns]
        if not keys or not set(keys) <= set(columns):
            continue
        exists = f'SELECT 1 FROM "{table}" WHERE ' + " AND ".join(f'"{k}" = ?' for k in keys)
        insert = f'INSERT INTO "{table}" ({_quoted(columns)}) VALUES ({", ".join("?" * len(columns))})'
        key_at = [columns.index(k) for k in keys]
        fallback = _bound(restored, f'SELECT MAX(rowid) FROM "{table}"', 0) + 100_000
        try:
            for row in readable_rows(source, table, columns, fallback):
                if restored.execute(exists, [row[i] for i in key_at]).fetchone() is None:
                    out.append((table, insert, row))
        except sqlite3.DatabaseError:
            continue  # a table without rowid, or one whose description cannot be read
    return out
