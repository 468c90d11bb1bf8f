"""Atomic file writes: write a temporary file in the same folder, then replace the target.

A failed or cancelled write leaves the old file whole and no half file behind. The temporary file carries the
program's temporary name (core.temp_files), so one left by a killed process is found and removed later: by the
next start, and by the next write into the same folder.

The finished file gets the mode of a normal new file (0o644 with the usual umask), not mkstemp's owner-only
0o600: an export or a PDF is meant to be opened by the other accounts of a shared PC. Backups are written here too
and get the same mode, as the live database beside them has (SQLite creates it honouring the umask): an owner-only
copy would hide nothing the database itself shows; the data folder's own permissions are what guards both.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .faults import FILE_IN_USE, NO_WRITE_PERMISSION, EnvironmentFault
from .temp_files import clean_leftovers, give_normal_mode, make_temp

WINDOWS = os.name == "nt"


@contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside target; on success it replaces target, on error it is removed."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers([target.parent])  # what a killed write into this folder left long ago
    tmp_path = make_temp(target.parent, target.stem, target.suffix)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        give_normal_mode(tmp_path)  # mkstemp's 0o600 would shut out the other accounts of a shared PC
        _replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _replace(tmp_path: Path, target: Path) -> None:
    """os.replace, with the cause named when the target cannot be replaced although its folder is writable (the
    temporary file was just made there): on Windows a file open in Excel or WPS refuses with "access denied"
    (WinError 5), which would otherwise read as "no permission"."""
    try:
        os.replace(tmp_path, target)
    except PermissionError as exc:
        if not WINDOWS or getattr(exc, "winerror", None) in (32, 33) or not target.exists():
            raise
        if not os.access(target, os.W_OK):
            raise EnvironmentFault(NO_WRITE_PERMISSION) from exc
        raise EnvironmentFault(FILE_IN_USE) from exc


def write_text(target: str | os.PathLike, text: str, encoding: str = "utf-8") -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding=encoding)
