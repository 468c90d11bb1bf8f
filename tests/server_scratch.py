"""A scratch server database for tests of server mode (issue 17): the PostgreSQL test database
(COMMUNITY_DESK_TEST_PG) with its public schema dropped and made again, so that the program finds it empty; the
test skips with the reason when the variable is not set (tests/pg_engine.server_url)."""
from __future__ import annotations


def scratch_server_url() -> str:
    import psycopg

    from tests.pg_engine import server_url

    url = server_url()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return url
