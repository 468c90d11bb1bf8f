"""The core suite on PostgreSQL (DESK_TEST_ENGINE=postgres, COMMUNITY_DESK_TEST_PG from .ci/run): the `db`
fixture gets the throwaway server's database, made once a run from the PostgreSQL migrations and emptied before
each test with DELETE (20-100 ms; TRUNCATE takes ~1.2 s, NOTES.md), its id sequences restarted and the
baseline's seeds written again, so that each test starts as on a new SQLite file."""
from __future__ import annotations

import os

import pytest

_made = False


def server_url() -> str:
    url = os.environ.get("COMMUNITY_DESK_TEST_PG", "")
    if not url:
        pytest.skip(os.environ.get("COMMUNITY_DESK_TEST_PG_SKIP") or "COMMUNITY_DESK_TEST_PG is not set")
    return url


def emptied_server_database():
    global _made
    import psycopg
    from peewee import sort_models

    from community_desk.core.db import model_classes, open_database
    from community_desk.core.migrations.postgres import seed

    url = server_url()
    if not _made:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
        _made = True
    database = open_database(url)
    with database.atomic():
        for model in reversed(sort_models(model_classes())):
            model.delete().execute()
        for (sequence,) in database.execute_sql(
                "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public'").fetchall():
            database.execute_sql(f'ALTER SEQUENCE "{sequence}" RESTART')
        seed(database)
    return database
