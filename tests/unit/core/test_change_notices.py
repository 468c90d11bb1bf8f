"""Live updates between PCs (issue 18), without Qt: the trigger's notice, the listener on its own connection (a
colleague's change delivered, this program's own not), a notice missed while the listener was away caught up from
the audit id, who else is working. The server parts need the PostgreSQL test database (COMMUNITY_DESK_TEST_PG)
and skip with the reason without it; the colleague is a real second process (tests/colleague.py)."""
from __future__ import annotations

import threading
import time

import pytest

from community_desk.core import change_notices, session
from community_desk.core.change_notices import Change, ChangeTracker, parse_notice
from community_desk.core.db import close_database, open_database, schema_version
from community_desk.core.migrations import LATEST_VERSION, MIGRATIONS
from community_desk.core.migrations.postgres import PG_MIGRATIONS
from community_desk.core.migrations.postgres import change_notices as notices_step
from community_desk.core.models import AuditLog
from community_desk.core.queries import communities, residents
from tests.colleague import Colleague


def test_a_notice_names_the_table_the_record_and_the_audit_line():
    assert parse_notice("resident:12:345") == ("resident", 12, 345)
    assert parse_notice("settings::7") == ("settings", None, 7)
    assert parse_notice("nonsense") is None and parse_notice("a:b:c") is None


def test_the_tracker_reports_each_line_once_and_reads_again_below_the_highest():
    tracker = ChangeTracker(start_after=10)
    assert tracker.fresh([Change(9, "resident", 1), Change(11, "resident", 2)]) == [Change(11, "resident", 2)]
    assert tracker.fresh([Change(11, "resident", 2)]) == []
    assert tracker.catch_up_from() == 10  # never before the start
    tracker.fresh([Change(5000, "resident", 3)])
    assert tracker.catch_up_from() == 5000 - change_notices.OVERLAP
    late = Change(4500, "facility", 4)  # took its id earlier, committed later: still news
    assert tracker.fresh([late, Change(5000, "resident", 3)]) == [late]


def test_the_connection_name_is_ascii_and_reads_back_as_the_person_and_the_pc(monkeypatch):
    monkeypatch.setattr(change_notices, "pc_name", lambda: "办公室1")
    try:
        name = change_notices.working_as("张敏")
        assert name.isascii() and name.startswith(change_notices.WORKING_PREFIX)  # the server keeps only ASCII
        assert change_notices.who_from(name) == "张敏@办公室1"
        monkeypatch.setattr(change_notices, "pc_name", lambda: "DESKTOP-7QK2M1P")
        assert change_notices.working_as("李娜").endswith("@DESKTOP-7QK2M1P")
        long = change_notices.working_as("欧阳" * 30)
        assert len(long) <= 63 and change_notices.who_from(long).startswith("欧阳")
    finally:
        change_notices.working_as(None)
    assert change_notices.application_name() == change_notices.APP_NAME  # nobody logged in


def test_version_20_exists_for_both_engines_and_changes_nothing_in_a_file(tmp_path):
    assert [v for v, _d, _f in MIGRATIONS if v == 20] == [20] and [v for v, _d, _f in PG_MIGRATIONS if v == 20] == [20]
    db = open_database(tmp_path / "desk.db")
    try:
        assert schema_version(db) == LATEST_VERSION >= 20
    finally:
        close_database()


# --- on the server ---------------------------------------------------------------------------------------------


@pytest.fixture
def server():
    from tests.server_scratch import scratch_server_url

    url = scratch_server_url()
    open_database(url)
    session.current = session.Session(user="测试员", role="管理员")
    [cid] = communities.ensure_communities(["原乡小镇"])
    yield url, cid
    close_database()


def test_the_trigger_announces_each_audit_line_once_also_after_the_step_ran_again(server):
    import psycopg

    from community_desk.core.models import db_proxy

    url, cid = server
    notices_step(db_proxy.obj)  # version 20 again: replaced, not doubled
    with psycopg.connect(url, autocommit=True) as listening:
        listening.execute("LISTEN desk_changes")
        rid = residents.save({"name": "王洋", "community_id": cid})
        heard = [n.payload for n in listening.notifies(timeout=2, stop_after=2)]
    line = AuditLog.select().where(AuditLog.table == "resident").get()
    assert heard == [f"resident:{rid}:{line.id}"]


def collect():
    got: list[Change] = []
    arrived = threading.Event()

    def on_changes(changes):
        got.extend(changes)
        arrived.set()

    return got, arrived, on_changes


