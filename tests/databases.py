"""Database files for tests of the start-up: one configured as after a first start, and damage done to a file."""
from __future__ import annotations

import os
from pathlib import Path


def configured_database(path: Path) -> None:
    """A database as the first start leaves it (office name, a community, an administrator admin / secret-1),
    closed again."""
    from community_desk.core import session
    from community_desk.core.db import close_database, open_database
    from community_desk.core.queries import accounts, communities, settings

    open_database(path)
    session.current = session.Session("测试员", "管理员")
    communities.ensure_communities(["原乡小镇"])
    settings.put("office_name", "长阳镇原乡小镇社区居委会")
    accounts.create_account("admin", "张敏", "secret-1")
    close_database()


def damage(path: Path) -> None:
    """Overwrite two pages after the header (the file fails quick_check); its WAL and shared memory go too."""
    data = bytearray(Path(path).read_bytes())
    data[4096:4096 * 3] = b"\xa5" * (4096 * 2)
    Path(path).write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        if os.path.exists(str(path) + suffix):
            os.remove(str(path) + suffix)
