"""What a person is told about the database server (issue 17, server mode): which server, in words, and why a
connection failed, in Chinese. Qt-free; used by the window's start-up (gui/server_startup.py), 关于 and 备份与恢复.

* `server_parts(url)`: host, port, database and user of a `postgresql://` URL (never its password).
* `describe_server(url)`: those, with the address without its password, as (label, value) lines.
* `connection_reason(exc)`: the driver's English reason for a failed connection, said in Chinese where it is one of
  the common ones (no server at that address, wrong database or user name, wrong password, no network), with the
  driver's own words kept for the technician.
* `use_connect_timeout()`: a connect timeout for the process, so that a server switched off behind a network that
  swallows packets is reported in seconds, not after the operating system's two minutes.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

CONNECT_TIMEOUT_S = 10


@dataclass(frozen=True)
class ServerParts:
    host: str
    port: str
    database: str
    user: str

    def host_text(self) -> str:
        """The server as a person would name it: `192.168.1.20`, `192.168.1.20:5433`, or `本机（/run/postgresql）`
        for a unix socket folder."""
        host = self.host or "localhost"
        if host.startswith("/"):
            return f"本机（{host}）"
        return f"{host}:{self.port}" if self.port else host


def server_parts(url: str) -> ServerParts:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    host = parts.hostname or (query.get("host") or [""])[0]
    try:
        port = str(parts.port or "") or (query.get("port") or [""])[0]
    except ValueError:  # a port that is not a number: shown as typed by the driver's message instead
        port = ""
    database = unquote(parts.path.lstrip("/")) or (query.get("dbname") or [""])[0]
    user = unquote(parts.username or "") or (query.get("user") or [""])[0]
    return ServerParts(host=host, port=port, database=database, user=user)


def use_connect_timeout(seconds: int = CONNECT_TIMEOUT_S) -> None:
    """A connect timeout for this process (libpq's PGCONNECT_TIMEOUT, which psycopg honours too), unless the
    environment or the URL (its `connect_timeout`, which wins) says otherwise."""
    os.environ.setdefault("PGCONNECT_TIMEOUT", str(seconds))


def describe_server(url: str) -> list[tuple[str, str]]:
    """(label, value) naming the server for a person: 服务器, 数据库, 用户名 and the address without its password."""
    from .server_db import shown_url

    parts = server_parts(url)
    return [("服务器", parts.host_text()), ("数据库", parts.database or "—"), ("用户名", parts.user or "—"),
            ("地址", shown_url(url))]


# (words in the driver's message, what a person is told); the first that matches is said.
_REASONS = (
    ("password authentication failed", "用户名或密码不正确"),
    ("no password supplied", "服务器要求密码，但地址里没有密码"),
    ("does not exist", "服务器上没有这个数据库或这个用户"),
    ("failed to resolve host", "找不到这个服务器地址（地址写错了，或网络不通）"),
    ("could not translate host name", "找不到这个服务器地址（地址写错了，或网络不通）"),
    ("connection refused", "服务器没有接受连接（PostgreSQL 服务可能没有运行，或端口不对）"),
    ("no such file or directory", "这台电脑上没有运行中的数据库服务（PostgreSQL 服务可能没有运行）"),
    ("timeout expired", "等待服务器应答超时（服务器可能关着，或网络不通）"),
    ("timed out", "等待服务器应答超时（服务器可能关着，或网络不通）"),
    ("no route to host", "网络不通，到不了这个服务器"),
    ("network is unreachable", "网络不通，到不了这个服务器"),
    ("no pg_hba.conf entry", "服务器不允许这台电脑连接（请技术人员在服务器上允许这台电脑）"),
    ("too many connections", "服务器上的连接已满，请稍后再试"),
    ("the database system is starting up", "服务器正在启动，请稍后再试"),
    ("the database system is shutting down", "服务器正在关闭"),
)


def connection_reason(exc: BaseException) -> tuple[str, str]:
    """(reason in Chinese, the driver's own words) for a failed connection; the reason is the program's own message
    when the failure is not the driver's (a collation, another program's tables, psycopg missing)."""
    if not is_unreachable(exc):  # the program's own refusal, already in Chinese
        return str(exc), ""
    cause = exc.__cause__
    detail = " ".join(str(cause).split())
    lowered = detail.lower()
    for words, reason in _REASONS:
        if words in lowered:
            return reason, detail
    return "连接没有成功（数据库程序的原话见“显示详情”）", detail


def is_unreachable(exc: BaseException) -> bool:
    """True when the failure is the connection itself (the driver's), not a refusal after connecting."""
    return exc.__cause__ is not None and not isinstance(exc.__cause__, ImportError)  # psycopg missing: said as is