def cut_off(url: str, listener) -> None:
    """The listener's connection ended by the server, as when the network goes or the PC sleeps."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (listener.conn.info.backend_pid,))


def test_a_colleagues_change_arrives_and_this_programs_own_does_not(server):
    url, cid = server
    got, arrived, on_changes = collect()
    others: list[list[str]] = []
    listener = change_notices.Listener(url, on_changes, others.append, safety_seconds=3600).start()
    colleague = Colleague(url, "张敏")
    try:
        assert listener.connected.wait(10)
        residents.save({"name": "本机录入", "community_id": cid})
        saved = colleague.save(name="王洋", community_id=cid)
        assert arrived.wait(10)
        time.sleep(0.3)  # the own save's notice, had it been delivered, is in by now
        assert [(c.table, c.record_id, c.user, c.action) for c in got] == [("resident", saved["id"], "张敏", "新增")]
        deadline = time.monotonic() + 10
        while not any(any(who.startswith("张敏@") for who in seen) for seen in others) and time.monotonic() < deadline:
            time.sleep(0.05)  # who is working is looked at again after a notice
        assert any(who.startswith("张敏@") for who in others[-1])
        assert listener.connections == 1
    finally:
        colleague.quit()
        listener.stop(wait=5)


def test_a_change_made_while_the_listener_was_away_is_caught_up_from_the_audit_id(server):
    url, cid = server
    got, arrived, on_changes = collect()
    listener = change_notices.Listener(url, on_changes, safety_seconds=3600).start()  # no safety timer in time
    colleague = Colleague(url, "李娜")
    try:
        assert listener.connected.wait(10)
        back = threading.Event()
        first_connect = listener._connect

        def held_connect():
            back.wait(20)  # the network is out until the colleague has saved
            return first_connect()

        listener._connect = held_connect
        cut_off(url, listener)
        deadline = time.monotonic() + 10
        while listener.connected.is_set() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not listener.connected.is_set()
        saved = colleague.save(name="赵敏", community_id=cid)  # its notice goes to no one
        back.set()
        assert arrived.wait(10)
        assert [(c.table, c.record_id, c.user) for c in got] == [("resident", saved["id"], "李娜")]
        assert listener.connections == 2  # caught up when it connected again, not by the safety timer
    finally:
        colleague.quit()
        listener.stop(wait=5)


def test_the_safety_timer_catches_a_line_whose_notice_never_came(server):
    import psycopg

    url, cid = server
    got, arrived, on_changes = collect()
    listener = change_notices.Listener(url, on_changes, safety_seconds=1.0).start()
    try:
        assert listener.connected.wait(10)
        with psycopg.connect(url, autocommit=True) as other:  # a line written with the trigger off: no notice
            other.execute('ALTER TABLE audit_log DISABLE TRIGGER "desk_notify_change"')
            try:
                other.execute("INSERT INTO audit_log (at, \"user\", action, \"table\", record_id, summary, changes) "
                              "VALUES (now(), '张敏', '修改', 'resident', 7, '', '{}')")
            finally:
                other.execute('ALTER TABLE audit_log ENABLE TRIGGER "desk_notify_change"')
        assert arrived.wait(10)
        assert [(c.table, c.record_id, c.user) for c in got] == [("resident", 7, "张敏")]
        assert listener.connections == 1
    finally:
        listener.stop(wait=5)


def test_who_is_working_is_looked_at_again_without_any_notice(server):
    url, _cid = server
    others: list[list[str]] = []
    listener = change_notices.Listener(url, lambda _changes: None, others.append, presence_seconds=0.3).start()

    def seen(check, what: str) -> bool:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if others and check(any(who.startswith(what) for who in others[-1])):
                return True
            time.sleep(0.05)
        return False

    try:
        colleague = Colleague(url, "李娜")  # logs in and saves nothing
        assert seen(bool, "李娜@")
        colleague.quit()
        assert seen(lambda present: not present, "李娜@")
    finally:
        listener.stop(wait=5)


def drop_role(admin, role: str) -> None:
    if admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
        admin.execute(f'DROP OWNED BY "{role}"')
        admin.execute(f'DROP ROLE "{role}"')


def test_a_login_that_may_not_read_the_audit_log_still_hears_which_record_changed(server):
    """A role kept to masked views (issue 18's 只读) reads no audit log: the notice alone names the record."""
    import psycopg

    url, cid = server
    role = f"{psycopg.conninfo.conninfo_to_dict(url)['dbname']}_live_ro"
    with psycopg.connect(url, autocommit=True) as admin:
        drop_role(admin, role)  # left by a run that was killed
        admin.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD 'live-ro-1'")
        admin.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')  # the tables, but none of them readable
    got, arrived, on_changes = collect()
    others: list[list[str]] = []
    limited = url.replace("://postgres@", f"://{role}:live-ro-1@")
    listener = change_notices.Listener(limited, on_changes, others.append, safety_seconds=3600).start()
    colleague = Colleague(url, "张敏")
    try:
        assert listener.connected.wait(10)
        saved = colleague.save(name="王洋", community_id=cid)
        assert arrived.wait(10)
        assert [(c.table, c.record_id, c.user) for c in got] == [("resident", saved["id"], "")]
        assert listener.connections == 1
    finally:
        colleague.quit()
        listener.stop(wait=5)
        with psycopg.connect(url, autocommit=True) as admin:
            drop_role(admin, role)
