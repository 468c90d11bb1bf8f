"""Server mode, first steps (issue 17): the model layer on PostgreSQL, and SQLite mode untouched by it.

The PostgreSQL tests run against $COMMUNITY_DESK_TEST_PG (.ci/run starts a throwaway cluster with
tools/pg_throwaway.sh and sets it) and skip with the reason when it is not set. The rest of the core suite runs on
PostgreSQL too (DESK_TEST_ENGINE=postgres, tests/pg_engine.py).
"""
from __future__ import annotations

import os
import subprocess
import sys

import peewee
import pytest
from peewee import sort_models

from community_desk.core import session
from community_desk.core.db import close_database, model_classes, open_database

PG_URL = os.environ.get("COMMUNITY_DESK_TEST_PG", "")
SKIP_REASON = os.environ.get("COMMUNITY_DESK_TEST_PG_SKIP") or (
    "COMMUNITY_DESK_TEST_PG is not set: no PostgreSQL for this run (.ci/run starts one with tools/pg_throwaway.sh)")

needs_pg = pytest.mark.skipif(not PG_URL, reason=SKIP_REASON)


@pytest.fixture(scope="module")
def pg_fresh():
    """The test database emptied (its public schema dropped and made again), then opened: the tables come from
    the models."""
    psycopg = pytest.importorskip("psycopg", reason="the server extra is not installed: pip install -e '.[server]'")
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    database = open_database(PG_URL)
    yield database
    close_database()


@pytest.fixture
def pg_db(pg_fresh):
    """The PostgreSQL database with every table emptied (DELETE: TRUNCATE takes ~1.2 s, NOTES.md)."""
    from community_desk.core.models.base import db_proxy

    db_proxy.initialize(pg_fresh)
    if pg_fresh.in_transaction():
        pg_fresh.rollback()
    with pg_fresh.atomic():
        for model in reversed(sort_models(model_classes())):
            model.delete().execute()
    session.current = session.Session(user="测试员", role="管理员")
    yield pg_fresh
    if pg_fresh.in_transaction():
        pg_fresh.rollback()


@pytest.fixture
def pg_community(pg_db):
    from community_desk.core.queries import communities

    [cid] = communities.ensure_communities(["原乡小镇"])
    return cid


def test_sqlite_mode_never_imports_psycopg(tmp_path):
    """With the server extra installed, peewee would import psycopg at its own import (~200 ms more at start-up):
    community_desk keeps it out (core/dialect.py) until a postgresql:// URL is opened, also with every page of the
    window, the server start-up and the live updates loaded."""
    code = ("import sys, community_desk.core.db as d, community_desk.app, community_desk.core.queries.residents\n"
            f"d.open_database({str(tmp_path / 'desk.db')!r}); d.close_database()\n"
            "import community_desk.gui.startup, community_desk.gui.server_startup, community_desk.gui.live_updates\n"
            "from community_desk.gui.main_window import PAGES\n"
            "[page.load() for page in PAGES]  # every page's modules, as the window loads them\n"
            "print('psycopg' in sys.modules, 'psycopg2' in sys.modules)")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_import_of_core_db_alone_does_not_import_psycopg():
    code = "import community_desk.core.db, sys; print('psycopg' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_server_url_is_told_from_a_file_path():
    from community_desk.core.dialect import is_server_url

    assert is_server_url("postgresql://desk@server/desk")
    assert is_server_url("postgres://desk@server/desk")
    assert not is_server_url("/home/office/community_desk.db")
    assert not is_server_url("postgresql.db")


@needs_pg
def test_schema_creates_from_the_models_with_c_collation(pg_db):
    tables = set(pg_db.get_tables())
    assert {model._meta.table_name for model in model_classes()} <= tables
    assert len(model_classes()) == 41
    collation = pg_db.execute_sql(
        "SELECT datcollate FROM pg_database WHERE datname = current_database()").fetchone()[0]
    assert collation in ("C", "POSIX", "C.UTF-8", "C.utf8")
    names = ["阿明", "李秀英", "王洋", "张伟"]
    rows = pg_db.execute_sql(
        "SELECT n FROM unnest(%s::text[]) AS n ORDER BY n", (["张伟", "王洋", "李秀英", "阿明"],)).fetchall()
    assert [r[0] for r in rows] == sorted(names)  # code-point order, as SQLite: not by pinyin


@needs_pg
def test_query_builder_works_unchanged(pg_community):
    """Communities are written and read with peewee's query builder only: that already works on PostgreSQL."""
    from community_desk.core.models import Community

    assert [c.name for c in Community.select()] == ["原乡小镇"]
    assert Community.get_by_id(pg_community).name == "原乡小镇"


@needs_pg
def test_resident_save_on_postgres(pg_community):
    from community_desk.core.queries import residents

    rid = residents.save({"name": "张伟", "community_id": pg_community, "phone": "13800138000"})
    assert residents.search_ids(residents.ResidentFilter(text="张")) == [rid]
    assert residents.load_rows([rid])[rid]


def _stored_resident(community_id: int) -> int:
    """A resident and its search keys written with the query builder (as residents.save would, without its
    SQLite-only upsert)."""
    from community_desk.core.models import Resident, ResidentSearch

    resident = Resident.create(name="张伟", community=community_id, phone="13800138000",
                               name_initials="zw", name_pinyin="zhangwei")
    ResidentSearch.insert(resident=resident.id, text="张伟 zw zhangwei 13800138000", sort_key="zhangwei").execute()
    return resident.id


@needs_pg
def test_resident_search_on_postgres(pg_community):
    from community_desk.core.queries import residents

    rid = _stored_resident(pg_community)
    assert residents.search_ids(residents.ResidentFilter(text="张")) == [rid]


@needs_pg
def test_resident_rows_on_postgres(pg_community):
    from community_desk.core.queries import residents

    rid = _stored_resident(pg_community)
    assert residents.load_rows([rid])[rid]


@needs_pg
def test_a_connection_the_server_ended_is_replaced_on_the_next_statement(pg_community):
    """The server restarted (here: this connection terminated by another): the statement that finds it dead fails,
    the next one connects again and works, without restarting the program."""
    import psycopg

    from community_desk.core.models import Community
    from community_desk.core.models.base import db_proxy

    pid = db_proxy.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    with psycopg.connect(PG_URL, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(peewee.OperationalError):
        db_proxy.execute_sql("SELECT 1")
    assert [c.name for c in Community.select()] == ["原乡小镇"]
    assert db_proxy.execute_sql("SELECT pg_backend_pid()").fetchone()[0] != pid
