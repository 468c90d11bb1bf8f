"""居民台账 searches its keys in memory once they are read, drops them on any change and reads them again: typed
as a person types, every list equals what SQL finds, before, during and after (issue 19)."""
from __future__ import annotations

import datetime as dt
import random

import pytest
from PySide6.QtCore import Qt

from community_desk.core.db import transaction
from community_desk.core.demo.residents import add as add_residents
from community_desk.core.queries import residents
from community_desk.gui.page import bus
from community_desk.gui.windows.residents import window as registry
from community_desk.gui.windows.residents.form import ResidentForm
from community_desk.gui.windows.residents.window import ResidentsPage


@pytest.fixture
def page(community, qtbot, qt_settings, monkeypatch):
    monkeypatch.setattr(registry, "KEYS_AFTER_CHANGE_MS", 50)
    with transaction():
        add_residents(random.Random(11), dt.date(2026, 12, 6), 600)
    widget = ResidentsPage()
    qtbot.addWidget(widget)
    widget.resize(1280, 780)
    widget.show()
    qtbot.waitUntil(lambda: widget.search_done() and widget.model.rowCount() > 0)
    return widget


def shown_ids(page) -> list[int]:
    return list(page.model.ids())


def type_and_check(page, qtbot, text: str) -> None:
    """Type the text a key at a time; after each key the list is what SQL finds for what is in the box."""
    page.search_edit.clear()
    for key in text:
        if key.isascii():
            qtbot.keyClicks(page.search_edit, key)
        else:  # a Chinese character comes from the input method, committed into the box
            page.search_edit.insert(key)
        qtbot.waitUntil(page.search_complete)
        expected = residents.search_ids(residents.ResidentFilter(text=page.search_edit.text()))
        assert shown_ids(page) == expected, page.search_edit.text()


def test_the_keys_are_read_when_the_page_is_shown_and_answer_as_sql(page, qtbot):
    qtbot.waitUntil(page.searching_in_memory)
    found = []
    real_find = page._keys.find
    page._keys.find = lambda *args: found.append(args[0]) or real_find(*args)  # see that they answer
    for text in ("w", "wq", "19", "1970", "单元", "zzz"):
        type_and_check(page, qtbot, text)
    assert {"w", "19", "单", "z"} <= set(found)  # (a narrowed search reads the few ids of the one before)


def test_a_change_drops_the_keys_until_they_are_read_again(page, qtbot, community):
    qtbot.waitUntil(page.searching_in_memory)
    form = ResidentForm(page)
    qtbot.addWidget(form)
    form.name_edit.setText("欧阳娜娜")
    form.building_combo.setEditText("5号楼")
    qtbot.mouseClick(form.buttons.button(form.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert form.result() == form.DialogCode.Accepted
    page.changed()  # what 新增居民 does once its form is saved (ListPage.new_record)
    assert not page.searching_in_memory()  # at once: the new resident is not in the keys read before
    type_and_check(page, qtbot, "oyn")  # SQL answers meanwhile
    assert shown_ids(page) and page.model.data(page.model.index(0, 0)) == "欧阳娜娜"
    qtbot.waitUntil(page.searching_in_memory)  # read again once the changes paused
    type_and_check(page, qtbot, "oyn")
    assert page.model.data(page.model.index(0, 0)) == "欧阳娜娜"


def test_a_change_while_the_keys_are_read_reads_them_again(page, qtbot):
    """Keys whose reading began before a change are not used (they may lack it)."""
    qtbot.waitUntil(page.searching_in_memory)
    bus.data_changed.emit("resident")
    page._load_keys()  # a read begins
    bus.data_changed.emit("resident")  # ... and a change comes while it runs
    qtbot.wait(20)
    qtbot.waitUntil(page.searching_in_memory)
    assert page._keys_at == page._changes


def test_a_hidden_page_reads_its_keys_when_shown_again(page, qtbot):
    qtbot.waitUntil(page.searching_in_memory)
    page.hide()
    bus.data_changed.emit("resident")
    qtbot.wait(200)
    assert not page.searching_in_memory() and not page._keys_timer.isActive()  # nothing read for a hidden page
    page.show()
    qtbot.waitUntil(page.searching_in_memory)
