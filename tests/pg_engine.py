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


def database_copies(prepare, count: int) -> list[str]:
    """`count` server databases, each a copy of one that `prepare(url)` filled (CREATE DATABASE … TEMPLATE: a
    file copy on the server, much faster than filling each): for tests whose children must not see each other's
    writes. Made afresh each run; returns their URLs."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    url = server_url()
    base = conninfo_to_dict(url).get("dbname", "desk_test")
    names = [f"{base}_copy{n}" for n in range(count)]
    template = f"{base}_template"
    with psycopg.connect(url, autocommit=True) as conn:
        for name in [template, *names]:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{template}" TEMPLATE template0 ENCODING \'UTF8\' LC_COLLATE \'C\' '
                     "LC_CTYPE 'C.UTF-8'")
        prepare(_as_url(url, template))
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return [_as_url(url, name) for name in names]


def _as_url(url: str, dbname: str) -> str:
    """The test URL with another database name (a postgresql:// URL, so that the program takes it as one)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + dbname))
