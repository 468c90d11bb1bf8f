"""The crash log: where an unexpected error of the window is written, for the maintainer to read.

A windowed build (PyInstaller, no console) has no stderr, so a traceback printed there is lost. Instead each
unexpected error is appended to a dated log, `logs/community_desk-YYYYmmdd.log` beside the database (the office
finds it where its data is; in server mode, a `postgresql://` URL, in the user's data folder on this PC), with the time, the program's version, the thread and the traceback. When that folder
cannot be written (a read-only drive, a full disk), the system temp folder takes the entry. Qt-free: the message
box that names the file lives in gui.crash_handler.
"""
from __future__ import annotations

import os
import sys
import tempfile
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from .. import __version__
from .dialect import is_server_url

LOG_FOLDER = "logs"


def log_path(db_path: str | os.PathLike | None, now: datetime | None = None) -> Path:
    """The day's log file beside the database (the temp folder when there is no database; the user's data folder
    for a server URL)."""
    now = now or datetime.now()
    if is_server_url(db_path):  # server mode: no folder beside the database; the user's data folder on this PC
        from .paths import default_database_path

        folder = default_database_path().parent
    else:
        folder = Path(db_path).expanduser().resolve().parent if db_path else Path(tempfile.gettempdir())
    return folder / LOG_FOLDER / f"community_desk-{now:%Y%m%d}.log"


def format_entry(exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None,
                 thread_name: str | None = None, now: datetime | None = None) -> str:
    now = now or datetime.now()
    where = f"，线程 {thread_name}" if thread_name else ""
    lines = traceback.format_exception(exc_type, exc, tb)
    return (f"==== {now:%Y-%m-%d %H:%M:%S} 社区工作台 Community Desk {__version__}"
            f"（Python {sys.version.split()[0]}，{sys.platform}{where}）\n" + "".join(lines) + "\n")


def write_entry(db_path: str | os.PathLike | None, exc_type: type[BaseException], exc: BaseException | None,
                tb: TracebackType | None, thread_name: str | None = None, now: datetime | None = None) -> Path | None:
    """Append one entry to the day's log; returns the file written, or None when no folder could take it.

    Never raises: it runs inside an exception hook."""
    now = now or datetime.now()
    try:
        text = format_entry(exc_type, exc, tb, thread_name, now)
    except Exception:  # noqa: BLE001 - a traceback that cannot be formatted still gets a line
        text = f"==== {now:%Y-%m-%d %H:%M:%S} Community Desk {__version__}: {exc_type.__name__}\n"
    candidates = [log_path(db_path, now)] if db_path else []
    candidates.append(log_path(None, now))
    for path in candidates:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(text)
            return path
        except OSError:
            continue
    return None
