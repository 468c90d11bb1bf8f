"""The first start's set-up (欢迎使用社区工作台), Qt-free: the communities the office serves, its name and reporter for
the reports, and the first administrator, checked first and then stored in one transaction; the new
administrator is logged in. Used by gui/dialogs/first_run.py; a command can call it the same way.
"""
from __future__ import annotations

import re

from .. import session, vocabulary
from ..db import transaction
from ..rules.passwords import check_strength
from ..rules.text import ValidationError, clean_text
from . import accounts, communities
from . import settings as office_settings

# Community names as typed: one a line, or separated by 、 , ， ; ；
_NAME_SEPARATORS = re.compile(r"[\n、,，;；]+")


def community_names(text: str) -> list[str]:
    return [name for name in _NAME_SEPARATORS.split(text or "") if name.strip()]


def set_up_office(communities_text: str, office: str, reporter: str, admin: str = "", password: str = "",
                  password_again: str = "") -> bool:
    """Store the set-up. Raises ValidationError (nothing stored) for the first thing missing or refused, in the
    order of the form. The administrator fields count only while there is no account yet; returns True when the
    administrator was created (and is now the logged-in session)."""
    session.require_write()
    names = community_names(communities_text)
    office = clean_text(office, max_length=60, field_label="填报单位")
    reporter = clean_text(reporter, max_length=20, field_label="填报人")
    if not names:
        raise ValidationError("请至少填写一个社区名称")
    if not office:
        raise ValidationError("请填写填报单位，报表和打印件上会用到")
    admin = clean_text(admin, max_length=30, field_label="管理员用户名")
    create_admin = not accounts.has_accounts()
    if create_admin:
        if not admin:
            raise ValidationError("请设置管理员用户名")
        if password != password_again:
            raise ValidationError("两次输入的密码不一致")
        check_strength(password)
    with transaction():
        communities.ensure_communities(names)
        if create_admin:
            accounts.create_account(admin, reporter or admin, password, vocabulary.ROLE_ADMIN)
        office_settings.put("office_name", office)
        office_settings.put("reporter_name", reporter)
    if create_admin:
        accounts.login(admin, password)
    return create_admin
