"""Who is working: the user name and role recorded in the audit log and checked by write paths.

Staff accounts (issue 7) set this at login; until then the OS login name acts as an administrator.
"""
from __future__ import annotations

import getpass
from dataclasses import dataclass

from . import vocabulary

ROLES = vocabulary.ROLES


class PermissionDenied(PermissionError):
    def __init__(self, message: str = "当前账号为只读，不能修改数据"):
        super().__init__(message)
        self.message = message


@dataclass
class Session:
    user: str
    role: str = vocabulary.ROLE_ADMIN
    username: str = ""

    @property
    def can_write(self) -> bool:
        return self.role in vocabulary.WRITE_ROLES

    @property
    def can_see_full_ids(self) -> bool:
        """Full ID numbers and phones on screen and paper: staff roles only (and only if the office allows)."""
        return self.role in vocabulary.WRITE_ROLES


def default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some Windows set-ups
        return "本机用户"


current = Session(user=default_user())


def require_write() -> None:
    if not current.can_write:
        raise PermissionDenied()


def require_export() -> None:
    """Exports carry personal data: a read-only session (a volunteer at the gate) cannot export."""
    if not current.can_write:
        raise PermissionDenied("当前账号为只读，不能导出个人信息")
