"""Pinyin keys read from the whole name, with every reading in use (issue 16), and the migration that recomputes the
keys of an older database (version 15)."""
import sqlite3

from community_desk.core import session
from community_desk.core.db import close_database, open_database, schema_version
from community_desk.core.migrations import LATEST_VERSION
from community_desk.core.migrations.v015_pinyin_readings import VERSION
from community_desk.core.queries import residents
from community_desk.core.rules.pinyin import MAX_KEYS, name_keys

PEOPLE = {"王长春": ("wcc", "wzc", "wangchangchun", "wangzhangchun"), "刘重庆": ("lcq", "liuchongqing"),
          "单田芳": ("stf", "shantianfang"), "曾国藩": ("zgf", "zengguofan"), "万俟卨": ("mqx", "moqixie"),
          "尉迟恭": ("ycg", "yuchigong")}


def search(text):
    return residents.search_ids(residents.ResidentFilter(text=text))


def test_the_whole_name_decides_and_the_other_reading_is_kept():
    assert name_keys("王长春") == ("wcc wzc", "wangchangchun wangzhangchun")  # the name's own reading first
    assert name_keys("刘重庆")[0].split()[0] == "lcq"
    assert name_keys("刘重庆")[1].split()[0] == "liuchongqing"


def test_surnames_read_as_surnames():
    assert name_keys("单田芳") == ("stf", "shantianfang")
    assert name_keys("曾国藩") == ("zgf", "zengguofan")
    assert name_keys("万俟卨")[1].split()[0] == "moqixie"
    assert name_keys("尉迟恭") == ("ycg", "yuchigong")
    assert name_keys("尉缭")[1].startswith("wei")  # 尉 alone is wei; yu only in 尉迟


def test_a_name_without_a_reading_in_doubt_gets_one_key():
    # 王 洋 明 平 英 have readings in old dictionaries (yu, xiang, meng, bing, yang) that nobody types
    for name, keys in {"王洋": ("wy", "wangyang"), "张伟": ("zw", "zhangwei"), "李明": ("lm", "liming"),
                       "陈平": ("cp", "chenping"), "刘英": ("ly", "liuying"), "王": ("w", "wang"),
                       "Anna王": ("annaw", "annawang"), "": ("", "")}.items():
        assert name_keys(name) == keys, name


def test_the_keys_are_bounded():
    initials, full = name_keys("重重重重重重重重重重")
    assert 1 < len(full.split()) <= MAX_KEYS and len(initials.split()) <= MAX_KEYS
    assert full.split()[0] == "chong" * 10 or full.split()[0] == "zhong" * 10


def test_residents_are_found_by_either_reading_through_the_search(community):
    ids = {name: residents.save({"name": name, "community_id": community, "building": "3", "unit": "2",
                                 "room": str(501 + i)}) for i, name in enumerate(PEOPLE)}
    for name, typed in PEOPLE.items():
        for text in typed:
            assert search(text) == [ids[name]], (name, text)
    assert search("dtf") == []  # 单 as a surname is shan only
    assert search("lzq") == [ids["刘重庆"]]  # zhong, the other reading of 重, is indexed too
    # the list is still in the order of each name's own reading
    order = residents.search_ids(residents.ResidentFilter())
    assert order == sorted(order, key=lambda rid: name_keys(residents_name(rid))[1])


def residents_name(rid):
    from community_desk.core.models import Resident
    return Resident.get_by_id(rid).name


OLD_KEYS = {"王长春": ("wzc", "wangzhangchun"), "刘重庆": ("lzq", "liuzhongqing"), "万俟卨": ("wsx", "wansixie"),
            "王洋": ("wy", "wangyang")}


def test_migration_recomputes_the_keys_of_an_older_database(db_path):
    db = open_database(db_path, upto=VERSION - 1)
    assert schema_version(db) == VERSION - 1
    db.execute_sql("INSERT INTO community (name) VALUES ('原乡小镇')")
    for i, (name, (initials, pinyin)) in enumerate(OLD_KEYS.items(), start=1):
        db.execute_sql("INSERT INTO resident (id, created_at, updated_at, name, community_id, phone, address, "
                       "name_initials, name_pinyin) VALUES (?, '2021-08-01', '2021-08-01', ?, 1, ?, ?, ?, ?)",
                       (i, name, f"1381234000{i}", f"3号楼2单元50{i}", initials, pinyin))
        db.execute_sql("INSERT INTO resident_search (resident_id, text, sort_key) VALUES (?, ?, ?)",
                       (i, f"{name} {initials} {pinyin} 1381234000{i} 3号楼2单元50{i}", pinyin))
    db.execute_sql("INSERT INTO volunteer (created_at, updated_at, name, name_initials, name_pinyin) "
                   "VALUES ('2021-08-01', '2021-08-01', '王长春', 'wzc', 'wangzhangchun')")
    db.execute_sql("INSERT INTO quarantine_case (created_at, updated_at, name, start_date, planned_end, search_text) "
                   "VALUES ('2021-08-01', '2021-08-01', '刘重庆', '2021-08-01', '2021-08-15', '刘重庆 lzq liuzhongqing')")
    close_database()

    db = open_database(db_path)
    session.current = session.Session(user="测试员", role="管理员")
    try:
        assert schema_version(db) == LATEST_VERSION
        assert search("wcc") == [1] and search("wzc") == [1]
        assert search("lcq") == [2] and search("moqi") == [3] and search("mqx") == [3]
        assert search("wy") == [4] and search("13812340004") == [4] and search("3号楼2单元504") == [4]
        assert search("wsx") == []  # the old, wrong key is gone
        rows = dict(db.execute_sql("SELECT name, name_initials FROM resident").fetchall())
        assert rows == {"王长春": "wcc wzc", "刘重庆": "lcq lzq", "万俟卨": "mqx", "王洋": "wy"}
        sort_keys = dict(db.execute_sql("SELECT resident_id, sort_key FROM resident_search").fetchall())
        assert sort_keys[1] == "wangchangchun wangzhangchun"
        assert db.execute_sql("SELECT name_initials FROM volunteer").fetchone()[0] == "wcc wzc"
        case_text = db.execute_sql("SELECT search_text FROM quarantine_case").fetchone()[0]
        assert "lcq" in case_text and "liuchongqing" in case_text
    finally:
        close_database()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
