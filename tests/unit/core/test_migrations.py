"""Schema versions: a new database, an older database with data, a database from a newer program."""
import sqlite3

import pytest

from community_desk.core.db import NewerSchemaError, close_database, open_database, schema_version
from community_desk.core.migrations import LATEST_VERSION


def tables(path):
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_empty_database_reaches_latest_version(db_path):
    db = open_database(db_path)
    assert schema_version(db) == LATEST_VERSION
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    close_database()
    assert {"resident", "household", "setting", "audit_log", "schema_version"} <= tables(db_path)


def test_version_1_database_with_data_opens_in_newer_program(db_path):
    db = open_database(db_path, upto=1)
    assert schema_version(db) == 1
    db.execute_sql("INSERT INTO community (name) VALUES ('原乡小镇')")
    db.execute_sql("INSERT INTO resident (created_at, updated_at, name, community_id) "
                   "VALUES ('2021-08-01', '2021-08-01', '王洋', 1)")
    close_database()
    assert "setting" not in tables(db_path)

    db = open_database(db_path)
    assert schema_version(db) == LATEST_VERSION
    assert db.execute_sql("SELECT name FROM resident").fetchall() == [("王洋",)]
    assert "setting" in tables(db_path)
    close_database()


def test_database_from_newer_program_is_refused(db_path):
    db = open_database(db_path)
    db.execute_sql("INSERT INTO schema_version (version) VALUES (?)", (LATEST_VERSION + 5,))
    close_database()
    with pytest.raises(NewerSchemaError, match="更新版本"):
        open_database(db_path)
    close_database()
