"""The first start's set-up in core (used by the first-start dialog): checked in the form's order, stored in one
transaction, the first administrator created and logged in."""
from __future__ import annotations

import pytest

from community_desk.core import session, vocabulary
from community_desk.core.queries import accounts, communities, office_setup
from community_desk.core.queries import settings as office_settings
from community_desk.core.rules.text import ValidationError
from community_desk.core.session import PermissionDenied


def names() -> list[str]:
    return [name for _id, name in communities.list_communities()]


@pytest.mark.parametrize(("args", "message"), [
    (("", "居委会", "张敏", "admin", "secret-1", "secret-1"), "社区"),
    (("原乡小镇", " ", "张敏", "admin", "secret-1", "secret-1"), "填报单位"),
    (("原乡小镇", "居委会", "张敏", "", "secret-1", "secret-1"), "管理员用户名"),
    (("原乡小镇", "居委会", "张敏", "admin", "secret-1", "secret-2"), "不一致"),
    (("原乡小镇", "居委会", "张敏", "admin", "12", "12"), "密码"),
    (("原乡小镇", "居" * 61, "张敏", "admin", "secret-1", "secret-1"), "填报单位"),
])
def test_a_refused_set_up_stores_nothing(db, args, message):
    with pytest.raises(ValidationError, match=message):
        office_setup.set_up_office(*args)
    assert names() == [] and not accounts.has_accounts() and not office_settings.get("office_name")


def test_set_up_stores_everything_and_logs_the_administrator_in(db):
    assert office_setup.set_up_office("原乡小镇、天瑞嘉园\n领峰四季园；", " 长阳镇原乡小镇社区居委会 ", "张敏",
                                      "admin", "secret-1", "secret-1") is True
    assert names() == ["原乡小镇", "天瑞嘉园", "领峰四季园"]
    assert office_settings.get("office_name") == "长阳镇原乡小镇社区居委会"
    assert office_settings.is_configured()
    assert session.current.username == "admin" and session.current.role == vocabulary.ROLE_ADMIN
    # once an account exists the administrator fields are not asked for again
    assert office_setup.set_up_office("原乡小镇\n嘉州水郡北区", "居委会", "李军") is False
    assert "嘉州水郡北区" in names() and len(names()) == 4 and office_settings.get("reporter_name") == "李军"


def test_a_read_only_session_cannot_set_up(db):
    session.current = session.Session(user="门岗", role=vocabulary.ROLE_READ_ONLY)
    with pytest.raises(PermissionDenied):
        office_setup.set_up_office("原乡小镇", "居委会", "张敏", "admin", "secret-1", "secret-1")
    assert names() == []


def test_community_names_as_typed():
    assert office_setup.community_names("原乡小镇\n\n天瑞嘉园、 ,领峰四季园；") == ["原乡小镇", "天瑞嘉园", "领峰四季园"]
    assert office_setup.community_names("") == []
