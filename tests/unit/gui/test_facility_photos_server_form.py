"""The facility form in server mode (issue 17): a photo added through it is stored in the server database and
shown as a thumbnail from this PC's cache; another PC (another user data folder) shows it too; a photo over
5 MB is refused in a message box. Needs the PostgreSQL test database (COMMUNITY_DESK_TEST_PG): skipped without."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QMessageBox, QPushButton

from community_desk.core import session
from community_desk.core.db import close_database, open_database
from community_desk.core.models import FacilityPhoto
from community_desk.core.queries import facilities
from community_desk.core.queries.facility_photos import MAX_STORED_BYTES
from community_desk.gui import tasks
from community_desk.gui.windows.facilities.form import FacilityForm
from tests.server_scratch import scratch_server_url
from tests.windows import answer_dialog

pytestmark = pytest.mark.child_process


@pytest.fixture
def server(tmp_path, monkeypatch, qt_settings):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "this-pc"))
    url = scratch_server_url()
    open_database(url)
    session.current = session.Session(user="测试员", role="管理员")
    yield url
    tasks.wait_all()
    close_database()


def facility() -> int:
    kind = next(kid for kid, name, _unit in facilities.list_kinds() if name == "秋千")
    return facilities.save({"kind_id": kind, "name": "儿童乐园秋千", "quantity": "2", "unit": "套",
                            "status": "已完工", "installed_date": (dt.date.today() - dt.timedelta(days=5)).isoformat()})


def photo_file(path) -> str:
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7bd5"))
    assert image.save(str(path))
    return str(path)


def test_a_photo_added_in_the_form_is_stored_on_the_server_and_shown(server, qtbot, tmp_path, monkeypatch):
    fid = facility()
    form = FacilityForm(None, fid)
    qtbot.addWidget(form)
    form.add_photo_files([photo_file(tmp_path / "swing.png")])
    assert form.photo_list.count() == 1 and form.photo_list.missing == 0
    assert not form.photo_list.item(0).icon().isNull()
    assert str(tmp_path / "this-pc") in form.photo_list.item(0).toolTip()
    assert FacilityPhoto.select().where(FacilityPhoto.data.is_null(False)).count() == 1

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "other-pc"))  # the colleague's PC opens the same facility
    other = FacilityForm(None, fid)
    qtbot.addWidget(other)
    assert other.photo_list.missing == 0 and str(tmp_path / "other-pc") in other.photo_list.item(0).toolTip()

    other.photo_list.setCurrentRow(0)
    qtbot.mouseClick(next(b for b in other.findChildren(QPushButton) if b.text() == "删除照片"),
                     Qt.MouseButton.LeftButton)
    assert other.photo_list.count() == 0 and FacilityPhoto.select().count() == 0


def test_a_photo_over_5_mb_is_refused_in_a_message(server, qtbot, tmp_path):
    fid = facility()
    big = tmp_path / "big.jpg"
    big.write_bytes(b"\xff\xd8" + b"\0" * MAX_STORED_BYTES)
    form = FacilityForm(None, fid)
    qtbot.addWidget(form)
    said = []

    def read_and_close(box):
        said.append(box.text())
        box.button(QMessageBox.StandardButton.Ok).click()

    answer_dialog(read_and_close)
    form.add_photo_files([str(big)])
    assert "5 MB" in said[0] and "big.jpg" in said[0]
    assert form.photo_list.count() == 0 and FacilityPhoto.select().count() == 0
