"""Facility photos in both modes (issue 17): beside the database file in SQLite mode (unchanged), in the database
itself in server mode, shown from a cache in this PC's user data folder. The server tests use the PostgreSQL test
database (COMMUNITY_DESK_TEST_PG) and skip with the reason when it is not set."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from community_desk.core import session
from community_desk.core.db import close_database, open_database, schema_version
from community_desk.core.migrations import LATEST_VERSION
from community_desk.core.models import AuditLog, FacilityPhoto
from community_desk.core.queries import facilities
from community_desk.core.queries.facility_photos import MAX_STORED_BYTES, cache_dir
from community_desk.core.rules.text import ValidationError
from tests.server_scratch import scratch_server_url

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    """The user's data folder (platformdirs reads XDG_DATA_HOME): where the server's photos are cached."""
    home = tmp_path / "data-home"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


@pytest.fixture
def server(data_home):
    url = scratch_server_url()  # skips with the reason when COMMUNITY_DESK_TEST_PG is unset
    open_database(url)
    session.current = session.Session(user="测试员", role="管理员")
    yield url
    close_database()


@pytest.fixture
def file_db(db_path, data_home):
    open_database(db_path)
    session.current = session.Session(user="测试员", role="管理员")
    yield db_path
    close_database()


def add_facility(name="3号楼秋千") -> int:
    kind = next(kid for kid, kname, _unit in facilities.list_kinds() if kname == "秋千")
    return facilities.save({"kind_id": kind, "name": name, "quantity": "2", "unit": "套", "status": "已完工",
                            "cost": "", "installed_date": (dt.date.today() - dt.timedelta(days=3)).isoformat()})


def image(tmp_path, name="swing.png", data=PNG):
    path = tmp_path / "incoming" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


# --- SQLite mode: unchanged ---

def test_on_a_file_the_photo_is_copied_beside_it_and_not_stored_in_the_row(file_db, tmp_path, data_home):
    fid = add_facility()
    pid = facilities.add_photo(fid, image(tmp_path))
    [photo] = facilities.list_photos(fid)
    assert photo["id"] == pid and photo["exists"]
    assert photo["path"].parent == file_db.parent / "photos" and photo["path"].read_bytes() == PNG
    assert FacilityPhoto.get_by_id(pid).data is None
    assert not data_home.exists()  # no cache on a file
    facilities.delete_photo(pid)
    assert not photo["path"].exists() and facilities.list_photos(fid) == []


def test_migration_17_gives_an_older_file_the_column(db_path):
    open_database(db_path, upto=15)
    close_database()
    columns = lambda: [row[1] for row in sqlite3.connect(db_path).execute("PRAGMA table_info(facility_photo)")]  # noqa: E731
    assert "data" not in columns()
    db = open_database(db_path)
    assert schema_version(db) == LATEST_VERSION >= 17
    close_database()
    assert "data" in columns()


# --- server mode ---

def test_on_the_server_the_image_is_stored_in_the_database_and_shown_from_a_cache(server, tmp_path, data_home):
    fid = add_facility()
    source = image(tmp_path)
    pid = facilities.add_photo(fid, source, caption="新装的秋千")
    assert bytes(FacilityPhoto.get_by_id(pid).data) == PNG
    assert not (tmp_path / "photos").exists()  # nothing written beside anything
    [photo] = facilities.list_photos(fid)
    assert photo["id"] == pid and photo["caption"] == "新装的秋千" and photo["exists"]
    assert photo["path"].is_relative_to(data_home / "CommunityDesk" / "photo-cache")
    assert photo["path"].suffix == ".png" and photo["path"].read_bytes() == PNG
    assert AuditLog.select().where(AuditLog.table == "facility_photo").count() == 1

    source.unlink()  # the original is gone: the database still has the image
    photo["path"].unlink()  # and this PC's cache is emptied: written again from the database
    [again] = facilities.list_photos(fid)
    assert again["exists"] and again["path"].read_bytes() == PNG


def test_another_pc_gets_the_photo_from_the_server(server, tmp_path, monkeypatch):
    fid = add_facility()
    facilities.add_photo(fid, image(tmp_path))
    other_pc = tmp_path / "other-pc"
    monkeypatch.setenv("XDG_DATA_HOME", str(other_pc))
    [photo] = facilities.list_photos(fid)
    assert photo["path"].is_relative_to(other_pc) and photo["path"].read_bytes() == PNG


def test_a_photo_over_5_mb_is_refused_in_chinese_and_nothing_is_stored(server, tmp_path):
    fid = add_facility()
    big = image(tmp_path, "big.jpg", b"\xff\xd8" + b"\0" * MAX_STORED_BYTES)
    with pytest.raises(ValidationError) as refused:
        facilities.add_photo(fid, big)
    assert "big.jpg" in refused.value.message and "5 MB" in refused.value.message and "缩小" in refused.value.message
    assert facilities.list_photos(fid) == [] and FacilityPhoto.select().count() == 0
    just_fits = image(tmp_path, "fits.jpg", b"\xff\xd8" + b"\0" * (MAX_STORED_BYTES - 2))
    facilities.add_photo(fid, just_fits)
    assert FacilityPhoto.select().count() == 1


def test_deleting_a_photo_or_its_facility_removes_the_rows(server, tmp_path):
    fid = add_facility()
    first = facilities.add_photo(fid, image(tmp_path))
    facilities.add_photo(fid, image(tmp_path, "second.jpg", b"\xff\xd8second"))
    facilities.list_photos(fid)  # cached
    facilities.delete_photo(first)
    assert [p["caption"] for p in facilities.list_photos(fid)] == ["second"]
    assert facilities.delete([fid]) == 1
    assert FacilityPhoto.select().count() == 0


def test_not_an_image_is_refused_on_the_server_too(server, tmp_path):
    fid = add_facility()
    with pytest.raises(ValidationError):
        facilities.add_photo(fid, image(tmp_path, "notes.txt", b"text"))


def test_the_cache_folder_is_one_per_server_database():
    a = cache_dir("postgresql://staff@192.168.1.20/desk")
    b = cache_dir("postgresql://staff@192.168.1.20:5433/desk")
    c = cache_dir("postgresql://staff:secret@192.168.1.20/other")
    assert len({a, b, c}) == 3 and "secret" not in str(c)


def test_the_server_step_17_adds_the_column_to_an_older_database_and_does_nothing_on_a_new_one(server):
    from community_desk.core.migrations.postgres import PG_MIGRATIONS, photo_data
    from community_desk.core.server_db import server_schema_version

    assert (17, "设施照片可存在数据库中（服务器模式）", photo_data) in PG_MIGRATIONS
    db = FacilityPhoto._meta.database
    assert server_schema_version(db) == LATEST_VERSION
    photo_data(db)  # the baseline made the column already: nothing happens, no error
    db.execute_sql('ALTER TABLE "facility_photo" DROP COLUMN "data" CASCADE')  # as made at version 15 (and its view)
    db.execute_sql('DELETE FROM "schema_version" WHERE "version" >= 17')
    close_database()
    open_database(server)
    assert "data" in [c.name for c in db.get_columns("facility_photo")]
    assert server_schema_version(db) == LATEST_VERSION
