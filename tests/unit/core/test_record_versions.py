"""Two people, one record (issue 18): every form's save of a stored record writes only what that person changed,
over the version the form loaded. For each adapted save: A loads the record, B (another person) saves a change,
then A saves the form A loaded. Different fields merge; the same field changed to different values is an
EditConflict naming who changed it when, and nothing is lost. On SQLite and, with DESK_TEST_ENGINE=postgres, on
the server (the same `db` fixture)."""
from __future__ import annotations

import json

import pytest

from community_desk.core.errors import EditConflict
from community_desk.core.models import AuditLog
from community_desk.core.queries import duty, quarantine, residents, service_desk, volunteers
from tests.record_forms import FORMS, A, B, as_user, loaded_then_theirs_saved, request


@pytest.mark.parametrize("name", list(FORMS))
def test_edits_of_different_fields_merge(community, name):
    form, record_id, loaded = loaded_then_theirs_saved(name, community)
    (theirs_field, theirs_value, _mine), (mine_field, mine_value) = form.first, form.second
    lines = AuditLog.select().count()
    form.save({**loaded, mine_field: mine_value}, record_id, loaded)  # A's form, loaded before B saved
    now = form.read(record_id)
    assert (str(now[theirs_field]), str(now[mine_field])) == (str(theirs_value), str(mine_value))  # nothing lost
    assert now["version"] == loaded["version"] + 2
    [line] = AuditLog.select().order_by(AuditLog.id.desc()).limit(AuditLog.select().count() - lines)
    assert (line.user, list(json.loads(line.changes))) == (A, [mine_field])  # only the field A wrote


@pytest.mark.parametrize("name", list(FORMS))
def test_the_same_field_changed_by_both_is_a_clash_with_who_and_when(community, name):
    form, record_id, loaded = loaded_then_theirs_saved(name, community)
    (field, theirs_value, mine_value), (other, other_value) = form.first, form.second
    stored = form.read(record_id)
    with pytest.raises(EditConflict) as caught:
        form.save({**loaded, field: mine_value, other: other_value}, record_id, loaded)
    conflict = caught.value
    [clash] = conflict.clashes
    assert (clash.field, clash.mine, clash.theirs, clash.who) == (field, mine_value, theirs_value, B)
    assert clash.label and clash.when is not None and clash.theirs_text == str(theirs_value)
    assert conflict.theirs["version"] == stored["version"] == loaded["version"] + 1
    assert form.read(record_id) == stored  # nothing written: B's value stays, A's other field waits
    # 用我的: the form saves again over the version just read
    form.save({**loaded, field: mine_value, other: other_value}, record_id, conflict.theirs)
    now = form.read(record_id)
    assert (now[field], str(now[other]), now["version"]) == (mine_value, str(other_value), stored["version"] + 1)


def test_a_save_with_nothing_changed_writes_nothing(community):
    rid = residents.save({"name": "王洋", "community_id": community})
    loaded = residents.get_form(rid)
    lines = AuditLog.select().count()
    residents.save(dict(loaded), rid, loaded=loaded)
    assert residents.get_form(rid)["version"] == loaded["version"] and AuditLog.select().count() == lines


def test_a_change_outside_the_form_moves_the_version(community):
    rid = request(community)
    loaded = service_desk.get(rid)
    service_desk.assign(rid, "张敏")  # 派单 is no form save, but the form must see it
    service_desk.update(rid, {**loaded, "description": "顶楼漏雨，已两天"}, loaded=loaded)
    assert service_desk.get(rid)["assigned_to"] == "张敏"


def test_a_field_shown_otherwise_than_stored_is_no_change_of_mine(community):
    """The case form shows 具备居家隔离条件 as 是/否 and a request's 受理时间 to the minute: left as loaded, they are
    not this person's changes, so another person's change of them is kept, not a clash."""
    cid = FORMS["quarantine_case"]().make(community)
    quarantine.update_case(cid, {**quarantine.get_form(cid), "home_possible": "是"})
    loaded = quarantine.get_form(cid)
    shown = {**loaded, "home_possible": "是", "origin": "河北廊坊"}  # as the form gives its values back
    quarantine.update_case(cid, {**loaded, "home_possible": "否"}, loaded=loaded)  # another person
    quarantine.update_case(cid, shown, loaded=loaded)
    assert (quarantine.get_form(cid)["home_possible"], quarantine.get_form(cid)["origin"]) == (False, "河北廊坊")
    rid = request(community)
    loaded = service_desk.get(rid)
    shown = {**loaded, "received_at": f"{loaded['received_at']:%Y-%m-%d %H:%M}", "description": "楼道也漏雨"}
    service_desk.update(rid, {**loaded, "received_at": "2026-01-05 08:00"}, loaded=loaded)
    service_desk.update(rid, shown, loaded=loaded)
    assert f"{service_desk.get(rid)['received_at']:%Y-%m-%d %H:%M}" == "2026-01-05 08:00"


def test_members_changed_by_both_read_as_names_with_who_changed_them(community):
    shift = FORMS["duty_shift"]()
    sid = shift.make(community)
    ids = [volunteers.save({"name": name, "phone": "13900001111", "kind": "其他"}) for name in ("赵六", "钱七")]
    loaded = duty.shift_form(sid)
    as_user(B)
    duty.save_shift(sid, {**loaded, "volunteer_ids": [ids[0]]}, loaded=loaded)
    as_user(A)
    with pytest.raises(EditConflict) as caught:
        duty.save_shift(sid, {**loaded, "volunteer_ids": [ids[1]]}, loaded=loaded)
    [clash] = caught.value.clashes
    assert (clash.label, clash.mine_text, clash.theirs_text, clash.who) == ("志愿者", "钱七", "赵六", B)
