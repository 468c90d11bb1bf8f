"""A small, real file system for tests of a full disk or a read-only folder: a tmpfs of a few hundred KB mounted
on a folder under tmp_path (as root), unmounted afterwards. Where mounting is not allowed (not root, a container
without the right), the test is skipped with the reason: a full disk cannot be faked with a mock."""
from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def small_disk(folder: Path, size_kb: int = 512, read_only: bool = False) -> Iterator[Path]:
    """Mount a tmpfs of `size_kb` on `folder` (created); yield the folder; unmount it afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("a full disk needs a small tmpfs, and mounting one needs root")
    options = f"size={size_kb}k" + (",ro" if read_only else "")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder: Path, leave_bytes: int = 0) -> None:
    """Fill the file system of `folder` until at most `leave_bytes` are free."""
    filler = folder / "filler.bin"
    chunk = b"\0" * 4096
    with open(filler, "ab") as fh:
        while True:
            stat = os.statvfs(folder)
            if stat.f_bavail * stat.f_frsize <= leave_bytes:
                break
            try:
                fh.write(chunk)
                fh.flush()
            except OSError:
                break
