"""Faults of the machine, not of the input: a full disk, a file held by another program, a database another PC is
writing, a folder without write permission. One function names each in plain Chinese, for the windows (a form's
message, a dialog) and the commands (one line, exit code 2) alike. Qt-free and peewee-free: it reads the
exception's class name, errno, SQLite error name and text, and the exception peewee wraps (`orig`).
"""
from __future__ import annotations

import errno
import sqlite3

DISK_FULL = "磁盘已满，未能写入。请清理磁盘空间（或换一个有空间的文件夹）后再试，数据没有改变"
DATABASE_BUSY = "数据库正被另一台电脑（或另一个程序窗口）写入，请稍后再试，数据没有改变"
FILE_IN_USE = "文件被其他程序占用（例如在 Excel 或 WPS 中打开着），请先关闭该文件再试"
NO_WRITE_PERMISSION = "没有写入权限（文件夹只读或文件被设为只读），请换一个文件夹或请管理员开放权限"
CANNOT_OPEN = "无法打开数据库文件：文件夹不存在、没有权限或 U 盘已拔出"
DISK_IO = "读写磁盘出错（硬盘或 U 盘故障、网络盘断开），请检查存储设备后再试，数据没有改变"
NOT_FOUND = "找不到文件或文件夹"
IS_A_FOLDER = "选择的是一个文件夹，不是文件"


class MessageError(Exception):
    """An error that carries the Chinese sentence shown to the person (`message`): the base of the refusals that
    say what went wrong (a fault of the machine here, a workbook refused, a list that cannot be read)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class EnvironmentFault(MessageError):
    """A fault of the machine with its Chinese explanation (`message`); raised where the cause is known."""


def _chain(exc: BaseException):
    """The exception, what peewee wrapped (orig), and its causes."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__


def describe_fault(exc: BaseException) -> str | None:
    """The plain-Chinese cause of a machine fault, or None when `exc` is not one (a bug, bad input)."""
    for item in _chain(exc):
        if isinstance(item, EnvironmentFault):
            return item.message
        message = _describe_one(item)
        if message:
            return message
    return None


def _describe_one(exc: BaseException) -> str | None:
    text = str(exc).lower()
    name = getattr(exc, "sqlite_errorname", "") or ""
    if isinstance(exc, sqlite3.Error) or type(exc).__module__ == "peewee":
        if name.startswith("SQLITE_FULL") or "database or disk is full" in text:
            return DISK_FULL
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text \
                or "database table is locked" in text:
            return DATABASE_BUSY
        if name.startswith("SQLITE_READONLY") or "readonly database" in text:
            return NO_WRITE_PERMISSION
        if name.startswith("SQLITE_CANTOPEN") or "unable to open database" in text:
            return CANNOT_OPEN
        if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
            return DISK_IO
        return None
    if type(exc).__module__.startswith("lxml"):  # openpyxl writes through lxml when it is installed: IO_ENOSPC ...
        if "enospc" in text or "edquot" in text:
            return DISK_FULL
        if "eacces" in text or "eperm" in text or "erofs" in text:
            return NO_WRITE_PERMISSION
        if "eio" in text:
            return DISK_IO
        return None
    if isinstance(exc, OSError):
        if getattr(exc, "winerror", None) in (32, 33):  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
            return FILE_IN_USE
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
            return DISK_FULL
        if exc.errno == errno.EROFS:
            return NO_WRITE_PERMISSION
        if isinstance(exc, IsADirectoryError):
            return IS_A_FOLDER
        if isinstance(exc, PermissionError):
            return NO_WRITE_PERMISSION
        if isinstance(exc, FileNotFoundError):
            return f"{NOT_FOUND}：{exc.filename}" if exc.filename else NOT_FOUND
        if exc.errno == errno.EIO:
            return DISK_IO
    return None
