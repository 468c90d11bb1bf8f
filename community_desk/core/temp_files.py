"""The program's temporary files: one recognisable name, made beside the file they become, cleaned at the next start.

Every temporary file the program writes (the atomic writer's copy of an export, a backup or a restore; openpyxl's
per-sheet streams of a workbook) is named `.desk-tmp-<what>-<random><suffix>.tmp` (a temporary database may have
its SQLite `-journal` beside it) and lives in the folder of the
file it becomes, never in the system temp folder: a process killed in the middle (power cut, task manager) leaves
it where `clean_leftovers` finds it. These files hold full copies of personal data (every resident, every ID
number), so they must not pile up unseen.

`clean_leftovers(folders)` removes such files older than MAX_AGE_S: a file that young may belong to an export or
backup still running in another window or on another PC sharing the folder, and is left alone. Qt-free.

A temporary file is owner-only (0o600, mkstemp) while it is written; `give_normal_mode` gives the finished file
the mode of a normal new file (umask honoured) just before it takes its name (core.atomic).
"""
from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

PREFIX = ".desk-tmp-"
SUFFIX = ".tmp"
# A running write touches its files every few seconds (rows streamed, pages painted, pages copied); a file left
# untouched this long belongs to a process that is gone. Generous, because a slow PC zipping a large workbook does
# not touch the per-sheet files it has already finished while it compresses the later ones.
MAX_AGE_S = 15 * 60


def _umask_now() -> int | None:
    """The process's umask as Linux reports it (/proc, no change to it); None where that cannot be read."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return None


def _umask_at_import() -> int:
    """Read once while the module loads (the program is still single-threaded): os.umask can only be read by
    setting it, which would race with another thread creating a file."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


_UMASK_AT_IMPORT = _umask_now()
if _UMASK_AT_IMPORT is None:
    _UMASK_AT_IMPORT = _umask_at_import()


def normal_mode() -> int:
    """The mode a normal new file gets: 0o666 less the umask (0o644 with the usual 022)."""
    mask = _umask_now()
    return 0o666 & ~(_UMASK_AT_IMPORT if mask is None else mask)


def give_normal_mode(path: str | os.PathLike) -> None:
    """mkstemp makes owner-only files (0o600); a finished export or PDF must open for the other accounts of a shared
    PC like any file saved there. Windows has no such bits (the folder's permissions apply): nothing to do."""
    if os.name != "nt":
        os.chmod(path, normal_mode())


def make_temp(folder: str | os.PathLike, what: str = "", suffix: str = "") -> Path:
    """Create an empty temporary file in folder, named with the program's pattern; the caller removes it."""
    what = "".join(ch for ch in what if ch not in "/\\")[:40]
    fd, name = tempfile.mkstemp(prefix=f"{PREFIX}{what}-" if what else PREFIX, suffix=suffix + SUFFIX,
                                dir=os.fspath(folder))
    os.close(fd)
    return Path(name)


# SQLite's own files beside a temporary database (a backup copy killed while being written leaves its journal)
SQLITE_SIDE_FILES = ("-journal", "-wal", "-shm")


def is_temp_name(name: str) -> bool:
    """True for a name the program gives its temporary files, and SQLite's side files of such a file."""
    return name.startswith(PREFIX) and any(name.endswith(SUFFIX + side) for side in ("", *SQLITE_SIDE_FILES))


def clean_leftovers(folders: Iterable[str | os.PathLike | None], max_age_s: float = MAX_AGE_S,
                    now: float | None = None) -> list[Path]:
    """Remove the program's temporary files older than max_age_s from each folder (not its subfolders); return the
    files removed. A folder that does not exist, a file another program holds open (Windows) or a file that cannot
    be removed is skipped quietly: cleaning must never stop the program from starting."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    seen: set[str] = set()
    for folder in folders:
        if folder is None:
            continue
        key = os.path.normcase(os.path.abspath(folder))
        if key in seen:
            continue
        seen.add(key)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not is_temp_name(entry.name):
                continue
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                if now - entry.stat(follow_symlinks=False).st_mtime < max_age_s:
                    continue
                os.remove(entry.path)
            except OSError:
                continue
            removed.append(Path(entry.path))
    return removed
