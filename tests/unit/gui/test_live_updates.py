"""Live updates in the window (issue 18), with a colleague in a real second process (tests/colleague.py): its save
refreshes this client's open list through the server's notice (the 30-second safety catch-up set to an hour, so
nothing else can have done it), an open form of the record it changed shows the yellow banner, 关于 and the status
bar name it; a read-only second copy of a database file follows the other copy's saves from the audit log. The
server tests need the PostgreSQL test database (COMMUNITY_DESK_TEST_PG) and skip with the reason without it."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QMainWindow

from community_desk.core import change_notices, session, vocabulary
from community_desk.core.db import close_database, open_database
from community_desk.core.queries import communities, residents
from community_desk.gui import live_updates, tasks
from community_desk.gui.dialogs.help import about_html
from community_desk.gui.windows.residents.form import ResidentForm
from community_desk.gui.windows.residents.window import ResidentsPage
from tests.colleague import Colleague

pytestmark = pytest.mark.child_process
HOUR = 3600.0


@pytest.fixture
def server(qt_settings):
    from tests.server_scratch import scratch_server_url

    url = scratch_server_url()
    open_database(url)
    session.current = session.Session(user="测试员", role="管理员")
    [cid] = communities.ensure_communities(["原乡小镇"])
    colleagues: list[Colleague] = []
    yield url, cid, colleagues
    live_updates.stop()
    live_updates._floor = None
    change_notices.working_as(None)
    for colleague in colleagues:
        colleague.quit()
    tasks.wait_all()
    close_database()


def listening(qtbot, url: str, window=None) -> live_updates.LiveUpdates:
    live = live_updates.start(window, url, safety_seconds=HOUR)
    qtbot.waitUntil(live.listener.connected.is_set, timeout=10_000)
    return live


def shown_names(page) -> list[str]:
    return [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())]


def open_page(qtbot) -> ResidentsPage:
    page = ResidentsPage()
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(page.search_done)
    return page


def test_a_colleagues_save_refreshes_the_open_list_from_the_notice(server, qtbot):
    url, cid, colleagues = server
    page = open_page(qtbot)
    assert shown_names(page) == []
    live = listening(qtbot, url)
    colleagues.append(colleague := Colleague(url, "张敏"))
    colleague.save(name="王洋", community_id=cid)
    qtbot.waitUntil(lambda: page.search_done() and shown_names(page) == ["王洋"], timeout=10_000)
    assert live.batches == 1 and live.listener.connections == 1  # one notice, no reconnect, no safety timer

    residents.save({"name": "本机录入", "community_id": cid})  # this client's own save: the page refreshes itself
    page.changed()
    qtbot.waitUntil(lambda: page.search_done() and "本机录入" in shown_names(page), timeout=10_000)
    qtbot.wait(300)
    assert live.batches == 1  # and no second refresh came from its notice


def test_a_save_between_the_login_and_the_listener_is_caught_up_when_it_connects(server, qtbot):
    url, cid, colleagues = server
    live_updates.logged_in("测试员")
    page = open_page(qtbot)
    colleagues.append(colleague := Colleague(url, "张敏"))
    colleague.save(name="王洋", community_id=cid)  # the list has loaded; the window is not shown yet
    live = listening(qtbot, url)
    qtbot.waitUntil(lambda: page.search_done() and shown_names(page) == ["王洋"], timeout=10_000)
    assert live.listener.connections == 1


def test_an_open_form_shows_who_changed_its_record(server, qtbot):
    url, cid, colleagues = server
    rid = residents.save({"name": "王洋", "community_id": cid})
    other = residents.save({"name": "李娜", "community_id": cid})
    form = ResidentForm(None, rid)
    qtbot.addWidget(form)
    form.show()
    live = listening(qtbot, url)
    colleagues.append(colleague := Colleague(url, "张敏"))
    colleague.save(id=other, name="李娜", community_id=cid, phone="13900001111")  # another record: no banner
    qtbot.waitUntil(lambda: live.batches == 1, timeout=10_000)
    assert form.findChild(QLabel, live_updates.BANNER_NAME) is None
    colleague.save(id=rid, name="王洋", community_id=cid, phone="13812345678")
    qtbot.waitUntil(lambda: (banner := form.findChild(QLabel, live_updates.BANNER_NAME)) is not None
                    and banner.isVisible(), timeout=10_000)
    banner = form.findChild(QLabel, live_updates.BANNER_NAME)
    assert banner.text().startswith("张敏 刚刚修改了这条记录（") and "合并" in banner.text()
    assert form.name_edit.text() == "王洋" and not form.has_changes()  # what the person typed is left alone


def test_about_and_the_status_bar_name_a_colleague_who_is_working(server, qtbot):
    url, cid, colleagues = server
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    live = listening(qtbot, url, window)
    assert "只有本机" in about_html() and not live.status_label.isVisible()
    colleagues.append(colleague := Colleague(url, "李娜"))
    colleague.save(name="王洋", community_id=cid)  # its notice makes the listener look who is there
    qtbot.waitUntil(lambda: live.status_label.isVisible(), timeout=10_000)
    assert live.status_label.text().startswith("另有 1 人在用：李娜@")
    assert "李娜@" in about_html()


def test_a_read_only_copy_of_a_file_follows_the_other_copys_saves(db, db_path, community, qtbot, qt_settings):
    session.current = session.Session(user="门岗", role=vocabulary.ROLE_READ_ONLY)  # the second copy
    page = open_page(qtbot)
    live = live_updates.start(None, None, follow_file=True)
    qtbot.waitUntil(live.follower.started.is_set, timeout=10_000)  # it has read where the audit log stands
    colleague = Colleague(db_path, "张敏")  # the copy that holds the lock and writes
    try:
        colleague.save(name="王洋", community_id=community)
        qtbot.waitUntil(lambda: page.search_done() and shown_names(page) == ["王洋"], timeout=10_000)
        assert live.batches == 1
    finally:
        live_updates.stop()
        colleague.quit()
