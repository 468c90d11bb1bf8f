"""Naming the server for a person and saying why a connection failed (core/server_info.py, issue 17); the crash
log of a server URL in the user's data folder, not in a folder made from the URL."""
from __future__ import annotations

from pathlib import Path

from community_desk.core.crash_log import log_path
from community_desk.core.errors import DatabaseError
from community_desk.core.server_info import connection_reason, describe_server, is_unreachable, server_parts


def failed(driver_words: str) -> DatabaseError:
    try:
        try:
            raise OSError(driver_words)
        except OSError as cause:
            raise DatabaseError(f"无法连接数据库服务器：{driver_words}") from cause
    except DatabaseError as exc:
        return exc


def test_the_server_is_named_without_its_password():
    parts = server_parts("postgresql://staff:s3cret@192.168.1.20:5433/desk")
    assert (parts.host_text(), parts.database, parts.user) == ("192.168.1.20:5433", "desk", "staff")
    lines = dict(describe_server("postgresql://staff:s3cret@192.168.1.20/desk"))
    assert lines["服务器"] == "192.168.1.20" and "s3cret" not in str(lines) and "***" in lines["地址"]
    socket = server_parts("postgresql://desk@/nosuchdb?host=/tmp/nonexistent-dir")
    assert socket.host_text() == "本机（/tmp/nonexistent-dir）" and socket.database == "nosuchdb"


def test_the_drivers_reasons_are_said_in_chinese_with_its_words_kept():
    cases = {
        'connection to server at "10.0.0.5", port 5432 failed: Connection refused': "没有接受连接",
        'FATAL:  password authentication failed for user "staff"': "密码不正确",
        'FATAL:  database "desk" does not exist': "没有这个数据库",
        "failed to resolve host 'deskserver': Name or service not known": "找不到这个服务器地址",
        "connection timeout expired": "超时",
    }
    for words, said in cases.items():
        reason, detail = connection_reason(failed(words))
        assert said in reason and detail == " ".join(words.split())


def test_the_programs_own_refusal_is_said_as_it_is():
    refusal = DatabaseError("数据库 x 的排序规则是 zh_CN.UTF-8，会打乱列表的顺序")
    assert connection_reason(refusal) == (str(refusal), "") and not is_unreachable(refusal)
    assert is_unreachable(failed("Connection refused"))


def test_the_crash_log_of_a_server_goes_to_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    path = log_path("postgresql://staff@192.168.1.20/desk")
    assert path.is_relative_to(tmp_path / "data-home" / "CommunityDesk" / "logs")
    assert log_path(tmp_path / "desk.db").parent == tmp_path / "logs"
    assert "postgresql" not in str(path) and Path(path).name.startswith("community_desk-")
